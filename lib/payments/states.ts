/**
 * Which payment states are open (a payment under way) and which are final. Apart from the engine
 * so that code shipped to the browser (the status names) can use them without the database.
 */
import type { PaymentChannel, PaymentMethod, PaymentState } from "@/db/schema";

export type { PaymentMethod, PaymentState };

export const OPEN_STATES = ["pending", "processing", "requires_action"] as const satisfies PaymentState[];
export const FINAL_STATES = ["succeeded", "failed", "cancelled"] as const satisfies PaymentState[];

/** A payment's state in words, on the invoice page and the payments list. */
export const PAYMENT_STATE_LABEL: Record<PaymentState, string> = {
  pending: "Pending",
  processing: "Processing",
  requires_action: "Waiting for authentication",
  succeeded: "Settled",
  failed: "Failed",
  cancelled: "Cancelled",
};

export const PAYMENT_METHOD_LABEL: Record<PaymentMethod, string> = { card: "Card", bank_transfer: "Bank transfer", account_credit: "Account credit" };

/**
 * How a payment attempt was made, in words: a card payment on the provider's page, the saved
 * card charged for a person (Pay with the saved card), or Automatic payment (off-session, no
 * person behind it).
 */
export function paymentChannelLabel(p: { method: PaymentMethod; channel: PaymentChannel | null; byPerson: boolean }): string {
  if (p.method !== "card") return PAYMENT_METHOD_LABEL[p.method];
  if (p.channel === "off_session") return p.byPerson ? "Saved card" : "Automatic payment";
  return "Card payment";
}
