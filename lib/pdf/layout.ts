/**
 * Plans an invoice PDF: formats every value, wraps every text and splits the line items into
 * pages, before react-pdf sees anything.
 *
 * Why not react-pdf's own page wrapping: it re-lays out the rest of the document for every page
 * it cuts and runs a second round for a "Page x of y" render prop (`experimentalPagination` also
 * misplaced an absolute `fixed` footer). With each page planned here and rendered as a
 * `wrap={false}` page of explicitly sized rows, react-pdf lays out each text once, several times
 * faster (docs/performance.md; scripts/pdf-smoke.ts measures it), and the result is deterministic.
 */
import { countryName } from "@/lib/countries";
import { formatDate } from "@/lib/dates";
import { formatAmount, formatMoney, formatRate, localeOf } from "@/lib/money";
import { formatQuantity, formatUnitPrice } from "@/lib/format/decimal";
import { pdfStrings } from "@/lib/format/invoice-strings";
import { groupByService } from "@/lib/invoices/presentation";
import { wrapText, type Measure } from "./text-measure";
import type { InvoicePdfData, InvoicePdfLanguage, InvoicePdfLine, InvoicePdfProvider } from "@/lib/invoices/types";

/** Page geometry in PDF points (sizes, line heights, widths); the document's styles are built from the same numbers. */
export const PAGE_GEOMETRY = {
  pageWidth: 595.28,
  pageHeight: 841.89,
  marginX: 40,
  marginTop: 36,
  contentWidth: 595.28 - 2 * 40,
  fontSize: 8.5,
  lineHeight: 11,
  /** Provider name and document title at the top of page 1. */
  providerSize: 13,
  providerLine: 16,
  titleSize: 18,
  titleLine: 22,
  numberSize: 10,
  numberLine: 13,
  smallSize: 7,
  smallLine: 9,
  topLeftWidth: 300,
  topRightWidth: 200,
  topGap: 16,
  customerWidth: 250,
  metaLabelWidth: 105,
  metaValueWidth: 140,
  blocksGap: 14,
  /** Table: fixed column widths, the description takes the rest. */
  col: { qty: 56, unit: 58, price: 70, vat: 40, amount: 82 },
  unitPadding: 6,
  headHeight: 16,
  rowPadding: 1,
  groupPaddingTop: 6,
  subtotalHeight: 15,
  /** Summary: totals on the right, then the VAT note and the payment block. */
  summaryGap: 10,
  totalsWidth: 270,
  totalsValueWidth: 110,
  totalsLine: 12,
  grandTotalExtra: 3,
  noteGap: 10,
  paymentGap: 12,
  paymentPaddingTop: 6,
  footerBottom: 22,
  footerPaddingTop: 3,
  footerPageWidth: 160,
  footerGap: 12,
} as const;

export type PlanCell = { text: string; lines: number };

export type PlanRow =
  | { kind: "group"; text: string; height: number }
  | {
      kind: "line";
      desc: string;
      qty: string;
      unit: string;
      price: string;
      vat: string | null;
      amount: string;
      height: number;
    }
  | { kind: "subtotal"; label: string; amount: string; height: number };

export type PlanLabelValue = { label: string; value: string; height: number };

export type PlanTop = {
  providerName: string;
  providerAddress: string;
  title: string;
  numberLine: string;
  heightA: number;
  customerHeading: string;
  customerName: string;
  customerLines: string;
  meta: PlanLabelValue[];
  heightB: number;
  height: number;
};

export type PlanTotal = PlanLabelValue & { style: "normal" | "bold" | "grand" };

export type PlanSummary = {
  totals: PlanTotal[];
  note: string | null;
  paymentHeading: string;
  paymentText: string;
  payment: PlanLabelValue[];
  height: number;
};

export type PlanPage = {
  top: boolean;
  tableHead: boolean;
  rows: PlanRow[];
  summary: boolean;
  /** "Invoice 10042 · Page 2 of 13". */
  pageLabel: string;
};

