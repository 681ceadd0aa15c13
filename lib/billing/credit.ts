/**
 * Credit notes: `npm run billing:credit -- --invoice N --amount 12.50 --reason "…"`.
 *
 * A credit note is an invoice row of type `credit_note` with its own gapless number from the
 * same sequence, `credits_invoice_id` pointing at the invoice and positive amounts; the
 * invoice's outstanding amount is its total minus settled payments minus its credit notes
 * (lib/invoices/balance.ts). The amount given is what the outstanding amount goes down by, VAT
 * included, in the invoice's currency. It is split over the invoice's VAT rates in proportion
 * to what each rate group adds to the invoice's total, one line per rate, so the credit note
 * carries the same VAT as the part of the invoice it takes back; its totals come from
 * computeTotals like every invoice's.
 *
 * Refused, with nothing written: an unknown invoice, a credit note as the target, an amount that
 * is not more than 0, more than what is outstanding, an invoice with a card payment in progress
 * (its amount would no longer match), and an amount that no net amount plus VAT rounded per rate
 * adds up to (with 25 % VAT, 0.02 of every 0.05 step cannot be made: the two nearest are named).
 *
 * The invoice row is locked first (as the payment engine does), then the number sequence; the
 * credit note's email is queued to the Billing addresses in the same transaction.
 */
import { asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { rows, type Database, type Transaction } from "@/db/client";
import { accounts, invoiceLines, invoices, type Language } from "@/db/schema";
import { audit } from "@/lib/audit";
import { accountToday, todayPerTimeZone } from "@/lib/dates";
import { PROVIDER_TIME_ZONE } from "@/lib/provider";
import { queueEInvoices } from "@/lib/einvoice/delivery";
import { queueInvoiceEmail, type QueueInvoiceEmailResult } from "@/lib/email/outbox";
import { outstandingMinorSql } from "@/lib/invoices/balance";
import { computeTotals, divRound, formatMoney, minorDigits } from "@/lib/money";
import { openPaymentIdFor } from "@/lib/payments/engine";
import { pdfStrings } from "@/lib/format/invoice-strings";
import { paymentReferenceFor } from "@/lib/reference";
import { ensureInvoiceSequence } from "./run";

export type CreditRefusal =
  | "invalid_input"
  | "not_found"
  | "is_credit_note"
  | "nothing_outstanding"
  | "exceeds_outstanding"
  | "payment_in_progress"
  | "not_exact";

export type CreditResult =
  | {
      ok: true;
      creditNote: { id: string; number: number; netMinor: bigint; vatMinor: bigint; totalMinor: bigint; currency: string };
      invoice: { id: string; number: number; outstandingBeforeMinor: bigint; outstandingAfterMinor: bigint };
      email: QueueInvoiceEmailResult;
    }
  | { ok: false; reason: CreditRefusal; message: string };

const AMOUNT = /^(\d+)(?:\.(\d+))?$/;

/** The command's arguments, checked before the database is touched. */
export const creditInputSchema = z.object({
  number: z
    .string()
    .trim()
    .regex(/^\d{1,15}$/, { error: "--invoice must be an invoice number (digits only)." })
    .transform(Number),
  amount: z
    .string()
    .trim()
    .regex(AMOUNT, { error: "--amount must be a positive amount in the invoice's currency, like 12.50 (no sign, no thousands separators)." })
    .refine((v) => /[1-9]/.test(v), { error: "--amount must be more than 0." }),
  reason: z
    .string()
    .trim()
    .min(1, { error: "--reason is required: say why the customer is credited (it is printed on the credit note)." })
    .max(500, { error: "--reason can be at most 500 characters." })
    .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), { error: "--reason must be one line of text." }),
});

export type CreditInput = z.input<typeof creditInputSchema>;

