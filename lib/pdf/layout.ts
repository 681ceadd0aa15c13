/**
 * Plans an invoice PDF: formats every value, wraps every text and splits the line items into
 * pages, before react-pdf sees anything.
 *
 * Why not react-pdf's own page wrapping: measured on this machine it re-lays out the rest of
 * the document for every page it cuts and runs a second round for a "Page x of y" render prop
 * (300 lines: ~900 ms with the default engine, ~450 ms with `experimentalPagination`, which
 * also misplaced an absolute `fixed` footer). With each page planned here and rendered as a
 * `wrap={false}` page of explicitly sized rows, react-pdf lays out each text once: ~220 ms
 * (scripts/pdf-smoke.ts measures it), and the result is deterministic.
 */
import { countryName } from "@/lib/countries";
import { formatDate } from "@/lib/dates";
import { formatAmount, formatMoney, formatRate, localeOf } from "@/lib/money";
import { formatQuantity, formatUnitPrice } from "./decimal";
import { pdfStrings } from "./strings";
import { wrapText, type Measure } from "./text-measure";
import type { InvoicePdfData, InvoicePdfLanguage, InvoicePdfLine, InvoicePdfProvider } from "./types";

/** Page geometry in PDF points; the document's styles are built from the same numbers. */
export const G = {
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

/** Lines grouped by service, in order of each service's first line. */
function groupLines(lines: readonly InvoicePdfLine[]): Array<{ service: string; lines: InvoicePdfLine[] }> {
  const groups = new Map<string, InvoicePdfLine[]>();
  for (const line of lines) {
    const group = groups.get(line.service);
    if (group) group.push(line);
    else groups.set(line.service, [line]);
  }
  return [...groups].map(([service, list]) => ({ service, lines: list }));
}

export function planInvoice(data: InvoicePdfData, measure: Measure): InvoicePlan {
  const s = pdfStrings(data.language);
  const { currency, language } = data;
  const fs = G.fontSize;
  const LH = G.lineHeight;
  // NFC: the fonts' features are off (text-measure.ts), so combining marks must be precomposed.
  const nfc = (t: string) => t.normalize("NFC");
  const wrap = (text: string, width: number, size: number = fs, bold = false): PlanCell => {
    const lines = wrapText(nfc(text), width, measure, size, bold);
    return { text: lines.join("\n"), lines: lines.length };
  };
  const amount = (minor: bigint) => formatAmount(minor, currency, language);
  const money = (minor: bigint) => formatMoney(minor, currency, language);
  const isCredit = data.type === "credit_note";
  const title = isCredit ? s.creditNote : s.invoice;
  const numberLabel = isCredit ? s.creditNoteNumber : s.invoiceNumber;

  const labelValue = (label: string, value: string, labelWidth: number, valueWidth: number, lh: number = LH, bold = false) => {
    const l = wrap(label, labelWidth, fs, bold);
    const v = wrap(value, valueWidth, fs, bold);
    return { label: l.text, value: v.text, height: Math.max(l.lines, v.lines) * lh };
  };

  // ── Page 1 header ──────────────────────────────────────────────────────────────────────
  const providerName = wrap(data.provider.name, G.topLeftWidth, G.providerSize, true);
  const providerAddress = wrap(providerAddressLines(data.provider, language).join("\n"), G.topLeftWidth);
  const titleCell = wrap(title, G.topRightWidth, G.titleSize, true);
  const numberCell = wrap(`${numberLabel} ${data.number}`, G.topRightWidth, G.numberSize);
  const heightA = Math.max(
    providerName.lines * G.providerLine + providerAddress.lines * LH,
    titleCell.lines * G.titleLine + numberCell.lines * G.numberLine,
  );

  const c = data.customer;
  const customerName = wrap(c.name, G.customerWidth, fs, true);
  const customerLines = wrap(
    [
      c.careOf ? `${s.careOf} ${c.careOf}` : null,
      c.street,
      `${c.zipCode} ${c.city}`,
      countryName(c.countryCode, language),
      c.organisationNumber ? `${s.organisationNumber} ${c.organisationNumber}` : null,
      c.vatNumber ? `${s.vatNumber} ${c.vatNumber}` : null,
    ]
      .filter((l): l is string => Boolean(l))
      .join("\n"),
    G.customerWidth,
  );
  const meta: PlanLabelValue[] = [];
  const addMeta = (label: string, value: string) =>
    meta.push(labelValue(label, value, G.metaLabelWidth, G.metaValueWidth));
  addMeta(numberLabel, String(data.number));
  if (isCredit && data.creditedInvoiceNumber !== null) addMeta(s.creditsInvoice, String(data.creditedInvoiceNumber));
  addMeta(s.invoiceDate, formatDate(data.invoiceDate));
  if (!isCredit) addMeta(s.dueDate, formatDate(data.dueDate));
  addMeta(s.period, `${formatDate(data.periodStart)} – ${formatDate(data.periodEnd)}`);
  if (c.purchaseOrder) addMeta(s.purchaseOrder, c.purchaseOrder);
  if (!isCredit) addMeta(s.paymentReference, data.paymentReference);
  const heightB = Math.max(
    G.smallLine + (customerName.lines + customerLines.lines) * LH,
    meta.reduce((h, m) => h + m.height, 0),
  );
  const top: PlanTop = {
    providerName: providerName.text,
    providerAddress: providerAddress.text,
    title: titleCell.text,
    numberLine: numberCell.text,
    heightA,
    customerHeading: s.customer,
    customerName: customerName.text,
    customerLines: customerLines.text,
    meta,
    heightB,
    height: heightA + G.topGap + heightB + G.blocksGap,
  };

  // ── Table ──────────────────────────────────────────────────────────────────────────────
  // A VAT column only when rates differ; otherwise the rate is in the totals.
  const showVat = new Set(data.lines.map((l) => l.vatRateBp)).size > 1;
  const fixedCols = G.col.qty + G.col.unit + G.col.price + G.col.amount + (showVat ? G.col.vat : 0);
  const descWidth = G.contentWidth - fixedCols;
  const unitWidth = G.col.unit - G.unitPadding;

  const groupRow = (service: string, continued: boolean): PlanRow => {
    const cell = wrap(continued ? `${service} (${s.continued})` : service, G.contentWidth, fs, true);
    return { kind: "group", text: cell.text, height: G.groupPaddingTop + cell.lines * LH };
  };
  const lineRow = (line: InvoicePdfLine): PlanRow => {
    const desc = wrap(describeLine(line), descWidth);
    const qty = wrap(formatQuantity(line.quantity, language), G.col.qty);
    const unit = wrap(line.unit, unitWidth);
    const price = wrap(formatUnitPrice(line.unitPriceMinor, currency, language), G.col.price);
    const vat = showVat ? wrap(formatRate(line.vatRateBp, language), G.col.vat) : null;
    const amt = wrap(amount(line.amountMinor), G.col.amount);
    const lines = Math.max(desc.lines, qty.lines, unit.lines, price.lines, vat?.lines ?? 1, amt.lines);
    return {
      kind: "line",
      desc: desc.text,
      qty: qty.text,
      unit: unit.text,
      price: price.text,
      vat: vat?.text ?? null,
      amount: amt.text,
      height: lines * LH + 2 * G.rowPadding,
    };
  };
  const subtotalRow = (service: string, sum: bigint): PlanRow => {
    const label = wrap(s.subtotal(service), G.contentWidth - G.col.amount, fs, true);
    const value = wrap(amount(sum), G.col.amount, fs, true);
    return {
      kind: "subtotal",
      label: label.text,
      amount: value.text,
      height: G.subtotalHeight + (Math.max(label.lines, value.lines) - 1) * LH,
    };
  };

  // ── Summary: totals, VAT note, payment ─────────────────────────────────────────────────
  const totalsLabelWidth = G.totalsWidth - G.totalsValueWidth;
  const totals: PlanTotal[] = [];
  const addTotal = (label: string, value: string, style: PlanTotal["style"] = "normal") => {
    const row = labelValue(label, value, totalsLabelWidth, G.totalsValueWidth, G.totalsLine, style !== "normal");
    totals.push({ ...row, style, height: row.height + (style === "grand" ? G.grandTotalExtra : 0) });
  };
  addTotal(s.sum, money(data.totals.netMinor));
  for (const g of data.totals.vatGroups) {
    addTotal(s.vatOn(formatRate(g.rateBp, language), amount(g.baseMinor)), money(g.vatMinor));
  }
  if (data.totals.vatGroups.length > 1) addTotal(s.vatTotal, money(data.totals.vatMinor));
  addTotal(s.total, money(data.totals.totalMinor), "grand");
  if (!isCredit) {
    addTotal(s.paid, money(data.paidMinor));
    addTotal(s.outstanding, money(data.outstandingMinor), "bold");
  }
  const noteText =
    data.vatCategory === "reverse_charge"
      ? s.reverseChargeNote
      : data.vatCategory === "export"
        ? s.exportNote
        : data.vatCategory === "exempt"
          ? s.exemptNote
          : null;
  const note = noteText ? wrap(noteText, G.contentWidth, fs, true) : null;
  // A credit note: which invoice it lowers, that nothing is to be paid, and why it was issued.
  const creditText = [
    s.creditNoteInstruction(String(data.creditedInvoiceNumber ?? "")),
    s.creditNoteNothingToPay,
    ...(data.creditReason ? [s.creditReason(data.creditReason)] : []),
  ].join("\n");
  const paymentText = wrap(
    isCredit
      ? creditText
      : data.outstandingMinor > 0n
        ? s.payInstruction(money(data.outstandingMinor), formatDate(data.dueDate))
        : s.nothingToPay,
    G.contentWidth,
  );
  const payment: PlanLabelValue[] = [];
  const payWidth = G.contentWidth - G.metaLabelWidth;
  // Bank details only where something may be paid: a credit note asks for no payment.
  if (!isCredit) {
    payment.push(labelValue(s.paymentReference, data.paymentReference, G.metaLabelWidth, payWidth));
    payment.push(labelValue(s.iban, data.provider.iban, G.metaLabelWidth, payWidth));
    payment.push(labelValue(s.bic, data.provider.bic, G.metaLabelWidth, payWidth));
    if (data.provider.bankgiro) payment.push(labelValue(s.bankgiro, data.provider.bankgiro, G.metaLabelWidth, payWidth));
  }
  const summary: PlanSummary = {
    totals,
    note: note?.text ?? null,
    paymentHeading: s.payment,
    paymentText: paymentText.text,
    payment,
    height:
      G.summaryGap +
      totals.reduce((h, t) => h + t.height, 0) +
      (note ? G.noteGap + note.lines * LH : 0) +
      G.paymentGap +
      G.paymentPaddingTop +
      G.totalsLine +
      paymentText.lines * LH +
      payment.reduce((h, p) => h + p.height, 0),
  };

  // ── Footer ─────────────────────────────────────────────────────────────────────────────
  const p = data.provider;
  const footer = wrap(
    [
      p.name,
      providerAddressLines(p, language).join(", "),
      `${s.organisationNumber} ${p.organisationNumber}`,
      `${s.vatNumber} ${p.vatNumber}`,
      p.email,
      p.web,
    ]
      .filter(Boolean)
      .join(" · "),
    G.contentWidth - G.footerPageWidth,
    G.smallSize,
  );
  const footerHeight = G.footerPaddingTop + Math.max(footer.lines, 1) * G.smallLine;
  const paddingBottom = G.footerBottom + footerHeight + G.footerGap;

  // ── Pages ──────────────────────────────────────────────────────────────────────────────
  const contentHeight = G.pageHeight - G.marginTop - paddingBottom;
  const pages: Array<Omit<PlanPage, "pageLabel">> = [];
  let page: Omit<PlanPage, "pageLabel"> = { top: true, tableHead: true, rows: [], summary: false };
  let used = top.height + G.headHeight;
  pages.push(page);
  const startPage = (tableHead: boolean) => {
    page = { top: false, tableHead, rows: [], summary: false };
    pages.push(page);
    used = tableHead ? G.headHeight : 0;
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

  for (const group of groupLines(data.lines)) {
    const rows = group.lines.map(lineRow);
    const sub = subtotalRow(
      group.service,
      group.lines.reduce((sum, l) => sum + l.amountMinor, 0n),
    );
    const heading = groupRow(group.service, false);
    // Keep the heading with the first line (and a one-line group with its subtotal).
    ensure(heading.height + (rows[0]?.height ?? 0) + (rows.length === 1 ? sub.height : 0));
    place(heading);
    rows.forEach((row, i) => {
      // The last line stays with the subtotal; a continued group repeats its heading.
      const need = row.height + (i === rows.length - 1 ? sub.height : 0);
      if (ensure(need)) place(groupRow(group.service, true));
      place(row);
    });
    place(sub);
  }
  if (used + summary.height <= contentHeight + 0.01) page.summary = true;
  else {
    startPage(false);
    page.summary = true;
  }

  return {
    title: `${title} ${data.number}`,
    author: data.provider.name,
    locale: localeOf(language),
    creationDate: new Date(`${data.invoiceDate}T00:00:00Z`),
    columns: { desc: descWidth, vat: showVat },
    tableHead: {
      desc: s.description,
      qty: s.quantity,
      unit: s.unit,
      price: s.unitPrice,
      vat: s.vat,
      amount: `${s.amount} ${currency}`,
    },
    top,
    summary,
    footer: { text: footer.text, height: footerHeight },
    paddingBottom,
    pages: pages.map((pg, i) => ({ ...pg, pageLabel: `${title} ${data.number} · ${s.page(i + 1, pages.length)}` })),
  };
}
