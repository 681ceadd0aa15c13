/**
 * An invoice or credit note as a UBL 2.1 document conforming to EN 16931 and Peppol BIS Billing
 * 3.0, from the same data its PDF is printed from (lib/invoices/pdf.ts): the issued customer
 * block, the lines, the VAT groups and totals of lib/money.ts, the payment reference. Elements
 * follow the order of the UBL schema, which Peppol validators check. Built with xmlbuilder2,
 * which escapes every value.
 */
import { create } from "xmlbuilder2";
import type { XMLBuilder } from "xmlbuilder2/lib/interfaces";
import type { InvoicePdfData, InvoicePdfProvider } from "@/lib/invoices/types";
import { toDecimalString, type VatGroup } from "@/lib/money";
import { exemptionOf, minorDecimalToMajor, negateDecimal, percentOf, trimDecimal, unitCodeOf, type VatCategoryCode } from "./codes";
import type { ParticipantId } from "./participant";

export const CUSTOMIZATION_ID = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0";
export const PROFILE_ID = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0";
export const NS = {
  invoice: "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
  creditNote: "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
  cac: "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
  cbc: "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
} as const;

export type EInvoiceInput = {
  /** Exactly what the PDF prints (pdfData in lib/invoices/pdf.ts). */
  document: InvoicePdfData;
  /** Each line's VAT category, in the order of document.lines. */
  lineCategories: readonly VatCategoryCode[];
  /** For a credit note: the invoice it credits. */
  creditedInvoice: { number: number; invoiceDate: string } | null;
  sellerEndpoint: ParticipantId | null;
  buyerEndpoint: ParticipantId | null;
  /** The invoice's PDF, embedded as an additional document. */
  pdf: { bytes: Uint8Array; fileName: string };
};

type Node = XMLBuilder;
const cbc = (parent: Node, name: string, text: string | number, attrs?: Record<string, string>) =>
  parent.ele(NS.cbc, `cbc:${name}`, attrs).txt(String(text)).up();
const cac = (parent: Node, name: string) => parent.ele(NS.cac, `cac:${name}`);

/** Builds the UBL XML (UTF-8, with an XML declaration). */
export function buildUbl(input: EInvoiceInput): string {
  const d = input.document;
  if (input.lineCategories.length !== d.lines.length) throw new RangeError("one VAT category per line");
  const creditNote = d.type === "credit_note";
  const root = create({ version: "1.0", encoding: "UTF-8" }).ele(creditNote ? NS.creditNote : NS.invoice, creditNote ? "CreditNote" : "Invoice", {
    "xmlns:cac": NS.cac,
    "xmlns:cbc": NS.cbc,
  });
  const money = (minor: bigint) => ({ text: toDecimalString(minor, d.currency), attrs: { currencyID: d.currency } });
  const amount = (parent: Node, name: string, minor: bigint) => {
    const m = money(minor);
    cbc(parent, name, m.text, m.attrs);
  };

  header(root, input, creditNote);
  const seller = cac(cac(root, "AccountingSupplierParty"), "Party");
  sellerParty(seller, d.provider, input.sellerEndpoint);
  const buyer = cac(cac(root, "AccountingCustomerParty"), "Party");
  buyerParty(buyer, d.customer, input.buyerEndpoint);
  paymentMeans(root, input, creditNote);

  const taxTotal = cac(root, "TaxTotal");
  amount(taxTotal, "TaxAmount", d.totals.vatMinor);
  for (const b of vatBreakdown(d.totals.vatGroups, d.lines, input.lineCategories)) {
    const sub = cac(taxTotal, "TaxSubtotal");
    amount(sub, "TaxableAmount", b.baseMinor);
    amount(sub, "TaxAmount", b.vatMinor);
    taxCategory(cac(sub, "TaxCategory"), b.category, b.rateBp, d.language);
  }

  // What has been paid or credited already is "prepaid": the payable amount is the PDF's outstanding one.
  const payableMinor = creditNote ? d.totals.totalMinor : d.outstandingMinor;
  const totals = cac(root, "LegalMonetaryTotal");
  amount(totals, "LineExtensionAmount", d.totals.netMinor);
  amount(totals, "TaxExclusiveAmount", d.totals.netMinor);
  amount(totals, "TaxInclusiveAmount", d.totals.totalMinor);
  if (d.totals.totalMinor !== payableMinor) amount(totals, "PrepaidAmount", d.totals.totalMinor - payableMinor);
  amount(totals, "PayableAmount", payableMinor);

  d.lines.forEach((line, i) => invoiceLine(root, line, i, input.lineCategories[i]!, d, creditNote));
  return root.end({ prettyPrint: true });
}

