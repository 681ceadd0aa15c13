/**
 * Plans a payment receipt: every text formatted and wrapped to its column with the fonts' own
 * widths (text-measure.ts), on the invoice's page geometry (PAGE_GEOMETRY), and split into pages. react-pdf
 * then only places lines that already fit, so nothing it prints wraps again, breaks inside a
 * word or runs past the margin. A receipt for hundreds of invoices runs onto more pages, each
 * with the table head and "Page x of y", as the invoice does (react-pdf's own page flow printed
 * the first row of a new page over the next one under a repeated head).
 */
import { countryName } from "@/lib/countries";
import { formatDate } from "@/lib/dates";
import { formatMoney, localeOf } from "@/lib/money";
import { PAGE_GEOMETRY, providerAddressLines, type PlanCell, type PlanLabelValue } from "./layout";
import { receiptStrings } from "./receipt-strings";
import { pdfStrings } from "@/lib/format/invoice-strings";
import { wrapText, type Measure } from "./text-measure";
import type { ReceiptPdfData } from "@/lib/invoices/types";

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

export function planReceipt(data: ReceiptPdfData, measure: Measure): ReceiptPlan {
  const strings = receiptStrings(data.language);
  const invoiceStrings = pdfStrings(data.language);
  const { language } = data;
  const wrap = (text: string, width: number, size: number = PAGE_GEOMETRY.fontSize, bold = false): PlanCell => {
    const lines = wrapText(text.normalize("NFC"), width, measure, size, bold);
    return { text: lines.join("\n"), lines: lines.length };
  };
  const labelValue = (label: string, value: string, labelWidth: number, valueWidth: number, bold = false): PlanLabelValue => {
    const l = wrap(label, labelWidth, PAGE_GEOMETRY.fontSize, bold);
    const v = wrap(value, valueWidth, PAGE_GEOMETRY.fontSize, bold);
    return { label: l.text, value: v.text, height: Math.max(l.lines, v.lines) * PAGE_GEOMETRY.lineHeight };
  };
  const money = (minor: bigint) => formatMoney(minor, data.currency, language);

  const provider = data.provider;
  const providerName = wrap(provider.name, PAGE_GEOMETRY.topLeftWidth, PAGE_GEOMETRY.providerSize, true);
  const providerAddress = wrap(providerAddressLines(provider, language).join("\n"), PAGE_GEOMETRY.topLeftWidth);
  const heading = wrap(strings.receipt, PAGE_GEOMETRY.topRightWidth, PAGE_GEOMETRY.titleSize, true);
  // The payment id on a line of its own: it breaks (at a hyphen) only if it alone is too wide.
  const numberLine = wrap(`${strings.receiptNumber}\n${data.paymentId}`, PAGE_GEOMETRY.topRightWidth, PAGE_GEOMETRY.smallSize);
  const heightA = Math.max(
    providerName.lines * PAGE_GEOMETRY.providerLine + providerAddress.lines * PAGE_GEOMETRY.lineHeight,
    heading.lines * PAGE_GEOMETRY.titleLine + numberLine.lines * PAGE_GEOMETRY.smallLine,
  );

  const customer = data.customer;
  const customerName = wrap(customer.name, PAGE_GEOMETRY.customerWidth, PAGE_GEOMETRY.fontSize, true);
  const customerLines = wrap(
    [
      customer.careOf ? `${invoiceStrings.careOf} ${customer.careOf}` : null,
      customer.street,
      `${customer.zipCode} ${customer.city}`,
      countryName(customer.countryCode, language),
      customer.organisationNumber ? `${invoiceStrings.organisationNumber} ${customer.organisationNumber}` : null,
      customer.vatNumber ? `${invoiceStrings.vatNumber} ${customer.vatNumber}` : null,
    ]
      .filter((l): l is string => Boolean(l))
      .join("\n"),
    PAGE_GEOMETRY.customerWidth,
  );
  const meta = [
    labelValue(strings.paidAt, data.paidAt, PAGE_GEOMETRY.metaLabelWidth, PAGE_GEOMETRY.metaValueWidth),
    labelValue(strings.method, strings.methods[data.method], PAGE_GEOMETRY.metaLabelWidth, PAGE_GEOMETRY.metaValueWidth),
    ...(data.cardLabel ? [labelValue(strings.card, data.cardLabel, PAGE_GEOMETRY.metaLabelWidth, PAGE_GEOMETRY.metaValueWidth)] : []),
  ];
  const heightB = Math.max(
    PAGE_GEOMETRY.smallLine + (customerName.lines + customerLines.lines) * PAGE_GEOMETRY.lineHeight,
    meta.reduce((h, m) => h + m.height, 0),
  );

  const dateWidth = PAGE_GEOMETRY.contentWidth - RECEIPT_COLUMNS.numberWidth - RECEIPT_COLUMNS.amountWidth;
  const row = (number: string, date: string, amount: string, bold = false): ReceiptPlanRow => {
    const cells = [wrap(number, RECEIPT_COLUMNS.numberWidth, PAGE_GEOMETRY.fontSize, bold), wrap(date, dateWidth, PAGE_GEOMETRY.fontSize, bold), wrap(amount, RECEIPT_COLUMNS.amountWidth, PAGE_GEOMETRY.fontSize, bold)];
    return {
      number: cells[0]!.text,
      date: cells[1]!.text,
      amount: cells[2]!.text,
      height: Math.max(...cells.map((x) => x.lines)) * PAGE_GEOMETRY.lineHeight + 2 * PAGE_GEOMETRY.rowPadding,
    };
  };

  const totalsLabelWidth = PAGE_GEOMETRY.totalsWidth - PAGE_GEOMETRY.totalsValueWidth;
  const totals = [
    ...(data.creditMinor > 0n ? [labelValue(strings.creditKept, money(data.creditMinor), totalsLabelWidth, PAGE_GEOMETRY.totalsValueWidth)] : []),
    labelValue(strings.totalPaid, money(data.amountMinor), totalsLabelWidth, PAGE_GEOMETRY.totalsValueWidth, true),
  ];

  const footer = wrap(
    [provider.name, `${invoiceStrings.organisationNumber} ${provider.organisationNumber}`, `${invoiceStrings.vatNumber} ${provider.vatNumber}`, provider.email].join(" · "),
    PAGE_GEOMETRY.contentWidth - PAGE_GEOMETRY.footerPageWidth,
    PAGE_GEOMETRY.smallSize,
  );
  const footerHeight = PAGE_GEOMETRY.footerPaddingTop + footer.lines * PAGE_GEOMETRY.smallLine;
  const paddingBottom = PAGE_GEOMETRY.footerBottom + footerHeight + PAGE_GEOMETRY.footerGap;

  const reference = data.providerReference
    ? labelValue(strings.reference, data.providerReference, PAGE_GEOMETRY.metaLabelWidth, RECEIPT_COLUMNS.referenceValueWidth)
    : null;
  const thanks = wrap(strings.thanks, PAGE_GEOMETRY.contentWidth);
  const tableHead = row(strings.invoice, strings.invoiceDate, strings.amount, true);
  const rows = data.allocations.map((a) => row(String(a.number), formatDate(a.invoiceDate), money(a.amountMinor)));
  const topHeight = heightA + PAGE_GEOMETRY.topGap + heightB + PAGE_GEOMETRY.blocksGap + (reference ? reference.height + PAGE_GEOMETRY.blocksGap : 0);
  const summaryHeight =
    PAGE_GEOMETRY.summaryGap + totals.reduce((h, t) => h + t.height, 0) + PAGE_GEOMETRY.grandTotalExtra + PAGE_GEOMETRY.paymentGap + thanks.lines * PAGE_GEOMETRY.lineHeight;
  const pages = paginate(topHeight, tableHead.height, rows, summaryHeight, PAGE_GEOMETRY.pageHeight - PAGE_GEOMETRY.marginTop - paddingBottom).map(
    (page, i, all) => ({ ...page, pageLabel: `${strings.receipt} · ${invoiceStrings.page(i + 1, all.length)}` }),
  );

  return {
    title: `${strings.receipt} ${data.paymentId}`,
    author: provider.name,
    locale: localeOf(language),
    providerName: providerName.text,
    providerAddress: providerAddress.text,
    heading: heading.text,
    numberLine: numberLine.text,
    heightA,
    customerHeading: strings.customer,
    customerName: customerName.text,
    customerLines: customerLines.text,
    meta,
    heightB,
    reference,
    topHeight,
    tableHead,
    rows,
    totals,
    totalsBold: totals.map((_, i) => i === totals.length - 1),
    thanks: thanks.text,
    footer: { text: footer.text, height: footerHeight },
    paddingBottom,
    pages,
  };
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
