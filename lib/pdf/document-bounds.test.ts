/**
 * Every document kind (invoice, credit note, receipt) in both languages, filled to the limits
 * of what the forms accept (lib/account/validation.ts, the credit note's reason), read back
 * with poppler's `pdftotext -bbox`: no word's box leaves the page's margins, and no two words'
 * boxes overlap (a title printed over the line below it, a value run into its neighbour).
 */
import { afterAll, describe, expect, it } from "vitest";
import type { IssuedCustomer, Language } from "@/db/schema";
import { customerInfoSchema } from "@/lib/account/validation";
import { creditInputSchema } from "@/lib/billing/credit";
import { countryOptions } from "@/lib/countries";
import { hasPdftotext, pdfWordBoxes, type WordBox } from "@/tests/setup/pdf-text";
import { PAGE_GEOMETRY } from "./page-geometry";
import { closePdfPool } from "./render";
import { renderInvoicePdfInProcess, renderReceiptPdfInProcess } from "./render-document";
import { sampleInvoicePdfData } from "./sample";
import type { InvoicePdfData, ReceiptPdfData } from "@/lib/invoices/types";

afterAll(async () => {
  await closePdfPool();
});

/**
 * Exactly `length` characters of wide letters: as words (wrapped at spaces), or as one
 * unbroken word (a form accepts that too; it must then be cut inside the margins).
 */
function longest(length: number, words: boolean): string {
  const source = words ? "Wärmö Mölnbyggs Östmarks Wåghalsiga Maskinverkstäder & Kompaniet " : "WärmöMölnbyggsÖstmarksWåghalsigaMaskinverkstäder";
  let text = "";
  while (text.length < length) text += source;
  return text.slice(0, length - 1) + "W"; // never ends on a space: the form trims it
}

/** The longest country name in `language`: its documents print the name, not the code. */
const longestCountry = (language: Language) =>
  countryOptions(language).reduce((a, b) => (b.name.length > a.name.length ? b : a)).code;

/** A customer block at every field's maximum length, as the Customer Info form accepts it. */
function longestCustomer(language: Language, words: boolean): IssuedCustomer {
  const countryCode = longestCountry(language);
  const input = customerInfoSchema.parse({
    firstName: longest(80, words),
    lastName: longest(80, words),
    companyName: longest(120, words),
    street: longest(120, words),
    city: longest(80, words),
    zipCode: "W".repeat(16), // no zip rule for these countries: any 16 characters
    countryCode,
    vatNumber: countryCode + "W".repeat(22),
    purchaseOrder: longest(60, words),
    careOf: longest(80, words),
    separateBilling: "",
  });
  expect(input.companyName).toHaveLength(120); // the form took it whole
  return {
    name: input.companyName,
    careOf: input.careOf,
    street: input.street,
    zipCode: input.zipCode,
    city: input.city,
    countryCode: input.countryCode,
    organisationNumber: "5599999999-99999", // set by support, not a form: a generous length
    vatNumber: input.vatNumber,
    purchaseOrder: input.purchaseOrder,
  };
}

function invoice(language: Language, words: boolean, type: InvoicePdfData["type"]): InvoicePdfData {
  const base = sampleInvoicePdfData({ lines: 12, language });
  const reason = creditInputSchema.parse({ number: "10042", amount: "1", reason: longest(500, words) }).reason;
  return type === "invoice"
    ? { ...base, customer: longestCustomer(language, words), paymentReference: "9".repeat(16) }
    : { ...base, type, number: 10_050, creditedInvoiceNumber: 10_042, creditReason: reason, customer: longestCustomer(language, words) };
}

function receipt(language: Language, words: boolean): ReceiptPdfData {
  const base = sampleInvoicePdfData({ language });
  return {
    provider: base.provider,
    customer: longestCustomer(language, words),
    paymentId: "3f2a9c1d-7b4e-4c1a-9d2f-0123456789ab",
    paidAt: "2026-11-20 10:30",
    method: "card",
    cardLabel: "Mastercard •••• 4444",
    // A Stripe Checkout session id (66 characters), the longest reference a provider gives here.
    providerReference: "cs_live_b1WmWqZtXy7K3vQpR9sT2uV5wX8yZ0aB4cD6eF8gH1iJ3kL5mN7oP9qR2s",
    currency: "EUR",
    language,
    amountMinor: 999_999_999_999n,
    // Enough invoices to run onto a third page: rows, head and footer must not meet there either.
    allocations: Array.from({ length: 150 }, (_, i) => ({ number: 10_042 + i, invoiceDate: "2026-11-01", amountMinor: 6_666_666_666n })),
    creditMinor: 0n,
  };
}

const EPSILON = 0.01;
const show = (w: WordBox) => `"${w.text}" p${w.page} [${w.xMin.toFixed(1)}–${w.xMax.toFixed(1)} × ${w.yMin.toFixed(1)}–${w.yMax.toFixed(1)}]`;

/** Words outside the frame the pages are planned in: side margins, top margin, footer's bottom. */
function outsideMargins(pdf: Uint8Array): string[] {
  return pdfWordBoxes(pdf).flatMap((page) =>
    page.words
      .filter(
        (w) =>
          w.xMin < PAGE_GEOMETRY.marginX - EPSILON ||
          w.xMax > page.width - PAGE_GEOMETRY.marginX + EPSILON ||
          w.yMin < PAGE_GEOMETRY.marginTop - EPSILON ||
          w.yMax > page.height - PAGE_GEOMETRY.footerBottom + EPSILON,
      )
      .map(show),
  );
}

function overlapping(pdf: Uint8Array): string[] {
  const found: string[] = [];
  for (const page of pdfWordBoxes(pdf)) {
    const words = page.words;
    for (let i = 0; i < words.length; i++) {
      for (let j = i + 1; j < words.length; j++) {
        const a = words[i]!;
        const b = words[j]!;
        const across = Math.min(a.xMax, b.xMax) - Math.max(a.xMin, b.xMin);
        const down = Math.min(a.yMax, b.yMax) - Math.max(a.yMin, b.yMin);
        if (across > EPSILON && down > EPSILON) found.push(`${show(a)} overlaps ${show(b)}`);
      }
    }
  }
  return found;
}

const kinds = ["invoice", "credit note", "receipt"] as const;
const cases = kinds.flatMap((kind) =>
  (["en", "sv"] as const).flatMap((language) => [true, false].map((words) => ({ kind, language, words }))),
);

describe.skipIf(!hasPdftotext)("documents filled to the forms' limits", () => {
  it.each(cases)("$kind in $language (words: $words): every word inside the margins, none over another", async ({ kind, language, words }) => {
    const pdf =
      kind === "receipt"
        ? await renderReceiptPdfInProcess(receipt(language, words))
        : await renderInvoicePdfInProcess(invoice(language, words, kind === "invoice" ? "invoice" : "credit_note"));
    const pages = pdfWordBoxes(pdf);
    expect(pages.flatMap((p) => p.words).length).toBeGreaterThan(50); // the text layer was read
    if (kind === "receipt") expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(outsideMargins(pdf)).toEqual([]);
    expect(overlapping(pdf)).toEqual([]);
  }, 60_000);
});