function header(root: Node, input: EInvoiceInput, creditNote: boolean) {
  const d = input.document;
  cbc(root, "CustomizationID", CUSTOMIZATION_ID);
  cbc(root, "ProfileID", PROFILE_ID);
  cbc(root, "ID", d.number);
  cbc(root, "IssueDate", d.invoiceDate);
  if (!creditNote) cbc(root, "DueDate", d.dueDate);
  cbc(root, creditNote ? "CreditNoteTypeCode" : "InvoiceTypeCode", creditNote ? "381" : "380");
  if (creditNote && d.creditReason) cbc(root, "Note", d.creditReason);
  cbc(root, "DocumentCurrencyCode", d.currency);
  // Peppol asks for a buyer reference or an order reference: the purchase order when the customer gave one.
  cbc(root, "BuyerReference", d.customer.purchaseOrder ?? d.customer.name);
  const period = cac(root, "InvoicePeriod");
  cbc(period, "StartDate", d.periodStart);
  cbc(period, "EndDate", d.periodEnd);
  if (d.customer.purchaseOrder) cbc(cac(root, "OrderReference"), "ID", d.customer.purchaseOrder);
  if (input.creditedInvoice) {
    const ref = cac(cac(root, "BillingReference"), "InvoiceDocumentReference");
    cbc(ref, "ID", input.creditedInvoice.number);
    cbc(ref, "IssueDate", input.creditedInvoice.invoiceDate);
  }
  const doc = cac(root, "AdditionalDocumentReference");
  cbc(doc, "ID", input.pdf.fileName);
  cbc(doc, "DocumentDescription", creditNote ? "Credit note PDF" : "Invoice PDF");
  cbc(cac(doc, "Attachment"), "EmbeddedDocumentBinaryObject", Buffer.from(input.pdf.bytes).toString("base64"), {
    mimeCode: "application/pdf",
    filename: input.pdf.fileName,
  });
}

function endpoint(party: Node, id: ParticipantId | null) {
  if (id) cbc(party, "EndpointID", id.identifier, { schemeID: id.scheme });
}

/** The provider's postal lines: the last is "postcode city" ("111 21 Stockholm"), the ones before it street lines. */
export function splitProviderAddress(lines: readonly string[]): { street: string; additional: string | null; zipCode: string | null; city: string } {
  const last = lines.at(-1) ?? "";
  const m = /^((?:[A-Z]{1,2}-?)?\d[\d ]{2,8}\d)\s+(.+)$/.exec(last.trim());
  const streets = lines.slice(0, -1);
  return { street: streets[0] ?? "", additional: streets.slice(1).join(", ") || null, zipCode: m ? m[1]! : null, city: m ? m[2]! : last };
}

function address(party: Node, a: { street: string; additional: string | null; city: string; zipCode: string | null; countryCode: string }) {
  const node = cac(party, "PostalAddress");
  if (a.street) cbc(node, "StreetName", a.street);
  if (a.additional) cbc(node, "AdditionalStreetName", a.additional);
  cbc(node, "CityName", a.city);
  if (a.zipCode) cbc(node, "PostalZone", a.zipCode);
  cbc(cac(node, "Country"), "IdentificationCode", a.countryCode);
}

function vatScheme(party: Node, vatNumber: string) {
  const scheme = cac(party, "PartyTaxScheme");
  cbc(scheme, "CompanyID", vatNumber.replace(/\s/g, ""));
  cbc(cac(scheme, "TaxScheme"), "ID", "VAT");
}

function sellerParty(party: Node, p: InvoicePdfProvider, id: ParticipantId | null) {
  endpoint(party, id);
  cbc(cac(party, "PartyName"), "Name", p.name);
  address(party, { ...splitProviderAddress(p.addressLines), countryCode: p.countryCode });
  vatScheme(party, p.vatNumber);
  const legal = cac(party, "PartyLegalEntity");
  cbc(legal, "RegistrationName", p.name);
  cbc(legal, "CompanyID", p.organisationNumber);
  cbc(cac(party, "Contact"), "ElectronicMail", p.email);
}

function buyerParty(party: Node, c: InvoicePdfData["customer"], id: ParticipantId | null) {
  endpoint(party, id);
  cbc(cac(party, "PartyName"), "Name", c.name);
  address(party, { street: c.street, additional: c.careOf ? `c/o ${c.careOf}` : null, city: c.city, zipCode: c.zipCode, countryCode: c.countryCode });
  if (c.vatNumber) vatScheme(party, c.vatNumber);
  const legal = cac(party, "PartyLegalEntity");
  cbc(legal, "RegistrationName", c.name);
  if (c.organisationNumber) cbc(legal, "CompanyID", c.organisationNumber);
}

