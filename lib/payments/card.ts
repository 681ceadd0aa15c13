/** The card behind a payment, as far as it is known: only the brand and the last four digits. */
import { and, eq, sql } from "drizzle-orm";
import { payments, sandboxCheckouts } from "@/db/schema";

/** Joins a payment to its sandbox checkout, which keeps the card's brand and last four; Stripe's are not fetched. */
export const sandboxCheckoutOfPayment = and(eq(payments.provider, "sandbox"), sql`${sandboxCheckouts.merchantReference} = ${payments.id}::text`);

/** "Visa •••• 4242", or null when the card is not known. */
export function cardLabel(brand: string | null, last4: string | null): string | null {
  return brand && last4 ? `${brand} •••• ${last4}` : null;
}
