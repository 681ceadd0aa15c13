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
import { formatDate } from "@/lib/dates";
import { formatQuantity, formatUnitPrice } from "@/lib/format/decimal";
import { pdfStrings } from "@/lib/format/invoice-strings";
import { groupByService } from "@/lib/invoices/presentation";
import type { InvoicePdfData, InvoicePdfLine } from "@/lib/invoices/types";
import { formatAmount, formatMoney, formatRate, localeOf } from "@/lib/money";
import { PAGE_GEOMETRY } from "./page-geometry";
import { planPaymentQr, type PlanPaymentQr } from "./payment-qr-block";
import { planText, planTopBlocks, providerAddressLines, type PlanLabelValue, type PlanText, type TopBlocks } from "./plan-blocks";
import type { Measure } from "./text-measure";

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

export type PlanTop = TopBlocks & {
  customerHeading: string;
  meta: PlanLabelValue[];
  height: number;
};

export type PlanTotal = PlanLabelValue & { style: "normal" | "bold" | "grand" };

export type PlanSummary = {
  totals: PlanTotal[];
  note: string | null;
  paymentHeading: string;
  paymentText: string;
  payment: PlanLabelValue[];
  /** The payment details' width: the content's, less the QR code's when there is one. */
  paymentWidth: number;
  qr: PlanPaymentQr | null;
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

/**
 * A line's description: its label, with the region when the label does not already name it
 * (the price list's labels for regional products read "vCPU (sto1)", as the screens show them).
 */
export function describeLine(line: Pick<InvoicePdfLine, "label" | "region">): string {
  return line.region && !line.label.includes(`(${line.region})`) ? `${line.label} · ${line.region}` : line.label;
}

/** What every step of the plan shares: the data, its language's strings, and text measured in the document's font. */
type PlanContext = PlanText & {
  data: InvoicePdfData;
  strings: ReturnType<typeof pdfStrings>;
  isCredit: boolean;
  title: string;
  numberLabel: string;
  amount: (minor: bigint) => string;
  money: (minor: bigint) => string;
};

function planContext(data: InvoicePdfData, measure: Measure): PlanContext {
  const strings = pdfStrings(data.language);
  const isCredit = data.type === "credit_note";
  return {
    ...planText(measure),
    data,
    strings,
    isCredit,
    title: isCredit ? strings.creditNote : strings.invoice,
    numberLabel: isCredit ? strings.creditNoteNumber : strings.invoiceNumber,
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
  const { data, strings, isCredit, numberLabel } = ctx;
  const g = PAGE_GEOMETRY;
  const meta: PlanLabelValue[] = [];
  const addMeta = (label: string, value: string) => meta.push(ctx.labelValue(label, value, g.metaLabelWidth, g.metaValueWidth));
  addMeta(numberLabel, String(data.number));
  if (isCredit && data.creditedInvoiceNumber !== null) addMeta(strings.creditsInvoice, String(data.creditedInvoiceNumber));
  addMeta(strings.invoiceDate, formatDate(data.invoiceDate));
  if (!isCredit) addMeta(strings.dueDate, formatDate(data.dueDate));
  addMeta(strings.period, `${formatDate(data.periodStart)} – ${formatDate(data.periodEnd)}`);
  if (data.customer.purchaseOrder) addMeta(strings.purchaseOrder, data.customer.purchaseOrder);
  if (!isCredit) addMeta(strings.paymentReference, data.paymentReference);
  const blocks = planTopBlocks(ctx, {
    provider: data.provider,
    customer: data.customer,
    language: data.language,
    title: ctx.title,
    numberLine: `${numberLabel} ${data.number}`,
    numberSize: g.numberSize,
    numberLineHeight: g.numberLine,
    meta,
  });
  return { ...blocks, customerHeading: strings.customer, meta, height: blocks.heightA + g.topGap + blocks.heightB + g.blocksGap };
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
  const qr = planPaymentQr(data, ctx);
  const paymentWidth = g.contentWidth - (qr?.width ?? 0);
  const paymentText = wrap(
    isCredit
      ? creditText
      : data.outstandingMinor > 0n
        ? strings.payInstruction(money(data.outstandingMinor), formatDate(data.dueDate))
        : strings.nothingToPay,
    paymentWidth,
  );
  const payment: PlanLabelValue[] = [];
  const payWidth = paymentWidth - g.metaLabelWidth;
  // Bank details only where something may be paid: a credit note asks for no payment.
  if (!isCredit) {
    payment.push(ctx.labelValue(strings.paymentReference, data.paymentReference, g.metaLabelWidth, payWidth));
    payment.push(ctx.labelValue(strings.iban, data.provider.iban, g.metaLabelWidth, payWidth));
    if (data.provider.bic) payment.push(ctx.labelValue(strings.bic, data.provider.bic, g.metaLabelWidth, payWidth));
    if (data.provider.bankgiro) payment.push(ctx.labelValue(strings.bankgiro, data.provider.bankgiro, g.metaLabelWidth, payWidth));
  }
  return {
    totals,
    note: note?.text ?? null,
    paymentHeading: strings.payment,
    paymentText: paymentText.text,
    payment,
    paymentWidth,
    qr,
    height:
      g.summaryGap +
      totals.reduce((h, t) => h + t.height, 0) +
      (note ? g.noteGap + note.lines * g.lineHeight : 0) +
      g.paymentGap +
      g.paymentPaddingTop +
      Math.max(g.totalsLine + paymentText.lines * g.lineHeight + payment.reduce((h, p) => h + p.height, 0), qr?.height ?? 0),
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
