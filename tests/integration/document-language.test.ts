/**
 * A Swedish document is Swedish throughout: an invoice, a credit note and a receipt of an
 * account that now reads Swedish, all issued while it read English, carry none of the English
 * template's words (the English dictionaries and the price list's English labels), and name
 * both countries, the customer's and the provider's, in Swedish. The page shows the same lines.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PRODUCTS, seedDemo } from "@/scripts/seed";
import { accounts, invoices, payments, type IssuedCustomer, type Language } from "@/db/schema";
import { issueCreditNote } from "@/lib/billing/credit";
import { getInvoiceDetail } from "@/lib/invoices/detail";
import { invoicePdf } from "@/lib/invoices/pdf";
import { localizedLines } from "@/lib/invoices/presentation";
import { paymentReceiptPdf } from "@/lib/payments/receipt";
import { receiptStrings } from "@/lib/pdf/receipt-strings";
import { closePdfPool } from "@/lib/pdf/render";
import { pdfStrings } from "@/lib/format/invoice-strings";
import { setupTestDatabase } from "../setup/db";
import { hasPdftotext, pdfText } from "../setup/pdf-text";

const TODAY = "2026-11-25";
const { db } = await setupTestDatabase();

/** Every string a value holds: strings, nested tables, and phrases built by functions (with "0" for their blanks). */
const texts = (value: unknown): string[] =>
  typeof value === "string"
    ? [value]
    : typeof value === "function"
      ? [String((value as (...blanks: string[]) => unknown)("0", "0"))]
      : value && typeof value === "object"
        ? Object.values(value).flatMap(texts)
        : [];

/** Words are runs of letters; a run with digits in it (an id like "3f2a9c1d", "IPv4") is none. */
const wordsOf = (text: string) =>
  new Set((text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((token) => /^\p{L}+$/u.test(token)));

/** The words a template prints in `language`: its dictionaries and the price list's labels. */
function templateWords(language: Language): Set<string> {
  const labels = PRODUCTS.map((p) => (language === "en" ? p.labelEn : p.labelSv));
  return wordsOf([pdfStrings(language), receiptStrings(language), labels].flatMap(texts).join(" "));
}

/**
 * English words that would give an English template away: the English tables' words, minus
 * those the Swedish tables print too ("Period", "IBAN", "Bankgiro", "Support", "vCPU", "GiB",
 * "EU", "c/o"): those are Swedish as well, so finding them proves nothing.
 */
const swedish = templateWords("sv");
const ENGLISH_ONLY = [...templateWords("en")].filter((w) => !swedish.has(w));

/** A Swedish customer in Germany: the customer's own words are not the template's. */
const CUSTOMER: IssuedCustomer = {
  name: "Molnkunden Aktiebolag",
  careOf: "Åsa Öberg",
  street: "Friedrichstraße 12",
  zipCode: "10117",
  city: "Berlin",
  countryCode: "DE",
  organisationNumber: "556677-8899",
  vatNumber: "DE123456789",
  purchaseOrder: "IO-2026-17",
};

let accountId = "";
let invoiceNumber = 0;
let creditNoteNumber = 0;
let paymentId = "";

beforeAll(async () => {
  await seedDemo(db, TODAY);
  accountId = (await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.name, "Example Cloud Customer AB")))[0]!.id;
  await db.update(invoices).set({ customer: CUSTOMER }).where(eq(invoices.accountId, accountId));
  const [owed] = await db
    .select({ number: invoices.number })
    .from(invoices)
    .where(and(eq(invoices.accountId, accountId), eq(invoices.invoiceDate, "2026-10-01")));
  invoiceNumber = owed!.number;
  // Issued while the account reads English: the credit note's line says "Credit on invoice N", "pcs".
  const credit = await issueCreditNote(db, { number: String(invoiceNumber), amount: "10.00", reason: "Driftavbrott i sto1 den 3 oktober" }, { today: TODAY });
  if (!credit.ok) throw new Error(credit.message);
  creditNoteNumber = credit.creditNote.number;
  const [paid] = await db
    .select({ id: payments.id })
    .from(payments)
    .where(and(eq(payments.accountId, accountId), eq(payments.state, "succeeded")))
    .limit(1);
  paymentId = paid!.id;
  await db.update(accounts).set({ language: "sv" }).where(eq(accounts.id, accountId));
});
afterAll(async () => {
  await closePdfPool();
});

