/**
 * A settled payment's receipt as a react-pdf document, drawn from a plan made by
 * receipt-layout.ts: every text arrives formatted and wrapped, every row has an explicit
 * height, and every page its rows, so no two texts share space. Like the invoice, each page is
 * a `wrap={false}` page with the table head and footer drawn on it.
 */
import { Document, Page, StyleSheet, Text, View } from "@react-pdf/renderer";
import type { ReactElement } from "react";
import { PAGE_GEOMETRY } from "./page-geometry";
import type { PlanLabelValue } from "./plan-blocks";
import { RECEIPT_COLUMNS, type ReceiptPlan, type ReceiptPlanPage, type ReceiptPlanRow } from "./receipt-layout";
import { PDF_COLOURS, pt, sharedDocumentStyles } from "./document-styles";

const { ink: INK, grey: GREY, rule: RULE } = PDF_COLOURS;

const styles = StyleSheet.create({
  ...sharedDocumentStyles,
  numberLine: { fontSize: PAGE_GEOMETRY.smallSize, lineHeight: pt(PAGE_GEOMETRY.smallLine), color: GREY, textAlign: "right" },
  label: { width: PAGE_GEOMETRY.metaLabelWidth, color: GREY },
  referenceValue: { width: RECEIPT_COLUMNS.referenceValueWidth },
  head: { flexDirection: "row", borderBottomWidth: 0.75, borderBottomColor: INK, fontWeight: "bold" },
  line: { flexDirection: "row", borderBottomWidth: 0.5, borderBottomColor: RULE },
  number: { width: RECEIPT_COLUMNS.numberWidth },
  date: { width: PAGE_GEOMETRY.contentWidth - RECEIPT_COLUMNS.numberWidth - RECEIPT_COLUMNS.amountWidth },
  amount: { width: RECEIPT_COLUMNS.amountWidth, textAlign: "right" },
  total: { flexDirection: "row", borderTopWidth: 0.75, borderTopColor: INK, fontWeight: "bold" },
  totalLabel: { width: PAGE_GEOMETRY.totalsWidth - PAGE_GEOMETRY.totalsValueWidth },
  totalValue: { width: PAGE_GEOMETRY.totalsValueWidth, textAlign: "right" },
  thanks: { marginTop: PAGE_GEOMETRY.paymentGap },
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
    <View style={[head ? styles.head : styles.line, { height: row.height, paddingTop: PAGE_GEOMETRY.rowPadding }]}>
      <Text style={styles.number}>{row.number}</Text>
      <Text style={styles.date}>{row.date}</Text>
      <Text style={styles.amount}>{row.amount}</Text>
    </View>
  );
}

function Top({ plan }: { plan: ReceiptPlan }): ReactElement {
  return (
    <View style={{ height: plan.topHeight }}>
      <View style={[styles.blockRow, { height: plan.heightA, marginBottom: PAGE_GEOMETRY.topGap }]}>
        <View style={styles.topLeft}>
          <Text style={styles.providerName}>{plan.providerName}</Text>
          <Text style={styles.grey}>{plan.providerAddress}</Text>
        </View>
        <View style={styles.topRight}>
          <Text style={styles.title}>{plan.heading}</Text>
          <Text style={styles.numberLine}>{plan.numberLine}</Text>
        </View>
      </View>
      <View style={[styles.blockRow, { height: plan.heightB, marginBottom: PAGE_GEOMETRY.blocksGap }]}>
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
          <View key={i} style={[plan.totalsBold[i] ? styles.total : styles.labelValue, { height: t.height + (plan.totalsBold[i] ? PAGE_GEOMETRY.grandTotalExtra : 0) }]}>
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