export type InvoicePlan = {
  title: string;
  author: string;
  locale: string;
  creationDate: Date;
  columns: { desc: number; vat: boolean };
  tableHead: { desc: string; qty: string; unit: string; price: string; vat: string; amount: string };
  top: PlanTop;
  summary: PlanSummary;
  footer: { text: string; height: number };
  /** Bottom padding of every page: the footer's band. */
  paddingBottom: number;
  pages: PlanPage[];
};

/** The provider's postal lines with its country named in the document's language. */
export function providerAddressLines(provider: InvoicePdfProvider, language: InvoicePdfLanguage): string[] {
  return [...provider.addressLines, countryName(provider.countryCode, language)];
}

/**
 * A line's description: its label, with the region when the label does not already name it
 * (the price list's labels for regional products read "vCPU (sto1)", as the screens show them).
 */
export function describeLine(line: Pick<InvoicePdfLine, "label" | "region">): string {
  return line.region && !line.label.includes(`(${line.region})`) ? `${line.label} · ${line.region}` : line.label;
}

/** What every step of the plan shares: the data, its language's strings, and text measured in the document's font. */
type PlanContext = {
  data: InvoicePdfData;
  strings: ReturnType<typeof pdfStrings>;
  isCredit: boolean;
  title: string;
  numberLabel: string;
  wrap: (text: string, width: number, fontSize?: number, bold?: boolean) => PlanCell;
  labelValue: (label: string, value: string, labelWidth: number, valueWidth: number, lineHeight?: number, bold?: boolean) => PlanLabelValue;
  amount: (minor: bigint) => string;
  money: (minor: bigint) => string;
};

function planContext(data: InvoicePdfData, measure: Measure): PlanContext {
  const strings = pdfStrings(data.language);
  const isCredit = data.type === "credit_note";
  // NFC: the fonts' features are off (text-measure.ts), so combining marks must be precomposed.
  const wrap = (text: string, width: number, fontSize: number = PAGE_GEOMETRY.fontSize, bold = false): PlanCell => {
    const lines = wrapText(text.normalize("NFC"), width, measure, fontSize, bold);
    return { text: lines.join("\n"), lines: lines.length };
  };
  return {
    data,
    strings,
    isCredit,
    title: isCredit ? strings.creditNote : strings.invoice,
    numberLabel: isCredit ? strings.creditNoteNumber : strings.invoiceNumber,
    wrap,
    labelValue: (label, value, labelWidth, valueWidth, lineHeight = PAGE_GEOMETRY.lineHeight, bold = false) => {
      const l = wrap(label, labelWidth, PAGE_GEOMETRY.fontSize, bold);
      const v = wrap(value, valueWidth, PAGE_GEOMETRY.fontSize, bold);
      return { label: l.text, value: v.text, height: Math.max(l.lines, v.lines) * lineHeight };
    },
    amount: (minor) => formatAmount(minor, data.currency, data.language),
    money: (minor) => formatMoney(minor, data.currency, data.language),
  };
}

export function planInvoice(data: InvoicePdfData, measure: Measure): InvoicePlan {
  const ctx = planContext(data, measure);
  const { strings, title } = ctx;
  const top = planTop(ctx);
  const columns = tableColumns(data);
  const summary = planSummary(ctx);
  const footer = planFooter(ctx);
  const paddingBottom = PAGE_GEOMETRY.footerBottom + footer.height + PAGE_GEOMETRY.footerGap;
  const pages = paginate(ctx, columns, top.height, summary.height, PAGE_GEOMETRY.pageHeight - PAGE_GEOMETRY.marginTop - paddingBottom);
  return {
    title: `${title} ${data.number}`,
    author: data.provider.name,
    locale: localeOf(data.language),
    creationDate: new Date(`${data.invoiceDate}T00:00:00Z`),
    columns: { desc: columns.descWidth, vat: columns.showVat },
    tableHead: {
      desc: strings.description,
      qty: strings.quantity,
      unit: strings.unit,
      price: strings.unitPrice,
      vat: strings.vat,
      amount: `${strings.amount} ${data.currency}`,
    },
    top,
    summary,
    footer,
    paddingBottom,
    pages: pages.map((pg, i) => ({ ...pg, pageLabel: `${title} ${data.number} · ${strings.page(i + 1, pages.length)}` })),
  };
}