describe("the word lists", () => {
  it("hold the English template's own words, and the price list's units and services are in the dictionary", () => {
    for (const word of ["invoice", "customer", "due", "outstanding", "receipt", "month", "memory", "storage", "credit", "vat"]) {
      expect(ENGLISH_ONLY).toContain(word);
    }
    for (const word of ["period", "iban", "support", "gib"]) expect(ENGLISH_ONLY).not.toContain(word);
    // A service or unit the dictionary does not know would print as stored, in English.
    const en = pdfStrings("en");
    for (const p of PRODUCTS) {
      expect(Object.values(en.services)).toContain(p.service);
      expect(Object.values(en.units)).toContain(p.unit);
    }
  });
});

describe.runIf(hasPdftotext)("a Swedish document", () => {
  const englishIn = (text: string) => ENGLISH_ONLY.filter((w) => wordsOf(text).has(w));

  const documents = {
    invoice: async () => invoicePdf(db, (await getInvoiceDetail(db, accountId, invoiceNumber, TODAY))!, "sv").then((p) => p.bytes),
    "credit note": async () => invoicePdf(db, (await getInvoiceDetail(db, accountId, creditNoteNumber, TODAY))!, "sv").then((p) => p.bytes),
    receipt: async () => (await paymentReceiptPdf(db, accountId, paymentId))!.bytes,
  };

  it.each(Object.keys(documents) as (keyof typeof documents)[])("%s: none of the English template's words, both countries in Swedish", async (kind) => {
    const text = pdfText(await documents[kind]());
    expect(text).toContain(kind === "receipt" ? "Kvitto" : kind === "invoice" ? "Faktura" : "Kreditfaktura");
    expect(englishIn(text)).toEqual([]);
    expect(text).toContain("Tyskland"); // the customer's country
    expect(text).toContain("Sverige"); // the provider's
    expect(text).not.toMatch(/Germany|Sweden/);
  }, 120_000);

  it("invoice: the price list's Swedish labels, services and units (GiB·månad)", async () => {
    const text = pdfText(await documents.invoice());
    for (const word of ["Minne", "Blocklagring", "Objektlagring", "Utgående datatrafik", "Företagssupport", "Åtagenderabatt"]) expect(text).toContain(word);
    for (const word of ["Beräkning", "Lagring", "Nätverk", "Rabatt", "GiB·månad", "månad"]) expect(text).toContain(word);
  }, 120_000);

  it("credit note: its line in Swedish, though issued in English", async () => {
    const text = pdfText(await documents["credit note"]()).replace(/\s+/g, " ");
    expect(text).toContain(`Kredit på faktura ${invoiceNumber}`);
    expect(text).toMatch(/\bst\b/);
  }, 120_000);

  it("the invoice page's lines come from the same place, in the account's language", async () => {
    const detail = (await getInvoiceDetail(db, accountId, invoiceNumber, TODAY))!;
    const sv = localizedLines(detail, "sv");
    const en = localizedLines(detail, "en");
    expect(sv.map((l) => l.label)).toContain("Minne (sto1)");
    expect(en.map((l) => l.label)).toContain("Memory (sto1)");
    expect(new Set(sv.map((l) => l.unit))).toEqual(new Set(["h", "GiB·h", "GiB·månad", "GiB", "månad"]));
    expect(en.map((l) => l.label)).toEqual(detail.lines.map((l) => l.label)); // issued in English: as issued
  });
});
