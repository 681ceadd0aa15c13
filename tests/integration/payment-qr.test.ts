/**
 * Pay by QR, from the database to the bank and back: an issued invoice's PDF carries a payment
 * QR code that decodes (pdftoppm + jsQR) to the invoice's outstanding amount and reference and
 * the provider's account; a credit note lowers the amount in the code and has none itself; a
 * bank statement line made from what the code says settles the invoice, whose next PDF has no
 * code. EUR (EPC SEPA) and SEK (the Swedish banks' invoice QR).
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { paymentAllocations, payments } from "@/db/schema";
import { issueCreditNote } from "@/lib/billing/credit";
import { parsePeriod } from "@/lib/billing/period";
import { runBilling } from "@/lib/billing/run";
import { getInvoiceDetail, type InvoiceDetail } from "@/lib/invoices/detail";
import { findInvoicePdf, invoicePdf, pdfData } from "@/lib/invoices/pdf";
import { toDecimalString } from "@/lib/money";
import { importStatementLines } from "@/lib/payments/bank-import";
import { closePdfPool, renderInvoicePdf } from "@/lib/pdf/render";
import { providerDetails } from "@/lib/provider";
import { decodePdfQr, hasPdftoppm } from "@/tests/setup/pdf-qr";
import { resetTables, setupTestDatabase } from "../setup/db";
import { issued, makeAccount } from "./billing-fixtures";

const { db } = await setupTestDatabase();
const OCTOBER = parsePeriod("2026-10");
const TODAY = "2026-11-20";

afterAll(async () => {
  await closePdfPool();
});

let accountId = "";

async function issueOctober(currency: "EUR" | "SEK"): Promise<InvoiceDetail> {
  accountId = await makeAccount(db, { name: `QR ${currency} AB`, countryCode: "SE", currency }, OCTOBER.start);
  await runBilling(db, { period: OCTOBER, today: "2026-11-01" });
  const [invoice] = await issued(db);
  return (await detail(invoice!.number))!;
}

const detail = (number: number) => getInvoiceDetail(db, accountId, number, TODAY);

/** The code on the PDF's last page (the summary's), read from its right part where it stands. */
async function pdfQr(invoice: InvoiceDetail): Promise<string | null> {
  return qrOn(await renderInvoicePdf(pdfData(invoice, "en")));
}

async function qrOn(pdf: Uint8Array): Promise<string | null> {
  const pages = (Buffer.from(pdf).toString("latin1").match(/\/Type \/Page\b(?!s)/g) ?? []).length;
  return decodePdfQr(pdf, pages, { fromX: 0.6 });
}

beforeEach(async () => {
  await resetTables(db);
});

describe.skipIf(!hasPdftoppm)("the invoice PDF's payment QR code", { timeout: 60_000 }, () => {
  it("EUR: decodes to the invoice's outstanding amount and reference, follows a credit note, and pays through the bank import", async () => {
    const invoice = await issueOctober("EUR");
    const provider = providerDetails();
    const fields = (await pdfQr(invoice))!.split("\n");
    expect(fields).toEqual([
      "BCD",
      "002",
      "1",
      "SCT",
      provider.bic,
      provider.name,
      provider.iban.replaceAll(" ", ""),
      `EUR${toDecimalString(invoice.outstandingMinor, "EUR")}`,
      "",
      "",
      invoice.paymentReference,
    ]);

    const credit = await issueCreditNote(db, { number: String(invoice.number), amount: "12.50", reason: "Outage" }, { today: TODAY });
    expect(credit.ok).toBe(true);
    if (!credit.ok) return;
    const lowered = (await detail(invoice.number))!;
    expect(lowered.outstandingMinor).toBe(invoice.outstandingMinor - 1_250n);
    const loweredAmount = (await pdfQr(lowered))!.split("\n")[7]!;
    expect(loweredAmount).toBe(`EUR${toDecimalString(lowered.outstandingMinor, "EUR")}`);
    expect(await pdfQr((await detail(credit.creditNote.number))!)).toBeNull();

    // A transfer of what the code says, with its reference, is matched to this invoice.
    const report = await importStatementLines(db, [{ line: 2, date: TODAY, amount: loweredAmount.slice(3), reference: fields[10]!, currency: "EUR" }]);
    expect(report.counts).toMatchObject({ settled: 1, unmatched: 0 });
    const paid = (await detail(invoice.number))!;
    expect(paid.outstandingMinor).toBe(0n);
    expect(await pdfQr(paid)).toBeNull();
  });

  it("SEK: the Swedish invoice code carries the bankgiro, the outstanding amount, the reference and the dates", async () => {
    const invoice = await issueOctober("SEK");
    const provider = providerDetails();
    expect(JSON.parse((await pdfQr(invoice))!)).toEqual({
      uqr: 1,
      tp: 1,
      nme: provider.name,
      cc: "SE",
      cid: provider.organisationNumber,
      iref: invoice.paymentReference,
      idt: invoice.invoiceDate.replaceAll("-", ""),
      ddt: invoice.dueDate.replaceAll("-", ""),
      due: Number(toDecimalString(invoice.outstandingMinor, "SEK")),
      cur: "SEK",
      pt: "BG",
      acc: provider.bankgiro,
    });
  });

  it("has no code while a card payment is under way, neither drawn anew nor from storage, and gets it back when the payment fails", async () => {
    const invoice = await issueOctober("EUR");
    expect(await qrOn((await invoicePdf(db, invoice, "en")).bytes)).not.toBeNull();

    const [payment] = await db
      .insert(payments)
      .values({ accountId, provider: "sandbox", method: "card", state: "processing", amountMinor: invoice.outstandingMinor, currency: "EUR", providerReference: "cs_under_way" })
      .returning({ id: payments.id });
    await db.insert(paymentAllocations).values({ paymentId: payment!.id, invoiceId: invoice.id, amountMinor: invoice.outstandingMinor });
    const underWay = (await detail(invoice.number))!;
    expect(underWay.status).toBe("processing");
    expect(await qrOn((await invoicePdf(db, underWay, "en")).bytes)).toBeNull();
    // The stored PDF (with its code) is not current while the payment is open, and none drawn now is kept.
    expect((await findInvoicePdf(db, accountId, invoice.number, "en"))!.stored).toBeNull();

    await db.update(payments).set({ state: "failed" }).where(eq(payments.id, payment!.id));
    const failed = (await detail(invoice.number))!;
    expect(await qrOn((await invoicePdf(db, failed, "en")).bytes)).not.toBeNull();
  });
});
