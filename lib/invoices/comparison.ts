/**
 * "Compared with last month": an invoice's lines against the same product and region on the
 * account's previous invoice. Pure, so the page and its tests see the same numbers.
 */
import { divRound } from "@/lib/money";

/** A line as the comparison needs it: labelled by its product and region (the same for each of their lines) in the viewer's language. */
export type ComparableLine = { productCode: string; region: string | null; label: string; amountMinor: bigint };

/** A credit note shown below the comparison: it has no product or region to match. */
export type ComparableCreditNote = { number: number; invoiceDate: string; totalMinor: bigint };

export type LineChangeKind = "new" | "gone" | "changed" | "unchanged";

export type LineChange = {
  label: string;
  kind: LineChangeKind;
  /** Null for a gone line (not on this invoice) or a new one (not on the previous). */
  currentMinor: bigint | null;
  previousMinor: bigint | null;
  changeMinor: bigint;
  /**
   * The change in hundredths of a percent of the previous amount (4800 = +48 %), or null when
   * there is nothing to divide by: a new line, or one that cost nothing last time.
   */
  changeBp: number | null;
};

export type InvoiceComparison =
  | { kind: "first"; creditNotes: ComparableCreditNote[] }
  | { kind: "compared"; rows: LineChange[]; movers: LineChange[]; creditNotes: ComparableCreditNote[] };

/** How many of the biggest movers are named above the table. */
export const MOVER_COUNT = 3;

type Sum = { label: string; amountMinor: bigint };

/** Lines of one product and region summed: an invoice may split one product over several lines. */
function sumByProductRegion(lines: readonly ComparableLine[]): Map<string, Sum> {
  const sums = new Map<string, Sum>();
  for (const line of lines) {
    const key = `${line.productCode}\u0000${line.region ?? ""}`;
    const sum = sums.get(key);
    if (sum) sum.amountMinor += line.amountMinor;
    else sums.set(key, { label: line.label, amountMinor: line.amountMinor });
  }
  return sums;
}

function absolute(value: bigint): bigint {
  return value < 0n ? -value : value;
}

function lineChange(current: Sum | undefined, previous: Sum | undefined): LineChange {
  const currentMinor = current ? current.amountMinor : null;
  const previousMinor = previous ? previous.amountMinor : null;
  const changeMinor = (currentMinor ?? 0n) - (previousMinor ?? 0n);
  const kind: LineChangeKind = !previous ? "new" : !current ? "gone" : changeMinor === 0n ? "unchanged" : "changed";
  // A discount is negative: its change is measured against its size, so a bigger discount is a negative change.
  const changeBp = previousMinor === null || previousMinor === 0n ? null : Number(divRound(changeMinor * 10_000n, absolute(previousMinor)));
  return { label: (current ?? previous)!.label, kind, currentMinor, previousMinor, changeMinor, changeBp };
}

/**
 * Each product and region of either invoice with its change, in this invoice's order then the
 * gone lines; the biggest movers by the size of their change. Without a previous invoice there
 * is nothing to compare: a first invoice says so instead of showing every line as new.
 */
export function compareInvoices(
  current: { lines: readonly ComparableLine[]; creditNotes: readonly ComparableCreditNote[] },
  previous: { lines: readonly ComparableLine[]; creditNotes: readonly ComparableCreditNote[] } | null,
): InvoiceComparison {
  if (!previous) return { kind: "first", creditNotes: [...current.creditNotes] };
  const now = sumByProductRegion(current.lines);
  const before = sumByProductRegion(previous.lines);
  const rows = [...now].map(([key, sum]) => lineChange(sum, before.get(key)));
  for (const [key, sum] of before) if (!now.has(key)) rows.push(lineChange(undefined, sum));
  const movers = rows
    .filter((row) => row.changeMinor !== 0n)
    .sort((a, b) => (absolute(b.changeMinor) > absolute(a.changeMinor) ? 1 : absolute(b.changeMinor) < absolute(a.changeMinor) ? -1 : 0))
    .slice(0, MOVER_COUNT);
  const creditNotes = [...previous.creditNotes, ...current.creditNotes].sort((a, b) => a.number - b.number);
  return { kind: "compared", rows, movers, creditNotes };
}