/**
 * An invoice is paid by credit transfer to the provider's IBAN quoting the payment reference:
 * SEPA (58) in euro, any credit transfer (30) otherwise. A credit note asks for no payment; its
 * terms say which invoice it settles.
 */
function paymentMeans(root: Node, input: EInvoiceInput, creditNote: boolean) {
  const d = input.document;
  if (creditNote) {
    const credited = input.creditedInvoice ? ` ${input.creditedInvoice.number}` : "";
    cbc(cac(root, "PaymentTerms"), "Note", d.language === "sv" ? `Krediterar faktura${credited}.` : `Credits invoice${credited}.`);
    return;
  }
  const means = cac(root, "PaymentMeans");
  cbc(means, "PaymentMeansCode", d.currency === "EUR" ? "58" : "30");
  cbc(means, "PaymentID", d.paymentReference);
  const account = cac(means, "PayeeFinancialAccount");
  cbc(account, "ID", d.provider.iban.replace(/\s/g, ""));
  cbc(account, "Name", d.provider.name);
  // An operator may give an IBAN without a BIC; Peppol refuses an empty element (PEPPOL-EN16931-R008).
  if (d.provider.bic) cbc(cac(account, "FinancialInstitutionBranch"), "ID", d.provider.bic);
}

function taxCategory(node: Node, category: VatCategoryCode, rateBp: number, language: InvoicePdfData["language"]) {
  cbc(node, "ID", category);
  cbc(node, "Percent", percentOf(rateBp));
  const exemption = exemptionOf(category, language);
  if (exemption?.code) cbc(node, "TaxExemptionReasonCode", exemption.code);
  if (exemption) cbc(node, "TaxExemptionReason", exemption.reason);
  cbc(cac(node, "TaxScheme"), "ID", "VAT");
}

export type VatBreakdown = { category: VatCategoryCode; rateBp: number; baseMinor: bigint; vatMinor: bigint };

/**
 * The VAT breakdown per category and rate. A taxed group is the PDF's VAT group as it is (VAT
 * rounded once per rate, lib/money.ts); the 0 % group is split by category, its VAT being 0.
 */
export function vatBreakdown(
  groups: readonly VatGroup[],
  lines: ReadonlyArray<{ amountMinor: bigint; vatRateBp: number }>,
  categories: readonly VatCategoryCode[],
): VatBreakdown[] {
  const out: VatBreakdown[] = [];
  for (const g of groups) {
    if (g.rateBp > 0) {
      out.push({ category: "S", rateBp: g.rateBp, baseMinor: g.baseMinor, vatMinor: g.vatMinor });
      continue;
    }
    const bases = new Map<VatCategoryCode, bigint>();
    lines.forEach((l, i) => {
      if (l.vatRateBp === 0) bases.set(categories[i]!, (bases.get(categories[i]!) ?? 0n) + l.amountMinor);
    });
    for (const [category, baseMinor] of bases) out.push({ category, rateBp: 0, baseMinor, vatMinor: 0n });
  }
  return out;
}

function invoiceLine(root: Node, line: InvoicePdfData["lines"][number], index: number, category: VatCategoryCode, d: InvoicePdfData, creditNote: boolean) {
  const node = cac(root, creditNote ? "CreditNoteLine" : "InvoiceLine");
  cbc(node, "ID", index + 1);
  const unit = unitCodeOf(line.unit);
  if (!unit.exact) cbc(node, "Note", `${d.language === "sv" ? "Enhet" : "Unit"}: ${line.unit}`);
  // A price is never negative in EN 16931 (BR-27): a discount is a negative quantity at a positive price.
  const negativePrice = line.unitPriceMinor.trim().startsWith("-");
  const quantity = trimDecimal(line.quantity);
  cbc(node, creditNote ? "CreditedQuantity" : "InvoicedQuantity", negativePrice ? negateDecimal(quantity) : quantity, { unitCode: unit.code });
  cbc(node, "LineExtensionAmount", toDecimalString(line.amountMinor, d.currency), { currencyID: d.currency });
  const item = cac(node, "Item");
  cbc(item, "Name", line.label);
  const tax = cac(item, "ClassifiedTaxCategory");
  cbc(tax, "ID", category);
  cbc(tax, "Percent", percentOf(line.vatRateBp));
  cbc(cac(tax, "TaxScheme"), "ID", "VAT");
  const price = minorDecimalToMajor(line.unitPriceMinor, d.currency);
  cbc(cac(node, "Price"), "PriceAmount", negativePrice ? negateDecimal(price) : price, { currencyID: d.currency });
}

