/**
 * E-invoices (lib/einvoice): every invoice and credit note as UBL 2.1 conforming to EN 16931 and
 * Peppol BIS Billing 3.0, checked against EN 16931's business rules (named by their ids) and
 * the PDF's own numbers, for every VAT case (S, AE, G, E) and both languages. Peppol delivery
 * is in einvoice-delivery.test.ts. Runs on PostgreSQL and PGlite.
 */
import { sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { productPrices, products } from "@/db/schema";
import { issueCreditNote } from "@/lib/billing/credit";
import { parsePeriod } from "@/lib/billing/period";
import { runBilling } from "@/lib/billing/run";
import { eInvoiceFor } from "@/lib/einvoice/document";
import { resetEnvCache } from "@/lib/env";
import { getInvoiceDetail } from "@/lib/invoices/detail";
import { invoicePdf, pdfData } from "@/lib/invoices/pdf";
import { vatNote } from "@/lib/invoices/presentation";
import { paymentReferenceFor } from "@/lib/reference";
import { closePdfPool } from "@/lib/pdf/render";
import { hasPdftotext, pdfText } from "@/tests/setup/pdf-text";
import { setupTestDatabase } from "../setup/db";
import { issued, linesOf, makeAccount, STANDARD_USAGE, type IssuedFacts } from "./billing-fixtures";
import { cents, emptyElements, parseUbl, type El } from "./einvoice-xml";

const { db } = await setupTestDatabase();
const OCTOBER = parsePeriod("2026-10");
const TODAY = "2026-11-01";

/** A product exempt from VAT (E), billed at 0 % on every invoice. */
const EXEMPT = { code: "training.exempt", service: "Support", labelEn: "Certified training", labelSv: "Certifierad utbildning", unit: "pcs", vatCategory: "exempt" as const };

type Case = { key: string; language: "en" | "sv"; categories: string[] };
const CASES: Case[] = [
  { key: "se", language: "en", categories: ["S", "E"] },
  { key: "seSv", language: "sv", categories: ["S"] },
  { key: "fi", language: "en", categories: ["AE", "E"] },
  { key: "fiSv", language: "sv", categories: ["AE"] },
  { key: "us", language: "en", categories: ["G"] },
  { key: "noSv", language: "sv", categories: ["G"] },
];

const accountIds: Record<string, string> = {};
const invoiceOf: Record<string, IssuedFacts> = {};
let creditNote: { number: number; accountId: string } = { number: 0, accountId: "" };

beforeAll(async () => {
  await makeAccount(db, { name: "Seed products", countryCode: "SE", usage: [] }, OCTOBER.start);
  await db.insert(products).values(EXEMPT).onConflictDoNothing();
  await db.insert(productPrices).values([{ productCode: EXEMPT.code, currency: "EUR", unitPriceMinor: "12000" }, { productCode: EXEMPT.code, currency: "SEK", unitPriceMinor: "130000" }]);
  const withExempt = [...STANDARD_USAGE, { product: EXEMPT.code, quantity: "2", unit: "pcs" }, { product: "discount.commitment", quantity: "1" }];
  const specs = {
    se: { name: "Svensk Kund AB", countryCode: "SE", organisationNumber: "556732-1707", vatNumber: "SE556732170701", purchaseOrder: "PO-4711", usage: withExempt },
    seSv: { name: "Svensk Kund & Söner AB", countryCode: "SE", currency: "SEK", language: "sv" as const, organisationNumber: "556036-0793", vatNumber: "SE556036079301" },
    fi: { name: "Suomi Oy", countryCode: "FI", vatNumber: "FI01114552", usage: withExempt },
    fiSv: { name: "Åbo Ab", countryCode: "FI", language: "sv" as const, vatNumber: "FI01114552" },
    us: { name: "US <Corp> \"Cloud\"", countryCode: "US" },
    noSv: { name: "Norsk AS", countryCode: "NO", language: "sv" as const, vatNumber: "NO974760673MVA" },
  };
  for (const [key, spec] of Object.entries(specs)) accountIds[key] = await makeAccount(db, spec, OCTOBER.start);
  await runBilling(db, { period: OCTOBER, today: TODAY });
  const byAccount = new Map((await issued(db)).map((i) => [i.accountId, i]));
  for (const key of Object.keys(specs)) invoiceOf[key] = byAccount.get(accountIds[key]!)!;
  const credit = await issueCreditNote(db, { number: String(invoiceOf.se!.number), amount: "100.00", reason: "Outage in sto1 <3 Oct>" }, { today: "2026-11-20" });
  if (!credit.ok) throw new Error(credit.message);
  creditNote = { number: credit.creditNote.number, accountId: accountIds.se! };
});

afterAll(async () => {
  await closePdfPool();
});

async function ublOf(accountId: string, number: number, language: "en" | "sv") {
  const ubl = await eInvoiceFor(db, accountId, number, TODAY, language);
  if (!ubl) throw new Error(`no invoice ${number}`);
  return { ...ubl, doc: parseUbl(ubl.xml) };
}

const lineName = (doc: El) => (doc.name === "CreditNote" ? "cac:CreditNoteLine" : "cac:InvoiceLine");
const amountOf = (el: El, ...path: string[]) => cents(el.get(...path).text);
const sum = (values: bigint[]) => values.reduce((a, b) => a + b, 0n);
const subtotals = (doc: El) => doc.get("cac:TaxTotal").all("cac:TaxSubtotal");
const categoryOf = (sub: El) => sub.get("cac:TaxCategory", "cbc:ID").text;
const lineCategoryOf = (line: El) => line.get("cac:Item", "cac:ClassifiedTaxCategory", "cbc:ID").text;

describe.each(CASES)("invoice for $key ($language, $categories)", ({ key, language, categories }) => {
  it("BR-01 to BR-16: every mandatory element is there, with the Peppol BIS 3.0 customization and profile", async () => {
    const { doc } = await ublOf(accountIds[key]!, invoiceOf[key]!.number, language);
    expect(doc.name).toBe("Invoice");
    expect(doc.namespace).toBe("urn:oasis:names:specification:ubl:schema:xsd:Invoice-2");
    expect(doc.get("cbc:CustomizationID").text).toBe("urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"); // BR-01
    expect(doc.get("cbc:ProfileID").text).toBe("urn:fdc:peppol.eu:2017:poacc:billing:01:1.0");
    expect(doc.get("cbc:ID").text).toBe(String(invoiceOf[key]!.number)); // BR-02
    expect(doc.get("cbc:IssueDate").text).toBe(invoiceOf[key]!.invoiceDate); // BR-03
    expect(doc.get("cbc:InvoiceTypeCode").text).toBe("380"); // BR-04
    expect(doc.get("cbc:DocumentCurrencyCode").text).toBe(invoiceOf[key]!.currency); // BR-05
    expect(doc.get("cac:AccountingSupplierParty", "cac:Party", "cac:PartyLegalEntity", "cbc:RegistrationName").text).toBe("Cumulus Cloud AB"); // BR-06
    expect(doc.get("cac:AccountingCustomerParty", "cac:Party", "cac:PartyLegalEntity", "cbc:RegistrationName").text).toBe(invoiceOf[key]!.customer.name); // BR-07
    expect(doc.has("cac:AccountingSupplierParty", "cac:Party", "cac:PostalAddress")).toBe(true); // BR-08
    expect(doc.get("cac:AccountingSupplierParty", "cac:Party", "cac:PostalAddress", "cac:Country", "cbc:IdentificationCode").text).toBe("SE"); // BR-09
    expect(doc.has("cac:AccountingCustomerParty", "cac:Party", "cac:PostalAddress")).toBe(true); // BR-10
    expect(doc.get("cac:AccountingCustomerParty", "cac:Party", "cac:PostalAddress", "cac:Country", "cbc:IdentificationCode").text).toBe(invoiceOf[key]!.customer.countryCode); // BR-11
    for (const total of ["LineExtensionAmount", "TaxExclusiveAmount", "TaxInclusiveAmount", "PayableAmount"]) {
      expect(doc.has("cac:LegalMonetaryTotal", `cbc:${total}`)).toBe(true); // BR-12 to BR-15
    }
    expect(doc.all("cac:InvoiceLine").length).toBeGreaterThan(0); // BR-16
    // Peppol: the elements in the UBL schema's order (validators reject any other).
    const order = ["cbc:CustomizationID", "cbc:ProfileID", "cbc:ID", "cbc:IssueDate", "cbc:DueDate", "cbc:InvoiceTypeCode", "cbc:DocumentCurrencyCode", "cbc:BuyerReference", "cac:InvoicePeriod", "cac:AdditionalDocumentReference", "cac:AccountingSupplierParty", "cac:AccountingCustomerParty", "cac:PaymentMeans", "cac:TaxTotal", "cac:LegalMonetaryTotal", "cac:InvoiceLine"];
    const names = doc.childNames().filter((n) => order.includes(n));
    expect(names).toEqual([...names].sort((a, b) => order.indexOf(a) - order.indexOf(b)));
  });

  it("BR-CO-10, BR-CO-13, BR-CO-14, BR-CO-15, BR-CO-16: the totals add up and are the PDF's", async () => {
    const { doc } = await ublOf(accountIds[key]!, invoiceOf[key]!.number, language);
    const facts = invoiceOf[key]!;
    const lines = doc.all("cac:InvoiceLine");
    const dbLines = await linesOf(db, facts.id);
    const totals = doc.get("cac:LegalMonetaryTotal");
    expect(amountOf(totals, "cbc:LineExtensionAmount")).toBe(sum(lines.map((l) => amountOf(l, "cbc:LineExtensionAmount")))); // BR-CO-10
    expect(amountOf(totals, "cbc:LineExtensionAmount")).toBe(sum(dbLines.map((l) => l.amountMinor)));
    expect(amountOf(totals, "cbc:TaxExclusiveAmount")).toBe(amountOf(totals, "cbc:LineExtensionAmount")); // BR-CO-13 (no document allowances or charges)
    const taxTotal = amountOf(doc, "cac:TaxTotal", "cbc:TaxAmount");
    expect(taxTotal).toBe(sum(subtotals(doc).map((s) => amountOf(s, "cbc:TaxAmount")))); // BR-CO-14
    expect(amountOf(totals, "cbc:TaxInclusiveAmount")).toBe(amountOf(totals, "cbc:TaxExclusiveAmount") + taxTotal); // BR-CO-15
    const prepaid = totals.has("cbc:PrepaidAmount") ? amountOf(totals, "cbc:PrepaidAmount") : 0n;
    expect(amountOf(totals, "cbc:PayableAmount")).toBe(amountOf(totals, "cbc:TaxInclusiveAmount") - prepaid); // BR-CO-16
    // The invoice row's stored totals, as the PDF prints them.
    expect([amountOf(totals, "cbc:TaxExclusiveAmount"), taxTotal, amountOf(totals, "cbc:TaxInclusiveAmount")]).toEqual([facts.netMinor, facts.vatMinor, facts.totalMinor]);
    const detail = (await getInvoiceDetail(db, accountIds[key]!, facts.number, TODAY))!;
    expect(amountOf(totals, "cbc:PayableAmount")).toBe(pdfData(detail, language).outstandingMinor);
    for (const amount of [...lines.map((l) => l.get("cbc:LineExtensionAmount")), totals.get("cbc:PayableAmount"), doc.get("cac:TaxTotal", "cbc:TaxAmount")]) {
      expect(amount.attr("currencyID")).toBe(facts.currency); // BR-CL-03
    }
  });

  it(`BR-S-08, BR-S-09, BR-AE-08..10, BR-G-08..10, BR-E-08..10: the VAT breakdown per category and rate (${categories.join(", ")})`, async () => {
    const { doc } = await ublOf(accountIds[key]!, invoiceOf[key]!.number, language);
    const lines = doc.all("cac:InvoiceLine");
    expect([...new Set(subtotals(doc).map(categoryOf))].sort()).toEqual([...categories].sort());
    for (const sub of subtotals(doc)) {
      const category = categoryOf(sub);
      const percent = sub.get("cac:TaxCategory", "cbc:Percent").text;
      const ofCategory = lines.filter((l) => lineCategoryOf(l) === category && l.get("cac:Item", "cac:ClassifiedTaxCategory", "cbc:Percent").text === percent);
      // BR-S-08 / BR-AE-08 / BR-G-08 / BR-E-08: the taxable amount is the sum of its lines.
      expect(amountOf(sub, "cbc:TaxableAmount")).toBe(sum(ofCategory.map((l) => amountOf(l, "cbc:LineExtensionAmount"))));
      const reasonCode = sub.has("cac:TaxCategory", "cbc:TaxExemptionReasonCode") ? sub.get("cac:TaxCategory", "cbc:TaxExemptionReasonCode").text : null;
      const reason = sub.has("cac:TaxCategory", "cbc:TaxExemptionReason") ? sub.get("cac:TaxCategory", "cbc:TaxExemptionReason").text : null;
      if (category === "S") {
        // BR-S-09: VAT is the taxable amount times the rate, rounded to 2 decimals (half away from zero).
        const base = amountOf(sub, "cbc:TaxableAmount");
        const rateHundredths = BigInt(Math.round(Number(percent) * 100));
        expect(amountOf(sub, "cbc:TaxAmount")).toBe((base * rateHundredths * 2n + 10_000n) / 20_000n);
        expect(reasonCode ?? reason).toBeNull(); // BR-S-10
      } else {
        expect(percent).toBe("0"); // BR-AE-06 / BR-G-06 / BR-E-06 on the breakdown
        expect(amountOf(sub, "cbc:TaxAmount")).toBe(0n); // BR-AE-09 / BR-G-09 / BR-E-09
        // BR-AE-10 / BR-G-10 / BR-E-10: an exemption reason code or text; BR-CL-22: codes from VATEX.
        expect(reasonCode ?? reason).not.toBeNull();
        if (category === "AE") expect(reasonCode).toBe("VATEX-EU-AE");
        if (category === "G") expect(reasonCode).toBe("VATEX-EU-G");
        // The PDF's own VAT note, in the document's language.
        expect(reason).toBe(vatNote(({ AE: "reverse_charge", G: "export", E: "exempt" } as const)[category as "AE" | "G" | "E"], language));
      }
    }
    // The PDF's VAT groups: the same VAT per rate.
    const detail = (await getInvoiceDetail(db, accountIds[key]!, invoiceOf[key]!.number, TODAY))!;
    for (const g of detail.totals.vatGroups) {
      const ofRate = subtotals(doc).filter((s) => s.get("cac:TaxCategory", "cbc:Percent").text === String(g.rateBp / 100));
      expect(sum(ofRate.map((s) => amountOf(s, "cbc:TaxAmount")))).toBe(g.vatMinor);
      expect(sum(ofRate.map((s) => amountOf(s, "cbc:TaxableAmount")))).toBe(g.baseMinor);
    }
  });

  it("BR-CL-*: code lists (type code, currency, countries, payment means, VAT categories, Rec 20 units, MIME code, endpoint schemes)", async () => {
    const { doc } = await ublOf(accountIds[key]!, invoiceOf[key]!.number, language);
    expect(["380", "381"]).toContain(doc.get("cbc:InvoiceTypeCode").text); // BR-CL-01
    expect(doc.get("cbc:DocumentCurrencyCode").text).toMatch(/^[A-Z]{3}$/); // BR-CL-04
    for (const party of ["cac:AccountingSupplierParty", "cac:AccountingCustomerParty"]) {
      expect(doc.get(party, "cac:Party", "cac:PostalAddress", "cac:Country", "cbc:IdentificationCode").text).toMatch(/^[A-Z]{2}$/); // BR-CL-14
    }
    expect(doc.get("cac:PaymentMeans", "cbc:PaymentMeansCode").text).toBe(invoiceOf[key]!.currency === "EUR" ? "58" : "30"); // BR-CL-16
    for (const line of doc.all("cac:InvoiceLine")) {
      expect(["S", "AE", "G", "E"]).toContain(lineCategoryOf(line)); // BR-CL-18
      expect(["HUR", "MON", "E62", "C62"]).toContain(line.get("cbc:InvoicedQuantity").attr("unitCode")); // BR-CL-23
      expect(cents(line.get("cbc:LineExtensionAmount").text)).toBeDefined(); // BR-DEC-23: 2 decimals at most
      expect(line.get("cac:Price", "cbc:PriceAmount").text).not.toMatch(/^-/); // BR-27
    }
    const pdf = doc.get("cac:AdditionalDocumentReference", "cac:Attachment", "cbc:EmbeddedDocumentBinaryObject");
    expect(pdf.attr("mimeCode")).toBe("application/pdf"); // BR-CL-24
    expect(doc.get("cac:AccountingSupplierParty", "cac:Party", "cbc:EndpointID").attr("schemeID")).toBe("0007"); // BR-CL-25
  });

  it("PEPPOL-EN16931-R008: has no empty element", async () => {
    const { doc } = await ublOf(accountIds[key]!, invoiceOf[key]!.number, language);
    expect(emptyElements(doc)).toEqual([]);
  });

  it("holds the PDF's facts: parties as issued, due date, payment reference and IBAN, the embedded PDF itself, lines in the document's language", async () => {
    const { doc, fileName } = await ublOf(accountIds[key]!, invoiceOf[key]!.number, language);
    const facts = invoiceOf[key]!;
    const buyer = doc.get("cac:AccountingCustomerParty", "cac:Party");
    expect(buyer.get("cac:PartyName", "cbc:Name").text).toBe(facts.customer.name);
    expect(buyer.get("cac:PostalAddress", "cbc:StreetName").text).toBe(facts.customer.street);
    expect(buyer.get("cac:PostalAddress", "cbc:PostalZone").text).toBe(facts.customer.zipCode);
    if (facts.customer.vatNumber) expect(buyer.get("cac:PartyTaxScheme", "cbc:CompanyID").text).toBe(facts.customer.vatNumber);
    else expect(buyer.has("cac:PartyTaxScheme")).toBe(false);
    const seller = doc.get("cac:AccountingSupplierParty", "cac:Party");
    expect(seller.get("cac:PartyTaxScheme", "cbc:CompanyID").text).toBe("SE559000000101");
    expect(seller.get("cac:PartyLegalEntity", "cbc:CompanyID").text).toBe("559000-0001");
    expect(doc.get("cbc:DueDate").text).toBe(facts.dueDate);
    const means = doc.get("cac:PaymentMeans");
    expect(means.get("cbc:PaymentID").text).toBe(paymentReferenceFor(facts.number));
    expect(means.get("cac:PayeeFinancialAccount", "cbc:ID").text).toBe("SE4550000000058398257466");
    expect(fileName).toBe(`Cumulus-${facts.invoiceDate.slice(0, 7)}-${facts.number}.xml`);
    const detail = (await getInvoiceDetail(db, accountIds[key]!, facts.number, TODAY))!;
    const embedded = Buffer.from(doc.get("cac:AdditionalDocumentReference", "cac:Attachment", "cbc:EmbeddedDocumentBinaryObject").text, "base64");
    expect(embedded.equals(Buffer.from((await invoicePdf(db, detail, language)).bytes))).toBe(true);
    const names = doc.all("cac:InvoiceLine").map((l) => l.get("cac:Item", "cbc:Name").text);
    expect(names).toEqual(pdfData(detail, language).lines.map((l) => l.label));
    expect(names.some((n) => n.startsWith(language === "sv" ? "Företagssupport" : "Business support"))).toBe(true);
  });
});

describe("lines", () => {
  it("gives hours HUR, months MON and compound units C62 with the unit in a note; a discount is a negative quantity at a positive price (BR-27)", async () => {
    const { doc } = await ublOf(accountIds.se!, invoiceOf.se!.number, "en");
    const lines = doc.all("cac:InvoiceLine");
    const byName = (prefix: string) => lines.find((l) => l.get("cac:Item", "cbc:Name").text.startsWith(prefix))!;
    expect(byName("vCPU").get("cbc:InvoicedQuantity").attr("unitCode")).toBe("HUR");
    expect(byName("vCPU").get("cac:Price", "cbc:PriceAmount").text).toBe("0.019");
    expect(byName("Memory").get("cbc:InvoicedQuantity").attr("unitCode")).toBe("C62");
    expect(byName("Memory").get("cbc:Note").text).toBe("Unit: GiB·h");
    expect(byName("Business support").get("cbc:InvoicedQuantity").attr("unitCode")).toBe("MON");
    const discount = byName("Commitment discount");
    expect(discount.get("cbc:InvoicedQuantity").text).toBe("-1");
    expect(discount.get("cac:Price", "cbc:PriceAmount").text).toBe("50");
    expect(discount.get("cbc:LineExtensionAmount").text).toBe("-50.00");
    expect(lineCategoryOf(byName("Certified training"))).toBe("E");
    expect(lineCategoryOf(byName("vCPU"))).toBe("S");
  });

  it("escapes what the customer typed: the document parses and keeps the name as it is", async () => {
    const { doc, xml } = await ublOf(accountIds.us!, invoiceOf.us!.number, "en");
    expect(xml).not.toContain('<Corp> "Cloud"');
    expect(doc.get("cac:AccountingCustomerParty", "cac:Party", "cac:PartyName", "cbc:Name").text).toBe('US <Corp> "Cloud"');
  });
});

describe("credit note", () => {
  it("BR-55: is a CreditNote (381) that references the invoice it credits, with the credit's totals and no payment asked", async () => {
    const { doc } = await ublOf(creditNote.accountId, creditNote.number, "en");
    expect(doc.name).toBe("CreditNote");
    expect(doc.namespace).toBe("urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2");
    expect(doc.get("cbc:CreditNoteTypeCode").text).toBe("381");
    const ref = doc.get("cac:BillingReference", "cac:InvoiceDocumentReference");
    expect(ref.get("cbc:ID").text).toBe(String(invoiceOf.se!.number));
    expect(ref.get("cbc:IssueDate").text).toBe(invoiceOf.se!.invoiceDate);
    expect(doc.get("cbc:Note").text).toBe("Outage in sto1 <3 Oct>");
    const totals = doc.get("cac:LegalMonetaryTotal");
    expect(amountOf(totals, "cbc:TaxInclusiveAmount")).toBe(10_000n);
    expect(amountOf(totals, "cbc:PayableAmount")).toBe(10_000n); // BR-CO-16: nothing prepaid
    expect(amountOf(totals, "cbc:LineExtensionAmount")).toBe(sum(doc.all(lineName(doc)).map((l) => amountOf(l, "cbc:LineExtensionAmount")))); // BR-CO-10
    expect(doc.has("cac:PaymentMeans")).toBe(false);
    expect(doc.get("cac:PaymentTerms", "cbc:Note").text).toContain(String(invoiceOf.se!.number)); // BR-CO-25
    expect(doc.all("cac:CreditNoteLine").every((l) => l.get("cbc:CreditedQuantity").attr("unitCode") !== null)).toBe(true);
    expect([...new Set(subtotals(doc).map(categoryOf))].sort()).toEqual(["E", "S"]);
    expect(emptyElements(doc)).toEqual([]); // PEPPOL-EN16931-R008
  });
});

describe("PEPPOL-EN16931-R010: the buyer's EndpointID without a participant id", () => {
  it("is the one the customer's organisation or VAT number gives where the scheme is certain, else absent (docs/einvoice.md)", async () => {
    const endpoint = async (key: string) => {
      const { doc } = await ublOf(accountIds[key]!, invoiceOf[key]!.number, "en");
      const party = doc.get("cac:AccountingCustomerParty", "cac:Party");
      return party.has("cbc:EndpointID") ? `${party.get("cbc:EndpointID").attr("schemeID")}:${party.get("cbc:EndpointID").text}` : null;
    };
    expect(await endpoint("se")).toBe("0007:5567321707");
    expect(await endpoint("fi")).toBe("0216:003701114552");
    expect(await endpoint("noSv")).toBe("0192:974760673");
    expect(await endpoint("us")).toBeNull();
  });
});

describe("an operator's IBAN without a BIC", () => {
  afterEach(() => {
    delete process.env.CUMULUS_PROVIDER_IBAN;
    resetEnvCache();
  });

  it("PEPPOL-EN16931-R008: names the account and leaves the financial institution out instead of writing it empty", async () => {
    process.env.CUMULUS_PROVIDER_IBAN = "DE89 3704 0044 0532 0130 00";
    resetEnvCache();
    const { doc } = await ublOf(accountIds.fi!, invoiceOf.fi!.number, "en");
    const account = doc.get("cac:PaymentMeans", "cac:PayeeFinancialAccount");
    expect(account.get("cbc:ID").text).toBe("DE89370400440532013000");
    expect(account.has("cac:FinancialInstitutionBranch")).toBe(false);
    expect(emptyElements(doc)).toEqual([]);
  });
});

describe("an invoice partly paid", () => {
  it("BR-CO-16: shows the payments as prepaid and the PDF's outstanding amount as payable", async () => {
    const facts = invoiceOf.seSv!;
    await db.execute(sql`insert into payments (id, account_id, provider, method, state, amount_minor, currency, settled_at)
      values ('00000000-0000-4000-8000-000000000001', ${facts.accountId}::uuid, 'bank_transfer', 'bank_transfer', 'succeeded', 10000, ${facts.currency}, now())`);
    await db.execute(sql`insert into payment_allocations (payment_id, invoice_id, amount_minor) values ('00000000-0000-4000-8000-000000000001', ${facts.id}::uuid, 10000)`);
    const { doc } = await ublOf(facts.accountId, facts.number, "sv");
    const totals = doc.get("cac:LegalMonetaryTotal");
    expect(amountOf(totals, "cbc:PrepaidAmount")).toBe(10_000n);
    expect(amountOf(totals, "cbc:PayableAmount")).toBe(facts.totalMinor - 10_000n);
    expect(amountOf(totals, "cbc:PayableAmount")).toBe(amountOf(totals, "cbc:TaxInclusiveAmount") - amountOf(totals, "cbc:PrepaidAmount"));
  });
});

describe.runIf(hasPdftotext)("the embedded PDF", () => {
  it("prints the same total as the XML", async () => {
    const { doc } = await ublOf(accountIds.se!, invoiceOf.se!.number, "en");
    const pdf = Buffer.from(doc.get("cac:AdditionalDocumentReference", "cac:Attachment", "cbc:EmbeddedDocumentBinaryObject").text, "base64");
    const total = doc.get("cac:LegalMonetaryTotal", "cbc:TaxInclusiveAmount").text;
    const [whole, frac] = total.split(".");
    expect(pdfText(pdf).replace(/\s+/g, " ")).toContain(`${Number(whole).toLocaleString("en-GB")}.${frac}`);
  });
});

describe("another account's invoice", () => {
  it("is not found, like a missing one", async () => {
    expect(await eInvoiceFor(db, accountIds.fi!, invoiceOf.se!.number, TODAY, "en")).toBeNull();
    expect(await eInvoiceFor(db, accountIds.fi!, 999_999_999, TODAY, "en")).toBeNull();
  });
});
