import { describe, expect, it } from "vitest";
import { formatMoneyChange, formatPercentChange } from "@/lib/money";
import { compareInvoices, type ComparableLine } from "./comparison";
import type { InvoiceDetail } from "./detail";
import { comparableInvoice } from "./presentation";

const line = (productCode: string, region: string | null, amountMinor: bigint, label = `${productCode} (${region})`): ComparableLine => ({
  productCode,
  region,
  label,
  amountMinor,
});
const none = { lines: [], creditNotes: [] };

describe("compareInvoices", () => {
  it("says a first invoice has nothing to compare with, and keeps its credit notes", () => {
    const credit = { number: 7, invoiceDate: "2026-11-05", totalMinor: 500n };
    expect(compareInvoices({ lines: [line("vcpu", "fra1", 100n)], creditNotes: [credit] }, null)).toEqual({ kind: "first", creditNotes: [credit] });
  });

  it("compares two empty months as no rows and no movers", () => {
    expect(compareInvoices(none, none)).toEqual({ kind: "compared", rows: [], movers: [], creditNotes: [] });
  });

  it("matches lines by product and region, marks new and gone, and computes the change exactly", () => {
    const result = compareInvoices(
      { lines: [line("vcpu", "fra1", 96_340n), line("vcpu", "sto1", 1_000n), line("support", null, 5_000n)], creditNotes: [] },
      { lines: [line("vcpu", "fra1", 65_100n), line("vcpu", "sto1", 1_000n), line("ram", "fra1", 2_000n)], creditNotes: [] },
    );
    if (result.kind !== "compared") throw new Error("expected a comparison");
    expect(result.rows.map((r) => [r.label, r.kind, r.changeMinor, r.changeBp])).toEqual([
      ["vcpu (fra1)", "changed", 31_240n, 4799],
      ["vcpu (sto1)", "unchanged", 0n, 0],
      ["support (null)", "new", 5_000n, null],
      ["ram (fra1)", "gone", -2_000n, -10_000],
    ]);
    expect(result.movers.map((r) => r.label)).toEqual(["vcpu (fra1)", "support (null)", "ram (fra1)"]);
  });

  it("names at most three movers, biggest change first whatever its sign", () => {
    const result = compareInvoices(
      { lines: [line("a", null, 110n), line("b", null, 0n), line("c", null, 150n), line("d", null, 101n)], creditNotes: [] },
      { lines: [line("a", null, 100n), line("b", null, 300n), line("c", null, 100n), line("d", null, 100n)], creditNotes: [] },
    );
    if (result.kind !== "compared") throw new Error("expected a comparison");
    expect(result.movers.map((r) => [r.label, r.changeMinor])).toEqual([
      ["b (null)", -300n],
      ["c (null)", 50n],
      ["a (null)", 10n],
    ]);
  });

  it("gives no percentage when the previous amount was zero", () => {
    const result = compareInvoices({ lines: [line("a", "x", 250n)], creditNotes: [] }, { lines: [line("a", "x", 0n)], creditNotes: [] });
    if (result.kind !== "compared") throw new Error("expected a comparison");
    expect(result.rows[0]).toMatchObject({ kind: "changed", changeMinor: 250n, changeBp: null });
  });

  it("sums lines of one product and region, and measures a discount's change against its size", () => {
    const result = compareInvoices(
      { lines: [line("disc", null, -300n), line("disc", null, -100n)], creditNotes: [] },
      { lines: [line("disc", null, -200n)], creditNotes: [] },
    );
    if (result.kind !== "compared") throw new Error("expected a comparison");
    expect(result.rows).toEqual([{ label: "disc (null)", kind: "changed", currentMinor: -400n, previousMinor: -200n, changeMinor: -200n, changeBp: -10_000 }]);
  });

  it("labels lines of one product and region, summed, by the product and region rather than the first line", () => {
    const stored = (label: string, amountMinor: bigint, region: string | null = "sto1"): InvoiceDetail["lines"][number] => ({
      position: 1, service: "Compute", productCode: "compute.vcpu", label, region, quantity: "1", unit: "h",
      unitPriceMinor: "1", amountMinor, vatRateBp: 2500, productLabelEn: "vCPU", productLabelSv: "vCPU",
    });
    const invoice = (lines: InvoiceDetail["lines"]) => comparableInvoice({ type: "invoice", related: [], lines }, "en");
    const result = compareInvoices(
      invoice([stored("vCPU (sto1) · project-001", 300n), stored("vCPU (sto1) · project-002", 200n), { ...stored("Own line", 50n, null), productLabelEn: null, productLabelSv: null }]),
      invoice([stored("vCPU (sto1) · project-002", 400n)]),
    );
    if (result.kind !== "compared") throw new Error("expected a comparison");
    expect(result.rows.map((r) => [r.label, r.currentMinor, r.previousMinor])).toEqual([
      ["vCPU (sto1)", 500n, 400n],
      ["Compute", 50n, null],
    ]);
  });

  it("lists the credit notes of both months by number", () => {
    const older = { number: 10, invoiceDate: "2026-10-20", totalMinor: 100n };
    const newer = { number: 12, invoiceDate: "2026-11-20", totalMinor: 200n };
    const result = compareInvoices({ lines: [], creditNotes: [newer] }, { lines: [], creditNotes: [older] });
    expect(result.creditNotes).toEqual([older, newer]);
  });
});

describe("change formatting", () => {
  it("writes the sign and the account's number format, in the currency's minor units", () => {
    expect(formatMoneyChange(31_240n, "EUR", "en")).toBe("+312.40 EUR");
    expect(formatMoneyChange(-123_456n, "SEK", "sv")).toBe("−1\u00a0234,56 SEK");
    expect(formatMoneyChange(1_500n, "JPY", "en")).toBe("+1,500 JPY");
    expect(formatMoneyChange(1_500n, "BHD", "en")).toBe("+1.500 BHD");
    expect(formatMoneyChange(0n, "EUR", "en")).toBe("0.00 EUR");
  });

  it("writes whole percent from 10 % up and one decimal below", () => {
    expect(formatPercentChange(4799, "en")).toBe("+48 %");
    expect(formatPercentChange(-125, "sv")).toBe("−1,3 %");
    expect(formatPercentChange(0, "en")).toBe("0 %");
    expect(formatPercentChange(-10_000, "en")).toBe("−100 %");
  });
});
