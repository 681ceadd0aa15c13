/**
 * Receipts: a settled payment has one, with what was paid, how, when and which invoices it
 * settled (read back from the PDF); an attempt that did not settle, an unknown id and another
 * account's payment have none, alike.
 */
import crypto from "node:crypto";
import { and, eq, ne } from "drizzle-orm";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { accounts, payments } from "@/db/schema";
import { toDecimalString } from "@/lib/money";
import { importBankStatement } from "@/lib/payments/bank-import";
import { applyOutcome } from "@/lib/payments/engine";
import { paymentReceiptData, paymentReceiptPdf, receiptFileName } from "@/lib/payments/receipt";
import {
  decideCard,
  sandboxEventBody,
  sandboxProvider,
  settleSandboxCheckout,
  SIGNATURE_HEADER,
  signSandboxPayload,
  TIMESTAMP_HEADER,
} from "@/lib/payments/sandbox";
import { closePdfPool } from "@/lib/pdf/render";
import { setupTestDatabase } from "../setup/db";
import { hasPdftotext, pdfText } from "../setup/pdf-text";
import { freshDemo, invoiceFacts, startSandboxCheckout } from "./helpers";

const TODAY = "2026-11-25";
const { db } = await setupTestDatabase();

let accountId = "";
let userId = "";
let owed: { number: number; outstandingMinor: bigint }[] = [];

beforeEach(async () => {
  ({ accountId, userId, owed } = await freshDemo(db, TODAY));
});

afterAll(async () => {
  await closePdfPool();
});

/** Pays the invoices by card through the sandbox provider; returns the payment id. */
async function payByCard(numbers: number[], card: string, settle = true): Promise<string> {
  const amount = owed.filter((o) => numbers.includes(o.number)).reduce((s, o) => s + o.outstandingMinor, 0n);
  const c = await startSandboxCheckout(db, { accountId, userId }, numbers, amount);
  if (settle) {
    const row = await settleSandboxCheckout(c.providerReference, decideCard(card));
    const body = sandboxEventBody(row!.id, row!.status === "succeeded" ? "succeeded" : "failed", row!.amountMinor, row!.currency, row!.failureReason);
    const ts = Math.floor(Date.now() / 1000);
    const headers = new Headers({ [SIGNATURE_HEADER]: signSandboxPayload(body, ts), [TIMESTAMP_HEADER]: String(ts) });
    await applyOutcome(db, "sandbox", await sandboxProvider.verifyWebhook(body, headers));
  }
  return c.paymentId;
}

