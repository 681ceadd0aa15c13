/**
 * A settled payment's receipt as a react-pdf document, drawn from a plan made by
 * receipt-layout.ts: every text arrives formatted and wrapped, every row has an explicit
 * height, and every page its rows, so no two texts share space. Like the invoice, each page is
 * a `wrap={false}` page with the table head and footer drawn on it.
 */
import { Document, Page, StyleSheet, Text, View } from "@react-pdf/renderer";
import type { ReactElement } from "react";
import { G, type PlanLabelValue } from "./layout";
import { R, type ReceiptPlan, type ReceiptPlanPage, type ReceiptPlanRow } from "./receipt-layout";
import { PDF_FONT_FAMILY } from "./register-fonts";
import { FONT_FEATURES } from "./text-measure";

// A unitless lineHeight is a multiple of the font size in react-pdf; the plan's are points.
const pt = (points: number) => `${points}pt`;

const INK = "#111111";
const GREY = "#555555";
const RULE = "#bbbbbb";

const styles = StyleSheet.create({
  page: {
    // A `wrap={false}` page takes its content's height in react-pdf 4.9: pin it to A4.
    minHeight: G.pageHeight,
    maxHeight: G.pageHeight,
    fontFamily: PDF_FONT_FAMILY,
    fontFeatureSettings: FONT_FEATURES,
    fontSize: G.fontSize,
    lineHeight: pt(G.lineHeight),
    paddingTop: G.marginTop,
    paddingHorizontal: G.marginX,
    color: INK,
  },
  blockRow: { flexDirection: "row", justifyContent: "space-between" },
  topLeft: { width: G.topLeftWidth },
  topRight: { width: G.topRightWidth },
  providerName: { fontSize: G.providerSize, lineHeight: pt(G.providerLine), fontWeight: "bold" },
  grey: { color: GREY },
  title: { fontSize: G.titleSize, lineHeight: pt(G.titleLine), fontWeight: "bold", textAlign: "right" },
  numberLine: { fontSize: G.smallSize, lineHeight: pt(G.smallLine), color: GREY, textAlign: "right" },
  customer: { width: G.customerWidth },
  blockHeading: { fontSize: G.smallSize, lineHeight: pt(G.smallLine), color: GREY },
  bold: { fontWeight: "bold" },
  meta: { width: G.metaLabelWidth + G.metaValueWidth },
  labelValue: { flexDirection: "row" },
  label: { width: G.metaLabelWidth, color: GREY },
  metaValue: { width: G.metaValueWidth },
  referenceValue: { width: R.referenceValueWidth },
  head: { flexDirection: "row", borderBottomWidth: 0.75, borderBottomColor: INK, fontWeight: "bold" },
  line: { flexDirection: "row", borderBottomWidth: 0.5, borderBottomColor: RULE },
  number: { width: R.numberWidth },
  date: { width: G.contentWidth - R.numberWidth - R.amountWidth },
  amount: { width: R.amountWidth, textAlign: "right" },
  totals: { marginTop: G.summaryGap, marginLeft: G.contentWidth - G.totalsWidth, width: G.totalsWidth },
  total: { flexDirection: "row", borderTopWidth: 0.75, borderTopColor: INK, fontWeight: "bold" },
  totalLabel: { width: G.totalsWidth - G.totalsValueWidth },
  totalValue: { width: G.totalsValueWidth, textAlign: "right" },
  thanks: { marginTop: G.paymentGap },
  footer: {
    position: "absolute",
    bottom: G.footerBottom,
    left: G.marginX,
    right: G.marginX,
    flexDirection: "row",
    borderTopWidth: 0.5,
    borderTopColor: RULE,
    paddingTop: G.footerPaddingTop - 0.5,
    fontSize: G.smallSize,
    lineHeight: pt(G.smallLine),
    color: GREY,
  },
  footerText: { width: G.contentWidth - G.footerPageWidth },
  pageLabel: { width: G.footerPageWidth, textAlign: "right" },
});