/** Page 1's top: provider and title (block A), customer and invoice details (block B). */
function planTop(ctx: PlanContext): PlanTop {
  const { data, strings, wrap, isCredit, numberLabel } = ctx;
  const g = PAGE_GEOMETRY;
  const providerName = wrap(data.provider.name, g.topLeftWidth, g.providerSize, true);
  const providerAddress = wrap(providerAddressLines(data.provider, data.language).join("\n"), g.topLeftWidth);
  const titleCell = wrap(ctx.title, g.topRightWidth, g.titleSize, true);
  const numberCell = wrap(`${numberLabel} ${data.number}`, g.topRightWidth, g.numberSize);
  const heightA = Math.max(
    providerName.lines * g.providerLine + providerAddress.lines * g.lineHeight,
    titleCell.lines * g.titleLine + numberCell.lines * g.numberLine,
  );

  const customer = data.customer;
  const customerName = wrap(customer.name, g.customerWidth, g.fontSize, true);
  const customerLines = wrap(
    [
      customer.careOf ? `${strings.careOf} ${customer.careOf}` : null,
      customer.street,
      `${customer.zipCode} ${customer.city}`,
      countryName(customer.countryCode, data.language),
      customer.organisationNumber ? `${strings.organisationNumber} ${customer.organisationNumber}` : null,
      customer.vatNumber ? `${strings.vatNumber} ${customer.vatNumber}` : null,
    ]
      .filter((l): l is string => Boolean(l))
      .join("\n"),
    g.customerWidth,
  );
  const meta: PlanLabelValue[] = [];
  const addMeta = (label: string, value: string) => meta.push(ctx.labelValue(label, value, g.metaLabelWidth, g.metaValueWidth));
  addMeta(numberLabel, String(data.number));
  if (isCredit && data.creditedInvoiceNumber !== null) addMeta(strings.creditsInvoice, String(data.creditedInvoiceNumber));
  addMeta(strings.invoiceDate, formatDate(data.invoiceDate));
  if (!isCredit) addMeta(strings.dueDate, formatDate(data.dueDate));
  addMeta(strings.period, `${formatDate(data.periodStart)} – ${formatDate(data.periodEnd)}`);
  if (customer.purchaseOrder) addMeta(strings.purchaseOrder, customer.purchaseOrder);
  if (!isCredit) addMeta(strings.paymentReference, data.paymentReference);
  const heightB = Math.max(
    g.smallLine + (customerName.lines + customerLines.lines) * g.lineHeight,
    meta.reduce((h, m) => h + m.height, 0),
  );
  return {
    providerName: providerName.text,
    providerAddress: providerAddress.text,
    title: titleCell.text,
    numberLine: numberCell.text,
    heightA,
    customerHeading: strings.customer,
    customerName: customerName.text,
    customerLines: customerLines.text,
    meta,
    heightB,
    height: heightA + g.topGap + heightB + g.blocksGap,
  };
}

type TableColumns = { showVat: boolean; descWidth: number; unitWidth: number };

/** A VAT column only when rates differ (otherwise the rate is in the totals); the description takes the rest. */
function tableColumns(data: InvoicePdfData): TableColumns {
  const col = PAGE_GEOMETRY.col;
  const showVat = new Set(data.lines.map((l) => l.vatRateBp)).size > 1;
  const fixedCols = col.qty + col.unit + col.price + col.amount + (showVat ? col.vat : 0);
  return { showVat, descWidth: PAGE_GEOMETRY.contentWidth - fixedCols, unitWidth: col.unit - PAGE_GEOMETRY.unitPadding };
}

function groupRow(ctx: PlanContext, service: string, continued: boolean): PlanRow {
  const g = PAGE_GEOMETRY;
  const cell = ctx.wrap(continued ? `${service} (${ctx.strings.continued})` : service, g.contentWidth, g.fontSize, true);
  return { kind: "group", text: cell.text, height: g.groupPaddingTop + cell.lines * g.lineHeight };
}

