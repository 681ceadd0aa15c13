/**
 * A deterministic example invoice: used for the warm-up render (so the first real PDF finds
 * fonts loaded and code compiled), by the PDF tests and by scripts/pdf-smoke.ts.
 */
import { computeTotals, lineAmountMinor } from "@/lib/money";
import type { InvoicePdfData, InvoicePdfLanguage, InvoicePdfLine, InvoicePdfVatCategory } from "@/lib/invoices/types";

export type SampleOptions = {
  lines?: number;
  language?: InvoicePdfLanguage;
  vatCategory?: InvoicePdfVatCategory;
  number?: number;
};

const SERVICES = [
  { service: "Compute", label: "Instance b.2c4gb", unit: "h", quantity: "720", price: "3.125" },
  { service: "Block storage", label: "Volume (SSD) Łódź–Malmö", unit: "GiB-month", quantity: "500", price: "9.5" },
  { service: "Object storage", label: "Objektlagring för Åsa Öberg", unit: "GiB-month", quantity: "1250.5", price: "1.9" },
  { service: "Data transfer", label: "Egress to internet, Żółć", unit: "GiB", quantity: "3072", price: "0.75" },
  { service: "Support", label: "Business support", unit: "month", quantity: "1", price: "9900" },
] as const;
const REGIONS = ["sto1", "sto2", "fra1", "kna1"] as const;

export function sampleInvoicePdfData(options: SampleOptions = {}): InvoicePdfData {
  const count = options.lines ?? 6;
  const vatCategory = options.vatCategory ?? "standard";
  const vatRateBp = vatCategory === "standard" ? 2500 : 0;
  const lines: InvoicePdfLine[] = [];
  for (let i = 0; i < count; i++) {
    const svc = SERVICES[i % SERVICES.length]!;
    const n = Math.floor(i / SERVICES.length);
    const [whole, frac = "0"] = svc.quantity.split(".");
    const quantity = n === 0 ? svc.quantity : `${Number(whole) + n}.${frac}${n % 10}`;
    lines.push({
      service: svc.service,
      label: n === 0 ? svc.label : `${svc.label} #${n + 1}`,
      region: svc.service === "Support" ? null : REGIONS[i % REGIONS.length]!,
      quantity,
      unit: svc.unit,
      unitPriceMinor: svc.price,
      amountMinor: lineAmountMinor(quantity, svc.price),
      vatRateBp,
    });
  }
  if (count > 1) {
    // A discount line: negative amounts must format correctly too.
    lines.push({
      service: "Support",
      label: "Discount",
      region: null,
      quantity: "1",
      unit: "pcs",
      unitPriceMinor: "-5000",
      amountMinor: -5000n,
      vatRateBp,
    });
  }
  const totals = computeTotals(lines);
  const paidMinor = totals.totalMinor / 4n;
  return {
    provider: {
      name: "Cumulus Cloud AB",
      addressLines: ["Molngatan 1", "111 22 Stockholm"],
      countryCode: "SE",
      organisationNumber: "556000-0000",
      vatNumber: "SE556000000001",
      iban: "SE45 5000 0000 0583 9825 7466",
      bic: "ESSESESS",
      bankgiro: "5050-1055",
      email: "billing@cumulus.example",
      web: "cumulus.example",
    },
    customer: {
      name: "Example Cloud Customer AB",
      careOf: "Łucja Żak",
      street: "Storgatan 12",
      zipCode: "411 38",
      city: "Göteborg",
      countryCode: vatCategory === "reverse_charge" ? "PL" : "SE",
      organisationNumber: "559999-9999",
      vatNumber: vatCategory === "reverse_charge" ? "PL5260001246" : "SE559999999901",
      purchaseOrder: "PO-2026-0042",
    },
    number: options.number ?? 10_042,
    type: "invoice",
    creditedInvoiceNumber: null,
    creditReason: null,
    invoiceDate: "2026-11-01",
    dueDate: "2026-12-01",
    periodStart: "2026-10-01",
    periodEnd: "2026-10-31",
    currency: "EUR",
    language: options.language ?? "en",
    vatCategory,
    lines,
    totals,
    paidMinor,
    outstandingMinor: totals.totalMinor - paidMinor,
    paymentReference: "10042017",
    paymentUnderWay: false,
  };
}
