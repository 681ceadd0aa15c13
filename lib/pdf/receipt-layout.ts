/**
 * Plans a payment receipt: every text formatted and wrapped to its column with the fonts' own
 * widths (text-measure.ts), on the invoice's page geometry (G), and split into pages. react-pdf
 * then only places lines that already fit, so nothing it prints wraps again, breaks inside a
 * word or runs past the margin. A receipt for hundreds of invoices runs onto more pages, each
 * with the table head and "Page x of y", as the invoice does (react-pdf's own page flow printed
 * the first row of a new page over the next one under a repeated head).
 */
import { countryName } from "@/lib/countries";
import { formatDate } from "@/lib/dates";
import { formatMoney, localeOf } from "@/lib/money";
import { G, providerAddressLines, type PlanCell, type PlanLabelValue } from "./layout";
import { receiptStrings } from "./receipt-strings";
import { pdfStrings } from "./strings";
import { wrapText, type Measure } from "./text-measure";
import type { ReceiptPdfData } from "./types";

/** Receipt columns in points; the rest of the geometry is the invoice's. */
export const R = {
  /** Table: invoice number and amount; the invoice date takes the rest. */
  numberWidth: 140,
  amountWidth: 140,
  /** A provider's reference (Stripe's session ids run to 66 characters) gets a row of its own. */
  referenceValueWidth: G.contentWidth - G.metaLabelWidth,
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
  const s = receiptStrings(data.language);
  const inv = pdfStrings(data.language);
  const { language } = data;
  const wrap = (text: string, width: number, size: number = G.fontSize, bold = false): PlanCell => {
    const lines = wrapText(text.normalize("NFC"), width, measure, size, bold);
    return { text: lines.join("\n"), lines: lines.length };
  };
  const labelValue = (label: string, value: string, labelWidth: number, valueWidth: number, bold = false): PlanLabelValue => {
    const l = wrap(label, labelWidth, G.fontSize, bold);
    const v = wrap(value, valueWidth, G.fontSize, bold);
    return { label: l.text, value: v.text, height: Math.max(l.lines, v.lines) * G.lineHeight };
  };
  const money = (minor: bigint) => formatMoney(minor, data.currency, language);

  const p = data.provider;
  const providerName = wrap(p.name, G.topLeftWidth, G.providerSize, true);
  const providerAddress = wrap(providerAddressLines(p, language).join("\n"), G.topLeftWidth);
  const heading = wrap(s.receipt, G.topRightWidth, G.titleSize, true);
  // The payment id on a line of its own: it breaks (at a hyphen) only if it alone is too wide.
  const numberLine = wrap(`${s.receiptNumber}\n${data.paymentId}`, G.topRightWidth, G.smallSize);
  const heightA = Math.max(
    providerName.lines * G.providerLine + providerAddress.lines * G.lineHeight,
    heading.lines * G.titleLine + numberLine.lines * G.smallLine,
  );

  const c = data.customer;
  const customerName = wrap(c.name, G.customerWidth, G.fontSize, true);
  const customerLines = wrap(
    [
      c.careOf ? `${inv.careOf} ${c.careOf}` : null,
      c.street,
      `${c.zipCode} ${c.city}`,
      countryName(c.countryCode, language),
      c.organisationNumber ? `${inv.organisationNumber} ${c.organisationNumber}` : null,
      c.vatNumber ? `${inv.vatNumber} ${c.vatNumber}` : null,
    ]
      .filter((l): l is string => Boolean(l))
      .join("\n"),
    G.customerWidth,
  );
  const meta = [
    labelValue(s.paidAt, data.paidAt, G.metaLabelWidth, G.metaValueWidth),
    labelValue(s.method, s.methods[data.method], G.metaLabelWidth, G.metaValueWidth),
    ...(data.cardLabel ? [labelValue(s.card, data.cardLabel, G.metaLabelWidth, G.metaValueWidth)] : []),
  ];
  const heightB = Math.max(
    G.smallLine + (customerName.lines + customerLines.lines) * G.lineHeight,
    meta.reduce((h, m) => h + m.height, 0),
  );

  const dateWidth = G.contentWidth - R.numberWidth - R.amountWidth;
  const row = (number: string, date: string, amount: string, bold = false): ReceiptPlanRow => {
    const cells = [wrap(number, R.numberWidth, G.fontSize, bold), wrap(date, dateWidth, G.fontSize, bold), wrap(amount, R.amountWidth, G.fontSize, bold)];
    return {
      number: cells[0]!.text,
      date: cells[1]!.text,
      amount: cells[2]!.text,
      height: Math.max(...cells.map((x) => x.lines)) * G.lineHeight + 2 * G.rowPadding,
    };
  };

  const totalsLabelWidth = G.totalsWidth - G.totalsValueWidth;
  const totals = [
    ...(data.creditMinor > 0n ? [labelValue(s.creditKept, money(data.creditMinor), totalsLabelWidth, G.totalsValueWidth)] : []),
    labelValue(s.totalPaid, money(data.amountMinor), totalsLabelWidth, G.totalsValueWidth, true),
  ];

  const footer = wrap(
    [p.name, `${inv.organisationNumber} ${p.organisationNumber}`, `${inv.vatNumber} ${p.vatNumber}`, p.email].join(" · "),
    G.contentWidth - G.footerPageWidth,
    G.smallSize,
  );
  const footerHeight = G.footerPaddingTop + footer.lines * G.smallLine;
  const paddingBottom = G.footerBottom + footerHeight + G.footerGap;

  const reference = data.providerReference
    ? labelValue(s.reference, data.providerReference, G.metaLabelWidth, R.referenceValueWidth)
    : null;
  const thanks = wrap(s.thanks, G.contentWidth);
  const tableHead = row(s.invoice, s.invoiceDate, s.amount, true);
  const rows = data.allocations.map((a) => row(String(a.number), formatDate(a.invoiceDate), money(a.amountMinor)));
  const topHeight = heightA + G.topGap + heightB + G.blocksGap + (reference ? reference.height + G.blocksGap : 0);
  const summaryHeight =
    G.summaryGap + totals.reduce((h, t) => h + t.height, 0) + G.grandTotalExtra + G.paymentGap + thanks.lines * G.lineHeight;
  const pages = paginate(topHeight, tableHead.height, rows, summaryHeight, G.pageHeight - G.marginTop - paddingBottom).map(
    (page, i, all) => ({ ...page, pageLabel: `${s.receipt} · ${inv.page(i + 1, all.length)}` }),
  );

  return {
    title: `${s.receipt} ${data.paymentId}`,
    author: p.name,
    locale: localeOf(language),
    providerName: providerName.text,
    providerAddress: providerAddress.text,
    heading: heading.text,
    numberLine: numberLine.text,
    heightA,
    customerHeading: s.customer,
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
