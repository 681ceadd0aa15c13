/**
 * Plans a payment receipt: every text formatted and wrapped to its column with the fonts' own
 * widths (text-measure.ts), on the invoice's page geometry (PAGE_GEOMETRY), and split into pages. react-pdf
 * then only places lines that already fit, so nothing it prints wraps again, breaks inside a
 * word or runs past the margin. A receipt for hundreds of invoices runs onto more pages, each
 * with the table head and "Page x of y", as the invoice does (react-pdf's own page flow printed
 * the first row of a new page over the next one under a repeated head).
 */
import { formatDate } from "@/lib/dates";
import { pdfStrings } from "@/lib/format/invoice-strings";
import type { ReceiptPdfData } from "@/lib/invoices/types";
import { formatMoney, localeOf } from "@/lib/money";
import { PAGE_GEOMETRY } from "./page-geometry";
import { planText, planTopBlocks, type PlanLabelValue, type PlanText, type TopBlocks } from "./plan-blocks";
import { receiptStrings, type ReceiptStrings } from "./receipt-strings";
import type { Measure } from "./text-measure";

/** Receipt columns in points; the rest of the geometry is the invoice's. */
export const RECEIPT_COLUMNS = {
  /** Table: invoice number and amount; the invoice date takes the rest. */
  numberWidth: 140,
  amountWidth: 140,
  /** A provider's reference (Stripe's session ids run to 66 characters) gets a row of its own. */
  referenceValueWidth: PAGE_GEOMETRY.contentWidth - PAGE_GEOMETRY.metaLabelWidth,
} as const;

export type ReceiptPlanRow = { number: string; date: string; amount: string; height: number };

export type ReceiptPlanPage = { top: boolean; rows: ReceiptPlanRow[]; summary: boolean; pageLabel: string };

export type ReceiptPlan = {
  title: string;
  author: string;
  locale: string;
  providerName: string;
  providerAddress: string;
  heading: string;
  numberLine: string;
  heightA: number;
  customerHeading: string;
  customerName: string;
  customerLines: string;
  meta: PlanLabelValue[];
  heightB: number;
  /** The provider's reference, on a row of its own under the two blocks, or null. */
  reference: PlanLabelValue | null;
  /** Page 1's blocks above the table: both block rows, the reference and their gaps. */
  topHeight: number;
  tableHead: ReceiptPlanRow;
  rows: ReceiptPlanRow[];
  totals: PlanLabelValue[];
  totalsBold: boolean[];
  thanks: string;
  footer: { text: string; height: number };
  /** Bottom padding of every page: the footer's band. */
  paddingBottom: number;
  pages: ReceiptPlanPage[];
};

/** What every step of the receipt's plan shares. */
type ReceiptContext = PlanText & {
  data: ReceiptPdfData;
  strings: ReceiptStrings;
  money: (minor: bigint) => string;
};

export function planReceipt(data: ReceiptPdfData, measure: Measure): ReceiptPlan {
  const ctx: ReceiptContext = {
    ...planText(measure),
    data,
    strings: receiptStrings(data.language),
    money: (minor) => formatMoney(minor, data.currency, data.language),
  };
  const { strings } = ctx;
  const top = receiptTop(ctx);
  const footer = receiptFooter(ctx);
  const paddingBottom = PAGE_GEOMETRY.footerBottom + footer.height + PAGE_GEOMETRY.footerGap;
  const tableHead = receiptRow(ctx, strings.invoice, strings.invoiceDate, strings.amount, true);
  const rows = data.allocations.map((a) => receiptRow(ctx, String(a.number), formatDate(a.invoiceDate), ctx.money(a.amountMinor)));
  const summary = receiptSummary(ctx);
  const pageCount = pdfStrings(data.language).page;
  const pages = paginate(top.height, tableHead.height, rows, summary.height, PAGE_GEOMETRY.pageHeight - PAGE_GEOMETRY.marginTop - paddingBottom).map(
    (page, i, all) => ({ ...page, pageLabel: `${strings.receipt} · ${pageCount(i + 1, all.length)}` }),
  );
  return {
    title: `${strings.receipt} ${data.paymentId}`,
    author: data.provider.name,
    locale: localeOf(data.language),
    providerName: top.blocks.providerName,
    providerAddress: top.blocks.providerAddress,
    heading: top.blocks.title,
    numberLine: top.blocks.numberLine,
    heightA: top.blocks.heightA,
    customerHeading: strings.customer,
    customerName: top.blocks.customerName,
    customerLines: top.blocks.customerLines,
    meta: top.meta,
    heightB: top.blocks.heightB,
    reference: top.reference,
    topHeight: top.height,
    tableHead,
    rows,
    totals: summary.totals,
    totalsBold: summary.totals.map((_, i) => i === summary.totals.length - 1),
    thanks: summary.thanks,
    footer,
    paddingBottom,
    pages,
  };
}