function lineRow(ctx: PlanContext, columns: TableColumns, line: InvoicePdfLine): PlanRow {
  const { wrap, data } = ctx;
  const col = PAGE_GEOMETRY.col;
  const desc = wrap(describeLine(line), columns.descWidth);
  const qty = wrap(formatQuantity(line.quantity, data.language), col.qty);
  const unit = wrap(line.unit, columns.unitWidth);
  const price = wrap(formatUnitPrice(line.unitPriceMinor, data.currency, data.language), col.price);
  const vat = columns.showVat ? wrap(formatRate(line.vatRateBp, data.language), col.vat) : null;
  const amt = wrap(ctx.amount(line.amountMinor), col.amount);
  const lines = Math.max(desc.lines, qty.lines, unit.lines, price.lines, vat?.lines ?? 1, amt.lines);
  return {
    kind: "line",
    desc: desc.text,
    qty: qty.text,
    unit: unit.text,
    price: price.text,
    vat: vat?.text ?? null,
    amount: amt.text,
    height: lines * PAGE_GEOMETRY.lineHeight + 2 * PAGE_GEOMETRY.rowPadding,
  };
}

function subtotalRow(ctx: PlanContext, service: string, sumMinor: bigint): PlanRow {
  const g = PAGE_GEOMETRY;
  const label = ctx.wrap(ctx.strings.subtotal(service), g.contentWidth - g.col.amount, g.fontSize, true);
  const value = ctx.wrap(ctx.amount(sumMinor), g.col.amount, g.fontSize, true);
  return {
    kind: "subtotal",
    label: label.text,
    amount: value.text,
    height: g.subtotalHeight + (Math.max(label.lines, value.lines) - 1) * g.lineHeight,
  };
}

/** Totals on the right, then the VAT note and how to pay (or, on a credit note, why nothing is to be paid). */
function planSummary(ctx: PlanContext): PlanSummary {
  const { data, strings, isCredit, wrap, money } = ctx;
  const g = PAGE_GEOMETRY;
  const totals = planTotals(ctx);
  const noteText =
    data.vatCategory === "reverse_charge"
      ? strings.reverseChargeNote
      : data.vatCategory === "export"
        ? strings.exportNote
        : data.vatCategory === "exempt"
          ? strings.exemptNote
          : null;
  const note = noteText ? wrap(noteText, g.contentWidth, g.fontSize, true) : null;
  // A credit note: which invoice it lowers, that nothing is to be paid, and why it was issued.
  const creditText = [
    strings.creditNoteInstruction(String(data.creditedInvoiceNumber ?? "")),
    strings.creditNoteNothingToPay,
    ...(data.creditReason ? [strings.creditReason(data.creditReason)] : []),
  ].join("\n");
  const paymentText = wrap(
    isCredit
      ? creditText
      : data.outstandingMinor > 0n
        ? strings.payInstruction(money(data.outstandingMinor), formatDate(data.dueDate))
        : strings.nothingToPay,
    g.contentWidth,
  );
  const payment: PlanLabelValue[] = [];
  const payWidth = g.contentWidth - g.metaLabelWidth;
  // Bank details only where something may be paid: a credit note asks for no payment.
  if (!isCredit) {
    payment.push(ctx.labelValue(strings.paymentReference, data.paymentReference, g.metaLabelWidth, payWidth));
    payment.push(ctx.labelValue(strings.iban, data.provider.iban, g.metaLabelWidth, payWidth));
    payment.push(ctx.labelValue(strings.bic, data.provider.bic, g.metaLabelWidth, payWidth));
    if (data.provider.bankgiro) payment.push(ctx.labelValue(strings.bankgiro, data.provider.bankgiro, g.metaLabelWidth, payWidth));
  }
  return {
    totals,
    note: note?.text ?? null,
    paymentHeading: strings.payment,
    paymentText: paymentText.text,
    payment,
    height:
      g.summaryGap +
      totals.reduce((h, t) => h + t.height, 0) +
      (note ? g.noteGap + note.lines * g.lineHeight : 0) +
      g.paymentGap +
      g.paymentPaddingTop +
      g.totalsLine +
      paymentText.lines * g.lineHeight +
      payment.reduce((h, p) => h + p.height, 0),
  };
}

