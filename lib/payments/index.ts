/** The configured card provider: the embedded `sandbox` by default, `stripe` with PAYMENT_PROVIDER=stripe. */
import type { PaymentProvider } from "./provider";
import { sandboxProvider } from "./sandbox";
import { getStripeProvider } from "./stripe";

export function getPaymentProvider(): PaymentProvider {
  const name = process.env.PAYMENT_PROVIDER || "sandbox";
  if (name === "sandbox") return sandboxProvider;
  // Throws a StripeConfigError naming the missing variables (never their values).
  if (name === "stripe") return getStripeProvider();
  throw new Error(`PAYMENT_PROVIDER=${name} is not supported: use "sandbox" or "stripe".`);
}
