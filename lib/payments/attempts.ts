/**
 * Every payment attempt of one invoice, newest first, for its detail page: how it was made
 * (the card's brand and last four where the provider told them, the channel), its state and,
 * when it failed, the provider's reason.
 */
import { and, desc, eq, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { invoices, paymentAllocations, payments, sandboxCheckouts } from "@/db/schema";
import { cardLabel, sandboxCheckoutOfPayment } from "./card";
import { paymentChannelLabel } from "./states";

export async function invoicePayments(db: Executor, accountId: string, invoiceNumber: number) {
  const found = await db
    .select({
      id: payments.id,
      state: payments.state,
      method: payments.method,
      channel: payments.channel,
      // Automatic payment charges with no person behind it; a person's payment names them.
      byPerson: sql<boolean>`${payments.createdByUserId} is not null`,
      cardBrand: sandboxCheckouts.cardBrand,
      cardLast4: sandboxCheckouts.cardLast4,
      amountMinor: paymentAllocations.amountMinor,
      paymentTotalMinor: payments.amountMinor,
      currency: payments.currency,
      failureReason: payments.failureReason,
      createdAt: payments.createdAt,
      settledAt: payments.settledAt,
    })
    .from(payments)
    .innerJoin(paymentAllocations, eq(paymentAllocations.paymentId, payments.id))
    .innerJoin(invoices, eq(invoices.id, paymentAllocations.invoiceId))
    .leftJoin(sandboxCheckouts, sandboxCheckoutOfPayment)
    .where(and(eq(payments.accountId, accountId), eq(invoices.accountId, accountId), eq(invoices.number, invoiceNumber)))
    .orderBy(desc(payments.createdAt), desc(payments.id));
  return found.map(({ cardBrand, cardLast4, byPerson, ...p }) => ({
    ...p,
    card: cardLabel(cardBrand, cardLast4),
    channelLabel: paymentChannelLabel({ method: p.method, channel: p.channel, byPerson: Boolean(byPerson) }),
  }));
}

export type InvoicePaymentAttempt = Awaited<ReturnType<typeof invoicePayments>>[number];
