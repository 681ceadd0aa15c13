/**
 * The payment QR code on the invoice PDF, read back from the rendered page (poppler rasterises,
 * jsQR decodes) and compared field by field with the invoice it was made from.
 */
import { describe, expect, it } from "vitest";
import { decodePdfQr, hasPdftoppm } from "@/tests/setup/pdf-qr";
import type { InvoicePdfData } from "@/lib/invoices/types";
import { toDecimalString } from "@/lib/money";
import { parsePaymentReference, paymentReferenceFor } from "@/lib/reference";
import { planInvoice } from "./layout";
import { loadPdfMeasure, renderInvoicePdfInProcess } from "./render-document";
import { sampleInvoicePdfData } from "./sample";

/** The sample with a reference the bank import accepts, for `number`. */
function invoiceData(overrides: Partial<InvoicePdfData> = {}, language: "en" | "sv" = "en"): InvoicePdfData {
  const data = sampleInvoicePdfData({ language });
  return { ...data, paymentReference: paymentReferenceFor(data.number), ...overrides };
}

/** The code stands at the right edge of the payment block. */
const decode = (pdf: Uint8Array, page: number) => decodePdfQr(pdf, page, { fromX: 0.6 });

const lastPage = async (data: InvoicePdfData) => planInvoice(data, await loadPdfMeasure()).pages.length;

describe.skipIf(!hasPdftoppm)("payment QR code on the invoice PDF", { timeout: 30_000 }, () => {
  it.each(["en", "sv"] as const)("EUR (%s): the EPC SEPA code decodes to the provider's account, the outstanding amount and the reference", async (language) => {
    const data = invoiceData({}, language);
    const decoded = decode(await renderInvoicePdfInProcess(data), await lastPage(data));
    expect(decoded).not.toBeNull();
    const [tag, version, charset, identification, bic, name, iban, amount, purpose, structured, remittance, ...rest] = decoded!.split("\n");
    expect([tag, version, charset, identification]).toEqual(["BCD", "002", "1", "SCT"]);
    expect(bic).toBe(data.provider.bic);
    expect(name).toBe(data.provider.name);
    expect(iban).toBe(data.provider.iban.replaceAll(" ", ""));
    expect(amount).toBe(`EUR${toDecimalString(data.outstandingMinor, "EUR")}`);
    expect(data.outstandingMinor).not.toBe(data.totals.totalMinor);
    expect([purpose, structured]).toEqual(["", ""]);
    expect(remittance).toBe(data.paymentReference);
    // What the bank import reads from the statement line: this invoice.
    expect(parsePaymentReference(remittance!)).toBe(data.number);
    expect(rest).toEqual([]);
  });

  it("SEK: the Swedish invoice code decodes to the bankgiro, amount, reference and due date", async () => {
    const data = invoiceData({ currency: "SEK", provider: { ...sampleInvoicePdfData().provider, name: "Molnbolaget Åsa Öberg AB" } });
    const decoded = decode(await renderInvoicePdfInProcess(data), await lastPage(data));
    expect(JSON.parse(decoded!)).toEqual({
      uqr: 1,
      tp: 1,
      nme: "Molnbolaget Åsa Öberg AB",
      cc: "SE",
      cid: data.provider.organisationNumber,
      iref: data.paymentReference,
      idt: data.invoiceDate.replaceAll("-", ""),
      ddt: data.dueDate.replaceAll("-", ""),
      due: Number(toDecimalString(data.outstandingMinor, "SEK")),
      cur: "SEK",
      pt: "BG",
      acc: data.provider.bankgiro,
    });
  });

  it("follows the summary to the last page of a long invoice", async () => {
    const data = { ...invoiceData(), ...sampleInvoicePdfData({ lines: 120 }), paymentReference: paymentReferenceFor(10_042) };
    const pages = await lastPage(data);
    expect(pages).toBeGreaterThan(1);
    const pdf = await renderInvoicePdfInProcess(data);
    expect(decode(pdf, 1)).toBeNull();
    expect(decode(pdf, pages)?.split("\n")[7]).toBe(`EUR${toDecimalString(data.outstandingMinor, "EUR")}`);
  });

  it.each([
    ["a paid invoice", { outstandingMinor: 0n }],
    ["a credit note", { type: "credit_note" as const, creditedInvoiceNumber: 10_041 }],
    ["an invoice in NOK", { currency: "NOK" }],
  ])("shows no code on %s", async (_, overrides) => {
    const data = invoiceData(overrides);
    expect(planInvoice(data, await loadPdfMeasure()).summary.qr).toBeNull();
    expect(decode(await renderInvoicePdfInProcess(data), await lastPage(data))).toBeNull();
  });
});