/** Page 1's blocks: the shared top, how the payment was made, and the provider's reference on a row of its own. */
function receiptTop(ctx: ReceiptContext): { blocks: TopBlocks; meta: PlanLabelValue[]; reference: PlanLabelValue | null; height: number } {
  const { data, strings } = ctx;
  const g = PAGE_GEOMETRY;
  const metaRow = (label: string, value: string) => ctx.labelValue(label, value, g.metaLabelWidth, g.metaValueWidth);
  const meta = [
    metaRow(strings.paidAt, data.paidAt),
    metaRow(strings.method, strings.methods[data.method]),
    ...(data.cardLabel ? [metaRow(strings.card, data.cardLabel)] : []),
  ];
  const blocks = planTopBlocks(ctx, {
    provider: data.provider,
    customer: data.customer,
    language: data.language,
    title: strings.receipt,
    // The payment id on a line of its own: it breaks (at a hyphen) only if it alone is too wide.
    numberLine: `${strings.receiptNumber}\n${data.paymentId}`,
    numberSize: g.smallSize,
    numberLineHeight: g.smallLine,
    meta,
  });
  const reference = data.providerReference
    ? ctx.labelValue(strings.reference, data.providerReference, g.metaLabelWidth, RECEIPT_COLUMNS.referenceValueWidth)
    : null;
  const height = blocks.heightA + g.topGap + blocks.heightB + g.blocksGap + (reference ? reference.height + g.blocksGap : 0);
  return { blocks, meta, reference, height };
}

/** One row of the table of settled invoices: number, invoice date, amount. */
function receiptRow(ctx: ReceiptContext, number: string, date: string, amount: string, bold = false): ReceiptPlanRow {
  const g = PAGE_GEOMETRY;
  const dateWidth = g.contentWidth - RECEIPT_COLUMNS.numberWidth - RECEIPT_COLUMNS.amountWidth;
  const cells = [
    ctx.wrap(number, RECEIPT_COLUMNS.numberWidth, g.fontSize, bold),
    ctx.wrap(date, dateWidth, g.fontSize, bold),
    ctx.wrap(amount, RECEIPT_COLUMNS.amountWidth, g.fontSize, bold),
  ];
  return {
    number: cells[0]!.text,
    date: cells[1]!.text,
    amount: cells[2]!.text,
    height: Math.max(...cells.map((x) => x.lines)) * g.lineHeight + 2 * g.rowPadding,
  };
}

/** The totals (credit kept, then the total paid in bold) and the thanks under them. */
function receiptSummary(ctx: ReceiptContext): { totals: PlanLabelValue[]; thanks: string; height: number } {
  const { data, strings, money } = ctx;
  const g = PAGE_GEOMETRY;
  const totalsLabelWidth = g.totalsWidth - g.totalsValueWidth;
  const totals = [
    ...(data.creditMinor > 0n ? [ctx.labelValue(strings.creditKept, money(data.creditMinor), totalsLabelWidth, g.totalsValueWidth)] : []),
    ctx.labelValue(strings.totalPaid, money(data.amountMinor), totalsLabelWidth, g.totalsValueWidth, g.lineHeight, true),
  ];
  const thanks = ctx.wrap(strings.thanks, g.contentWidth);
  const height = g.summaryGap + totals.reduce((h, t) => h + t.height, 0) + g.grandTotalExtra + g.paymentGap + thanks.lines * g.lineHeight;
  return { totals, thanks: thanks.text, height };
}

/** The provider's line at the foot of every page. */
function receiptFooter(ctx: ReceiptContext): { text: string; height: number } {
  const { provider, language } = ctx.data;
  const invoiceStrings = pdfStrings(language);
  const g = PAGE_GEOMETRY;
  const footer = ctx.wrap(
    [provider.name, `${invoiceStrings.organisationNumber} ${provider.organisationNumber}`, `${invoiceStrings.vatNumber} ${provider.vatNumber}`, provider.email].join(" · "),
    g.contentWidth - g.footerPageWidth,
    g.smallSize,
  );
  return { text: footer.text, height: g.footerPaddingTop + footer.lines * g.smallLine };
}

/**
 * Rows onto pages of `contentHeight`: page 1 starts under the blocks, every page with the
 * table head; the summary follows the last row, on a page of its own if it does not fit.
 */
function paginate(topHeight: number, headHeight: number, rows: ReceiptPlanRow[], summaryHeight: number, contentHeight: number) {
  const pages: Omit<ReceiptPlanPage, "pageLabel">[] = [{ top: true, rows: [], summary: false }];
  let used = topHeight + headHeight;
  for (const row of rows) {
    const page = pages.at(-1)!;
    // A page with no rows yet takes the row anyway: a row taller than a page must go somewhere.
    if (used + row.height > contentHeight + 0.01 && page.rows.length > 0) {
      pages.push({ top: false, rows: [row], summary: false });
      used = headHeight + row.height;
    } else {
      page.rows.push(row);
      used += row.height;
    }
  }
  if (used + summaryHeight > contentHeight + 0.01) pages.push({ top: false, rows: [], summary: true });
  else pages.at(-1)!.summary = true;
  return pages;
}
