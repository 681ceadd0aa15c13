/** Which invoice an invoice is compared with: the account's invoice for the period before it. */
import { and, desc, eq, lt, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { invoices } from "@/db/schema";

/**
 * The number of the account's latest invoice (not credit note) whose period ended before this
 * invoice's began, or null: for a first invoice, for a credit note, and for a number that is
 * not the account's.
 */
export async function previousInvoiceNumber(db: Executor, accountId: string, number: number): Promise<number | null> {
  const periodStart = sql`(select ${invoices.periodStart} from ${invoices} where ${invoices.accountId} = ${accountId} and ${invoices.number} = ${number} and ${invoices.type} = 'invoice')`;
  const [previous] = await db
    .select({ number: invoices.number })
    .from(invoices)
    .where(and(eq(invoices.accountId, accountId), eq(invoices.type, "invoice"), lt(invoices.periodEnd, periodStart)))
    .orderBy(desc(invoices.periodStart), desc(invoices.number))
    .limit(1);
  return previous?.number ?? null;
}