function LabelValue({ item, wide = false }: { item: PlanLabelValue; wide?: boolean }): ReactElement {
  return (
    <View style={[styles.labelValue, { height: item.height }]}>
      <Text style={styles.label}>{item.label}</Text>
      <Text style={wide ? styles.referenceValue : styles.metaValue}>{item.value}</Text>
    </View>
  );
}

function TableRow({ row, head = false }: { row: ReceiptPlanRow; head?: boolean }): ReactElement {
  return (
    <View style={[head ? styles.head : styles.line, { height: row.height, paddingTop: G.rowPadding }]}>
      <Text style={styles.number}>{row.number}</Text>
      <Text style={styles.date}>{row.date}</Text>
      <Text style={styles.amount}>{row.amount}</Text>
    </View>
  );
}

function Top({ plan }: { plan: ReceiptPlan }): ReactElement {
  return (
    <View style={{ height: plan.topHeight }}>
      <View style={[styles.blockRow, { height: plan.heightA, marginBottom: G.topGap }]}>
        <View style={styles.topLeft}>
          <Text style={styles.providerName}>{plan.providerName}</Text>
          <Text style={styles.grey}>{plan.providerAddress}</Text>
        </View>
        <View style={styles.topRight}>
          <Text style={styles.title}>{plan.heading}</Text>
          <Text style={styles.numberLine}>{plan.numberLine}</Text>
        </View>
      </View>
      <View style={[styles.blockRow, { height: plan.heightB, marginBottom: G.blocksGap }]}>
        <View style={styles.customer}>
          <Text style={styles.blockHeading}>{plan.customerHeading}</Text>
          <Text style={styles.bold}>{plan.customerName}</Text>
          <Text>{plan.customerLines}</Text>
        </View>
        <View style={styles.meta}>
          {plan.meta.map((m, i) => (
            <LabelValue key={i} item={m} />
          ))}
        </View>
      </View>
      {plan.reference ? <LabelValue item={plan.reference} wide /> : null}
    </View>
  );
}

function Summary({ plan }: { plan: ReceiptPlan }): ReactElement {
  return (
    <View>
      <View style={styles.totals}>
        {plan.totals.map((t, i) => (
          <View key={i} style={[plan.totalsBold[i] ? styles.total : styles.labelValue, { height: t.height + (plan.totalsBold[i] ? G.grandTotalExtra : 0) }]}>
            <Text style={styles.totalLabel}>{t.label}</Text>
            <Text style={styles.totalValue}>{t.value}</Text>
          </View>
        ))}
      </View>
      <Text style={styles.thanks}>{plan.thanks}</Text>
    </View>
  );
}

function PlannedPage({ plan, page }: { plan: ReceiptPlan; page: ReceiptPlanPage }): ReactElement {
  return (
    <Page size="A4" wrap={false} style={[styles.page, { paddingBottom: plan.paddingBottom }]}>
      {page.top ? <Top plan={plan} /> : null}
      {page.rows.length > 0 ? <TableRow row={plan.tableHead} head /> : null}
      {page.rows.map((row, i) => (
        <TableRow key={i} row={row} />
      ))}
      {page.summary ? <Summary plan={plan} /> : null}
      <View style={[styles.footer, { height: plan.footer.height }]}>
        <Text style={styles.footerText}>{plan.footer.text}</Text>
        <Text style={styles.pageLabel}>{page.pageLabel}</Text>
      </View>
    </Page>
  );
}

export function ReceiptDocument({ plan }: { plan: ReceiptPlan }): ReactElement {
  return (
    <Document title={plan.title} author={plan.author} creator="Cumulus" producer="Cumulus" language={plan.locale}>
      {plan.pages.map((page, i) => (
        <PlannedPage key={i} plan={plan} page={page} />
      ))}
    </Document>
  );
}
