/** What recording an automatic attempt needs to know of it: the invoice, the account and the card, for its email. */
import { eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { accounts, autopayAttempts, invoices, payments, savedCards } from "@/db/schema";
import type { ChargeEmailFacts } from "./emails";

export async function attemptFacts(db: Executor, attemptId: string): Promise<{ email: ChargeEmailFacts; invoiceDate: string; dueDate: string }> {
  const [row] = await db
    .select({
      accountId: autopayAttempts.accountId,
      invoiceId: autopayAttempts.invoiceId,
      accountName: accounts.name,
      language: accounts.language,
      number: invoices.number,
      invoiceDate: invoices.invoiceDate,
      dueDate: invoices.dueDate,
      currency: payments.currency,
      amountMinor: payments.amountMinor,
      brand: savedCards.brand,
      last4: savedCards.last4,
    })
    .from(autopayAttempts)
    .innerJoin(accounts, eq(accounts.id, autopayAttempts.accountId))
    .innerJoin(invoices, eq(invoices.id, autopayAttempts.invoiceId))
    .innerJoin(payments, eq(payments.id, autopayAttempts.paymentId))
    .leftJoin(savedCards, eq(savedCards.accountId, autopayAttempts.accountId))
    .where(eq(autopayAttempts.id, attemptId));
  if (!row) throw new Error(`automatic payment attempt ${attemptId} not found`);
  return {
    invoiceDate: row.invoiceDate,
    dueDate: row.dueDate,
    email: {
      accountId: row.accountId,
      accountName: row.accountName,
      language: row.language,
      invoiceId: row.invoiceId,
      number: row.number,
      currency: row.currency,
      amountMinor: row.amountMinor,
      // The card may have been removed since: the email still names the card the attempt used.
      card: { brand: row.brand ?? "Card", last4: row.last4 ?? "····" },
    },
  };
}