/** "12.50" in minor units of `currency`; null when it has more decimals than the currency. */
export function parseCreditAmount(amount: string, currency: string): bigint | null {
  const m = AMOUNT.exec(amount.trim());
  if (!m) return null;
  const digits = minorDigits(currency);
  const frac = (m[2] ?? "").replace(/0+$/, "");
  if (frac.length > digits) return null;
  return BigInt(m[1]!) * 10n ** BigInt(digits) + BigInt(frac.padEnd(digits, "0") || "0");
}

const grossOf = (net: bigint, rateBp: number) => net + divRound(net * BigInt(rateBp), 10_000n);

/** The largest net ≥ 0 whose net + VAT is at most `gross`. */
function largestNetWithin(gross: bigint, rateBp: number): bigint {
  if (gross <= 0n) return 0n;
  let net = (gross * 10_000n) / BigInt(10_000 + rateBp);
  while (grossOf(net + 1n, rateBp) <= gross) net++;
  while (net > 0n && grossOf(net, rateBp) > gross) net--;
  return net;
}

/**
 * Splits `amountMinor` (VAT included) over VAT rate groups in proportion to their weights into
 * net amounts whose net + VAT (rounded per group, as computeTotals does) is exactly the amount;
 * null when no split adds up exactly.
 */
export function splitCredit(amountMinor: bigint, groups: ReadonlyArray<{ rateBp: number; weightMinor: bigint }>): { rateBp: number; netMinor: bigint }[] | null {
  const usable = groups.filter((g) => g.weightMinor > 0n).sort((a, b) => b.rateBp - a.rateBp);
  if (usable.length === 0 || amountMinor <= 0n) return null;
  const weight = usable.reduce((s, g) => s + g.weightMinor, 0n);
  // Largest remainder: each group's share of the amount, the leftover units to the largest remainders.
  const shares = usable.map((g, i) => ({ i, share: (amountMinor * g.weightMinor) / weight, rem: (amountMinor * g.weightMinor) % weight }));
  let left = amountMinor - shares.reduce((s, x) => s + x.share, 0n);
  for (const x of [...shares].sort((a, b) => (b.rem > a.rem ? 1 : b.rem < a.rem ? -1 : a.i - b.i))) {
    if (left === 0n) break;
    x.share++;
    left--;
  }
  const nets = usable.map((g, i) => largestNetWithin(shares[i]!.share, g.rateBp));
  let residual = amountMinor - nets.reduce((s, n, i) => s + grossOf(n, usable[i]!.rateBp), 0n);
  while (residual > 0n) {
    let moved = false;
    for (let i = 0; i < usable.length && residual > 0n; i++) {
      const step = grossOf(nets[i]! + 1n, usable[i]!.rateBp) - grossOf(nets[i]!, usable[i]!.rateBp);
      if (step <= residual) {
        nets[i]!++;
        residual -= step;
        moved = true;
      }
    }
    if (!moved) return null;
  }
  return usable.map((g, i) => ({ rateBp: g.rateBp, netMinor: nets[i]! })).filter((x) => x.netMinor > 0n);
}

type CreditRefused = Extract<CreditResult, { ok: false }>;

type InvoiceRow = typeof invoices.$inferSelect;

/** The invoice being credited, read after its row is locked. */
type CreditTarget = {
  id: string;
  accountId: string;
  number: number;
  currency: string;
  vatCategory: InvoiceRow["vatCategory"];
  periodStart: InvoiceRow["periodStart"];
  periodEnd: InvoiceRow["periodEnd"];
  customer: InvoiceRow["customer"];
  outstandingMinor: bigint;
  language: Language;
  timeZone: string;
};

type CreditLine = {
  position: number;
  service: string;
  productCode: string;
  label: string;
  region: null;
  quantity: string;
  unit: string;
  unitPriceMinor: string;
  amountMinor: bigint;
  vatRateBp: number;
};

