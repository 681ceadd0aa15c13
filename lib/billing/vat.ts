/**
 * VAT of a billing run's invoice, decided by the customer (the provider is a Swedish company
 * selling electronically supplied services, so the place of supply is the customer's country):
 *
 * - a customer in Sweden pays Swedish VAT, 25 %, whether a company or a person;
 * - a business in another EU country with a VAT number: reverse charge, 0 %, and the invoice
 *   carries the legal note (vat_category `reverse_charge`, Article 196 of Directive 2006/112/EC);
 * - a customer outside the EU: no VAT, 0 % (vat_category `export`);
 * - a customer in another EU country without a VAT number (a private person, or a company that
 *   gave none): Swedish VAT, 25 %. Without a VAT number the sale is treated as one to a
 *   consumer, and Sweden's rate applies while the provider stays under the EU's €10,000 OSS
 *   threshold for such sales; a provider above it would charge the customer country's rate
 *   through OSS, which this panel does not do.
 *
 * A product whose own VAT category is `exempt` is billed at 0 % on any invoice.
 */
import type { VatCategory } from "@/db/schema";

/** Basis points: 2500 = 25 %. */
export const SWEDISH_VAT_BP = 2500;

/** The 27 member states by ISO 3166-1 alpha-2 code (Greece is GR here, EL only in VAT numbers). */
export const EU_COUNTRIES: ReadonlySet<string> = new Set([
  "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
  "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
]);

export type VatDecision = { category: VatCategory; rateBp: number };

export type VatCustomer = { countryCode: string; vatNumber: string | null };

export function vatFor(customer: VatCustomer): VatDecision {
  const country = customer.countryCode.trim().toUpperCase();
  if (country === "SE") return { category: "standard", rateBp: SWEDISH_VAT_BP };
  if (!EU_COUNTRIES.has(country)) return { category: "export", rateBp: 0 };
  if (customer.vatNumber && customer.vatNumber.trim() !== "") return { category: "reverse_charge", rateBp: 0 };
  return { category: "standard", rateBp: SWEDISH_VAT_BP };
}

/** The rate of one line: the invoice's, except for a product that is exempt from VAT. */
export function lineVatRateBp(decision: VatDecision, productCategory: VatCategory): number {
  return productCategory === "exempt" ? 0 : decision.rateBp;
}