function planTotals(ctx: PlanContext): PlanTotal[] {
  const { data, strings, money } = ctx;
  const g = PAGE_GEOMETRY;
  const totalsLabelWidth = g.totalsWidth - g.totalsValueWidth;
  const totals: PlanTotal[] = [];
  const addTotal = (label: string, value: string, style: PlanTotal["style"] = "normal") => {
    const row = ctx.labelValue(label, value, totalsLabelWidth, g.totalsValueWidth, g.totalsLine, style !== "normal");
    totals.push({ ...row, style, height: row.height + (style === "grand" ? g.grandTotalExtra : 0) });
  };
  addTotal(strings.sum, money(data.totals.netMinor));
  for (const group of data.totals.vatGroups) {
    addTotal(strings.vatOn(formatRate(group.rateBp, data.language), ctx.amount(group.baseMinor)), money(group.vatMinor));
  }
  if (data.totals.vatGroups.length > 1) addTotal(strings.vatTotal, money(data.totals.vatMinor));
  addTotal(strings.total, money(data.totals.totalMinor), "grand");
  if (!ctx.isCredit) {
    addTotal(strings.paid, money(data.paidMinor));
    addTotal(strings.outstanding, money(data.outstandingMinor), "bold");
  }
  return totals;
}

/** The provider's line at the foot of every page. */
function planFooter(ctx: PlanContext): { text: string; height: number } {
  const { data, strings } = ctx;
  const provider = data.provider;
  const g = PAGE_GEOMETRY;
  const footer = ctx.wrap(
    [
      provider.name,
      providerAddressLines(provider, data.language).join(", "),
      `${strings.organisationNumber} ${provider.organisationNumber}`,
      `${strings.vatNumber} ${provider.vatNumber}`,
      provider.email,
      provider.web,
    ]
      .filter(Boolean)
      .join(" · "),
    g.contentWidth - g.footerPageWidth,
    g.smallSize,
  );
  return { text: footer.text, height: g.footerPaddingTop + Math.max(footer.lines, 1) * g.smallLine };
}

/**
 * The line items split into pages of `contentHeight`: a group's heading stays with its first
 * line, its last line with its subtotal, a continued group repeats its heading, and the summary
 * goes on the last page or a page of its own.
 */
function paginate(
  ctx: PlanContext,
  columns: TableColumns,
  topHeight: number,
  summaryHeight: number,
  contentHeight: number,
): Array<Omit<PlanPage, "pageLabel">> {
  const headHeight = PAGE_GEOMETRY.headHeight;
  const pages: Array<Omit<PlanPage, "pageLabel">> = [];
  let page: Omit<PlanPage, "pageLabel"> = { top: true, tableHead: true, rows: [], summary: false };
  let used = topHeight + headHeight;
  pages.push(page);
  const startPage = (tableHead: boolean) => {
    page = { top: false, tableHead, rows: [], summary: false };
    pages.push(page);
    used = tableHead ? headHeight : 0;
  };
  // Moves to a new page unless `height` fits, or the page holds no rows yet (a row taller than
  // a page is placed anyway rather than looping).
  const ensure = (height: number): boolean => {
    if (used + height <= contentHeight + 0.01 || page.rows.length === 0) return false;
    startPage(true);
    return true;
  };
  const place = (row: PlanRow) => {
    page.rows.push(row);
    used += row.height;
  };

  for (const group of groupByService(ctx.data.lines)) {
    const rows = group.lines.map((line) => lineRow(ctx, columns, line));
    const sub = subtotalRow(
      ctx,
      group.service,
      group.lines.reduce((sum, l) => sum + l.amountMinor, 0n),
    );
    const heading = groupRow(ctx, group.service, false);
    // Keep the heading with the first line (and a one-line group with its subtotal).
    ensure(heading.height + (rows[0]?.height ?? 0) + (rows.length === 1 ? sub.height : 0));
    place(heading);
    rows.forEach((row, i) => {
      // The last line stays with the subtotal; a continued group repeats its heading.
      const need = row.height + (i === rows.length - 1 ? sub.height : 0);
      if (ensure(need)) place(groupRow(ctx, group.service, true));
      place(row);
    });
    place(sub);
  }
  if (used + summaryHeight <= contentHeight + 0.01) page.summary = true;
  else {
    startPage(false);
    page.summary = true;
  }
  return pages;
}