export async function issueCreditNote(
  db: Database,
  raw: CreditInput,
  opts: { today?: string; actorUserId?: string | null } = {},
): Promise<CreditResult> {
  const parsed = creditInputSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, reason: "invalid_input", message: parsed.error.issues.map((i) => i.message).join(" ") };
  const input = parsed.data;
  await ensureInvoiceSequence(db);

  return db.transaction(async (tx): Promise<CreditResult> => {
    const invoice = await lockCreditTarget(tx, input.number);
    if ("ok" in invoice) return invoice;
    const amountMinor = checkCreditAmount(invoice, input.amount);
    if (typeof amountMinor !== "bigint") return amountMinor;
    const openPaymentId = await openPaymentIdFor(tx, invoice.id);
    if (openPaymentId) {
      return {
        ok: false,
        reason: "payment_in_progress",
        message: `A card payment for invoice ${invoice.number} is in progress (payment ${openPaymentId}): credit it once that payment has finished.`,
      };
    }
    const lines = await creditLines(tx, invoice, amountMinor);
    if (!Array.isArray(lines)) return lines;
    const totals = computeTotals(lines);
    if (totals.totalMinor !== amountMinor) throw new Error("credit note lines do not add up to the amount"); // splitCredit guarantees it

    const note = await insertCreditNote(tx, invoice, lines, input.reason, todayPerTimeZone(opts.today, () => accountToday(PROVIDER_TIME_ZONE))(invoice.timeZone));
    const outstandingAfter = invoice.outstandingMinor - amountMinor;
    await audit(tx, {
      accountId: invoice.accountId,
      actorUserId: opts.actorUserId ?? null,
      action: "invoice.credited",
      entityType: "invoice",
      entityId: invoice.id,
      before: { number: invoice.number, outstandingMinor: invoice.outstandingMinor },
      after: { number: invoice.number, outstandingMinor: outstandingAfter, creditNote: note.number, amountMinor, reason: input.reason },
    });
    const email = await queueInvoiceEmail(tx, invoice.accountId, note.id);
    await queueEInvoices(tx, [note.id]);
    return {
      ok: true,
      creditNote: { id: note.id, number: note.number, netMinor: totals.netMinor, vatMinor: totals.vatMinor, totalMinor: totals.totalMinor, currency: invoice.currency },
      invoice: { id: invoice.id, number: invoice.number, outstandingBeforeMinor: invoice.outstandingMinor, outstandingAfterMinor: outstandingAfter },
      email,
    };
  });
}

/** Locks the invoice row, then reads it with its outstanding amount; a refusal when it is missing or a credit note. */
async function lockCreditTarget(tx: Transaction, invoiceNumber: number): Promise<CreditTarget | CreditRefused> {
  const [locked] = await tx
    .select({ id: invoices.id, type: invoices.type })
    .from(invoices)
    .where(eq(invoices.number, invoiceNumber))
    .for("update");
  if (!locked) return { ok: false, reason: "not_found", message: `There is no invoice ${invoiceNumber}.` };
  if (locked.type === "credit_note") {
    return { ok: false, reason: "is_credit_note", message: `${invoiceNumber} is a credit note: only an invoice can be credited.` };
  }
  // A new statement after the lock: it sees payments and credit notes committed while we waited.
  const [invoice] = await tx
    .select({
      id: invoices.id,
      accountId: invoices.accountId,
      number: invoices.number,
      currency: invoices.currency,
      vatCategory: invoices.vatCategory,
      periodStart: invoices.periodStart,
      periodEnd: invoices.periodEnd,
      customer: invoices.customer,
      outstanding: sql<string>`${outstandingMinorSql}`,
      language: accounts.language,
      timeZone: accounts.timeZone,
    })
    .from(invoices)
    .innerJoin(accounts, eq(accounts.id, invoices.accountId))
    .where(eq(invoices.id, locked.id));
  const { outstanding, ...rest } = invoice!;
  return { ...rest, outstandingMinor: BigInt(outstanding) };
}

const creditMoney = (invoice: CreditTarget) => (minor: bigint) => formatMoney(minor, invoice.currency, "en");

