/** Invoice data as pages show it, worded and formatted by the PDF's dictionary and decimal formatting, so page and PDF agree. */
import type { Language, VatCategory } from "@/db/schema";
import { localeOf } from "@/lib/money";
import { pdfStrings } from "@/lib/pdf/strings";

export { formatQuantity, formatUnitPrice } from "@/lib/pdf/decimal";

export function countryName(countryCode: string, language: Language): string {
  try {
    return new Intl.DisplayNames([localeOf(language)], { type: "region" }).of(countryCode) ?? countryCode;
  } catch {
    return countryCode;
  }
}

/** The legal VAT note an invoice of this category carries, or null. */
export function vatNote(category: VatCategory, language: Language): string | null {
  const s = pdfStrings(language);
  if (category === "reverse_charge") return s.reverseChargeNote;
  if (category === "export") return s.exportNote;
  if (category === "exempt") return s.exemptNote;
  return null;
}
