/** The configured card provider: the embedded `sandbox` by default, `stripe` with PAYMENT_PROVIDER=stripe. */
import { env } from "@/lib/env";
import type { PaymentProvider } from "./provider";
import { sandboxProvider } from "./sandbox";
import { getStripeProvider } from "./stripe";

export function getPaymentProvider(): PaymentProvider {
  // env() validates PAYMENT_PROVIDER: only "sandbox" or "stripe" get here.
  if (env().PAYMENT_PROVIDER === "stripe") return getStripeProvider(); // names missing keys, never values
  return sandboxProvider;
}

/**
 * Whether the sandbox is the configured provider. Its hosted page, its actions and its webhook
 * exist only then: with a real provider they answer 404, so a checkout left from a demo can
 * never mark an invoice paid.
 */
export function sandboxEnabled(): boolean {
  return env().PAYMENT_PROVIDER === "sandbox";
}