/** The amount in minor units, or why it cannot lower this invoice's outstanding amount. */
function checkCreditAmount(invoice: CreditTarget, amount: string): bigint | CreditRefused {
  const money = creditMoney(invoice);
  const amountMinor = parseCreditAmount(amount, invoice.currency);
  if (amountMinor === null) {
    return {
      ok: false,
      reason: "invalid_input",
      message: `--amount ${amount} has more decimals than ${invoice.currency} has (${minorDigits(invoice.currency)}).`,
    };
  }
  if (invoice.outstandingMinor === 0n) {
    return {
      ok: false,
      reason: "nothing_outstanding",
      message: `Invoice ${invoice.number} has nothing outstanding (paid or credited in full): a credit note cannot lower it. Money already paid is refunded, not credited.`,
    };
  }
  if (amountMinor > invoice.outstandingMinor) {
    return {
      ok: false,
      reason: "exceeds_outstanding",
      message: `${money(amountMinor)} is more than invoice ${invoice.number}'s outstanding ${money(invoice.outstandingMinor)}.`,
    };
  }
  return amountMinor;
}

/** One line per VAT rate of the invoice, in proportion to what each adds to its total; a refusal when no split is exact. */
async function creditLines(tx: Transaction, invoice: CreditTarget, amountMinor: bigint): Promise<CreditLine[] | CreditRefused> {
  const invoiceLinesNow = await tx
    .select({ amountMinor: invoiceLines.amountMinor, vatRateBp: invoiceLines.vatRateBp })
    .from(invoiceLines)
    .where(eq(invoiceLines.invoiceId, invoice.id))
    .orderBy(asc(invoiceLines.position));
  const groups = computeTotals(invoiceLinesNow).vatGroups.map((g) => ({ rateBp: g.rateBp, weightMinor: g.baseMinor + g.vatMinor }));
  const split = splitCredit(amountMinor, groups);
  if (!split) {
    const money = creditMoney(invoice);
    const near = [amountMinor - 1n, amountMinor + 1n].filter((a) => a > 0n && a <= invoice.outstandingMinor && splitCredit(a, groups));
    return {
      ok: false,
      reason: "not_exact",
      message:
        `${money(amountMinor)} cannot be split into a net amount plus VAT (rounded per rate) exactly` +
        (near.length ? `: use ${near.map(money).join(" or ")}.` : "."),
    };
  }
  // The credit note's words, from the documents' dictionary (its PDF translates them from there).
  const text = pdfStrings(invoice.language);
  return split.map((s, i) => ({
    position: i + 1,
    service: text.services.credit,
    productCode: "credit",
    label: text.creditLine(invoice.number),
    region: null,
    quantity: "1",
    unit: text.units.piece,
    unitPriceMinor: s.netMinor.toString(),
    amountMinor: s.netMinor,
    vatRateBp: s.rateBp,
  }));
}

/** The credit note and its lines, numbered from the invoice sequence (locked here, after the invoice). */
async function insertCreditNote(tx: Transaction, invoice: CreditTarget, lines: CreditLine[], reason: string, today: string): Promise<{ id: string; number: number }> {
  const totals = computeTotals(lines);
  const [seq] = await rows<{ next: string }>(tx, sql`select next_value::text as next from number_sequences where name = 'invoice' for update`);
  const number = Number(seq!.next);
  await tx.execute(sql`update number_sequences set next_value = next_value + 1 where name = 'invoice'`);
  const [note] = await tx
    .insert(invoices)
    .values({
      accountId: invoice.accountId,
      number,
      type: "credit_note",
      creditsInvoiceId: invoice.id,
      creditReason: reason,
      periodStart: invoice.periodStart,
      periodEnd: invoice.periodEnd,
      invoiceDate: today,
      dueDate: today,
      currency: invoice.currency,
      language: invoice.language,
      vatCategory: invoice.vatCategory,
      netMinor: totals.netMinor,
      vatMinor: totals.vatMinor,
      totalMinor: totals.totalMinor,
      customer: invoice.customer,
      paymentReference: paymentReferenceFor(number),
    })
    .returning({ id: invoices.id });
  await tx.insert(invoiceLines).values(lines.map((l) => ({ ...l, invoiceId: note!.id })));
  return { id: note!.id, number };
}