describe("receipt data", () => {
  it("a card payment over two invoices: both listed, the amount, the card's last four digits and nothing more", async () => {
    const [a, b] = owed as [(typeof owed)[0], (typeof owed)[0]];
    const id = await payByCard([a.number, b.number], "4242 4242 4242 4242");
    const receipt = await paymentReceiptData(db, accountId, id);
    expect(receipt).not.toBeNull();
    const d = receipt!.data;
    expect(d.method).toBe("card");
    expect(d.cardLabel).toMatch(/•••• 4242$/);
    expect(d.amountMinor).toBe(a.outstandingMinor + b.outstandingMinor);
    expect(d.allocations.map((x) => [x.number, x.amountMinor])).toEqual(
      [a, b].sort((x, y) => x.number - y.number).map((x) => [x.number, x.outstandingMinor]),
    );
    expect(d.creditMinor).toBe(0n);
    expect(d.customer.name).toBe("Example Cloud Customer AB");
    expect(receipt!.fileName).toBe(receiptFileName({ paymentId: id, settledOn: receipt!.fileName.slice(16, 26) }));
    expect(receipt!.fileName).toMatch(new RegExp(`^Cumulus-receipt-\\d{4}-\\d{2}-\\d{2}-${id.slice(0, 8)}\\.pdf$`));
  });

  it("none for a declined attempt, a pending one, an unknown id, and another account's settled payment", async () => {
    const declined = await payByCard([owed[0]!.number], "4000 0000 0000 0002");
    expect((await db.select({ state: payments.state }).from(payments).where(eq(payments.id, declined)))[0]!.state).toBe("failed");
    expect(await paymentReceiptData(db, accountId, declined)).toBeNull();
    const pending = await payByCard([owed[1]!.number], "4242 4242 4242 4242", false);
    expect(await paymentReceiptData(db, accountId, pending)).toBeNull();
    expect(await paymentReceiptData(db, accountId, crypto.randomUUID())).toBeNull();

    const [foreign] = await db
      .select({ id: payments.id })
      .from(payments)
      .where(and(ne(payments.accountId, accountId), eq(payments.state, "succeeded")))
      .limit(1);
    expect(foreign).toBeDefined();
    expect(await paymentReceiptData(db, accountId, foreign!.id)).toBeNull();
    // …while its own account does get it: the refusal above is about ownership, not the row.
    const [owner] = await db.select({ accountId: payments.accountId }).from(payments).where(eq(payments.id, foreign!.id));
    expect(await paymentReceiptData(db, owner!.accountId, foreign!.id)).not.toBeNull();
  });

  it("a bank transfer that overpays: the surplus is printed as kept account credit", async () => {
    const target = owed[0]!;
    const inv = (await invoiceFacts(db)).find((f) => f.number === target.number)!;
    const eur = (m: bigint) => toDecimalString(m, inv.currency);
    await importBankStatement(db, `date,amount,reference\n2026-11-20,${eur(target.outstandingMinor + 1000n)},${inv.paymentReference}\n`);
    const [p] = await db.select({ id: payments.id }).from(payments).where(and(eq(payments.accountId, accountId), eq(payments.method, "bank_transfer"), eq(payments.amountMinor, target.outstandingMinor + 1000n)));
    const receipt = await paymentReceiptData(db, accountId, p!.id);
    expect(receipt!.data.method).toBe("bank_transfer");
    expect(receipt!.data.creditMinor).toBe(1000n);
    expect(receipt!.data.cardLabel).toBeNull();
  });
});

describe.runIf(hasPdftotext)("receipt PDF read back", () => {
  it("prints the payment, each invoice with its amount, the total, in the account's language", async () => {
    const [a, b] = owed as [(typeof owed)[0], (typeof owed)[0]];
    const id = await payByCard([a.number, b.number], "4242424242424242");
    const pdf = await paymentReceiptPdf(db, accountId, id);
    const text = pdfText(pdf!.bytes).replace(/ +/g, " ");
    expect(text).toContain("Receipt");
    expect(text).toContain(id);
    expect(text).toContain("Card payment");
    expect(text).toContain("•••• 4242");
    expect(text).not.toContain("4242424242424242");
    const { currency } = (await invoiceFacts(db)).find((f) => f.number === a.number)!;
    const { formatMoney } = await import("@/lib/money");
    for (const x of [a, b]) expect(text).toMatch(new RegExp(`${x.number} .*${formatMoney(x.outstandingMinor, currency, "en").replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
    expect(text).toContain(`Total paid ${formatMoney(a.outstandingMinor + b.outstandingMinor, currency, "en")}`);
    expect(text).toContain("Org. no. 559000-0001"); // the provider's footer

    await db.update(accounts).set({ language: "sv" }).where(eq(accounts.id, accountId));
    const sv = pdfText((await paymentReceiptPdf(db, accountId, id))!.bytes).replace(/ +/g, " ");
    expect(sv).toContain("Kvitto");
    expect(sv).toContain("Kortbetalning");
    const svTotal = formatMoney(a.outstandingMinor + b.outstandingMinor, currency, "sv").replace(/[\u00a0\u202f]/g, " ");
    expect(sv).toContain(`Totalt betalt ${svTotal}`);
  });
});
