/** Invoice data as pages and PDFs show it, worded and formatted by the documents' dictionary and decimal formatting, so page and PDF agree. */
import type { Language, VatCategory } from "@/db/schema";
import { pdfStrings, serviceName, unitName } from "@/lib/format/invoice-strings";
import type { ComparableCreditNote, ComparableLine } from "./comparison";
import type { InvoiceDetail } from "./detail";

export { formatQuantity, formatUnitPrice } from "@/lib/format/decimal";

/** The legal VAT note an invoice of this category carries, or null. */
export function vatNote(category: VatCategory, language: Language): string | null {
  const s = pdfStrings(language);
  if (category === "reverse_charge") return s.reverseChargeNote;
  if (category === "export") return s.exportNote;
  if (category === "exempt") return s.exemptNote;
  return null;
}

type StoredLine = InvoiceDetail["lines"][number];

/**
 * A line's label in `language`. A line keeps the label it was issued with, in the account's
 * language of that day ("Memory (sto1)"); when that is the price list's label (or a credit
 * note's own line) in either language, it prints as the same label in `language` ("Minne
 * (sto1)"). Any other label (a product renamed since, a hand-made line) prints as issued.
 */
function lineLabel(line: StoredLine, language: Language, creditedNumber: number | null): string {
  const byLanguage: Record<Language, string>[] = [];
  if (line.productLabelEn !== null && line.productLabelSv !== null) byLanguage.push({ en: line.productLabelEn, sv: line.productLabelSv });
  if (creditedNumber !== null) byLanguage.push({ en: pdfStrings("en").creditLine(creditedNumber), sv: pdfStrings("sv").creditLine(creditedNumber) });
  const suffix = line.region ? ` (${line.region})` : "";
  for (const labels of byLanguage) {
    for (const issued of Object.values(labels)) {
      if (line.label === issued) return labels[language];
      if (suffix && line.label === issued + suffix) return labels[language] + suffix;
    }
  }
  return line.label;
}

/** The invoice's lines with service, label and unit in `language`, for its page and its PDF alike. */
export function localizedLines(invoice: Pick<InvoiceDetail, "lines" | "type" | "related">, language: Language) {
  const credited = invoice.type === "credit_note" ? (invoice.related.find((r) => r.type === "invoice")?.number ?? null) : null;
  return invoice.lines.map((line) => ({
    ...line,
    service: serviceName(line.service, language),
    label: lineLabel(line, language, credited),
    unit: unitName(line.unit, language),
  }));
}

/** Groups lines by service, keeping their order of first appearance: the page and the PDF group alike. */
export function groupByService<T extends { service: string }>(lines: readonly T[]): { service: string; lines: T[] }[] {
  const groups = new Map<string, T[]>();
  for (const line of lines) {
    const group = groups.get(line.service);
    if (group) group.push(line);
    else groups.set(line.service, [line]);
  }
  return [...groups.entries()].map(([service, serviceLines]) => ({ service, lines: serviceLines }));
}

/**
 * A product and region as the comparison names it, in `language`: the price list's label (the
 * service when the product has none) and the region, never one line's own label, since lines of
 * one product and region are summed ("vCPU (sto1) · project-001" would name them all).
 */
function productRegionLabel(line: StoredLine, language: Language): string {
  const product = (language === "sv" ? line.productLabelSv : line.productLabelEn) ?? serviceName(line.service, language);
  return line.region ? `${product} (${line.region})` : product;
}

/** An invoice's lines (labelled per product and region in `language`) and credit notes, as "Compared with last month" takes them. */
export function comparableInvoice(
  invoice: Pick<InvoiceDetail, "lines" | "type" | "related">,
  language: Language,
): { lines: ComparableLine[]; creditNotes: ComparableCreditNote[] } {
  return {
    lines: invoice.lines.map((line) => ({ productCode: line.productCode, region: line.region, label: productRegionLabel(line, language), amountMinor: line.amountMinor })),
    creditNotes: invoice.related
      .filter((r) => r.type === "credit_note")
      .map((r) => ({ number: r.number, invoiceDate: r.invoiceDate, totalMinor: r.totalMinor })),
  };
}
