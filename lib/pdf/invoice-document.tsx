/**
 * The invoice / credit note PDF as a react-pdf document, drawn from a plan made by layout.ts:
 * every text arrives formatted and wrapped, every page with its rows. Each page is a
 * `wrap={false}` page of explicitly sized rows, so react-pdf lays out each text once and never
 * paginates (see layout.ts for why); the table header and footer are repeated per planned page.
 */
import { Document, Page, Path, Rect, StyleSheet, Svg, Text, View } from "@react-pdf/renderer";
import type { ReactElement } from "react";
import type { InvoicePlan, PlanPage, PlanRow, PlanTotal } from "./layout";
import { PAGE_GEOMETRY } from "./page-geometry";
import type { PlanPaymentQr } from "./payment-qr-block";
import type { PlanLabelValue } from "./plan-blocks";
import { PDF_COLOURS, pt, sharedDocumentStyles } from "./document-styles";

const { ink: INK, grey: GREY, rule: RULE } = PDF_COLOURS;

const styles = StyleSheet.create({
  ...sharedDocumentStyles,
  number: { fontSize: PAGE_GEOMETRY.numberSize, lineHeight: pt(PAGE_GEOMETRY.numberLine), textAlign: "right" },
  metaLabel: { width: PAGE_GEOMETRY.metaLabelWidth, color: GREY },
  // Table.
  head: {
    flexDirection: "row",
    height: PAGE_GEOMETRY.headHeight,
    borderBottomWidth: 0.75,
    borderBottomColor: INK,
    fontWeight: "bold",
  },
  row: { flexDirection: "row", paddingVertical: PAGE_GEOMETRY.rowPadding },
  group: { paddingTop: PAGE_GEOMETRY.groupPaddingTop, fontWeight: "bold" },
  subtotal: {
    flexDirection: "row",
    height: PAGE_GEOMETRY.subtotalHeight,
    borderTopWidth: 0.5,
    borderTopColor: RULE,
    paddingTop: 1.5,
    fontWeight: "bold",
  },
  desc: { flexGrow: 1, flexShrink: 1, flexBasis: 0 },
  qty: { width: PAGE_GEOMETRY.col.qty, textAlign: "right" },
  unit: { width: PAGE_GEOMETRY.col.unit, paddingLeft: PAGE_GEOMETRY.unitPadding },
  price: { width: PAGE_GEOMETRY.col.price, textAlign: "right" },
  vat: { width: PAGE_GEOMETRY.col.vat, textAlign: "right" },
  amount: { width: PAGE_GEOMETRY.col.amount, textAlign: "right" },
  // Summary.
  totalsLabel: { width: PAGE_GEOMETRY.totalsWidth - PAGE_GEOMETRY.totalsValueWidth, lineHeight: pt(PAGE_GEOMETRY.totalsLine) },
  totalsValue: { width: PAGE_GEOMETRY.totalsValueWidth, lineHeight: pt(PAGE_GEOMETRY.totalsLine), textAlign: "right" },
  grandTotal: {
    flexDirection: "row",
    fontWeight: "bold",
    borderTopWidth: 0.75,
    borderTopColor: INK,
    paddingTop: PAGE_GEOMETRY.grandTotalExtra - 0.75,
  },
  note: { marginTop: PAGE_GEOMETRY.noteGap, fontWeight: "bold" },
  payment: {
    marginTop: PAGE_GEOMETRY.paymentGap,
    paddingTop: PAGE_GEOMETRY.paymentPaddingTop - 0.5,
    borderTopWidth: 0.5,
    borderTopColor: RULE,
  },
  paymentHeading: { fontWeight: "bold", lineHeight: pt(PAGE_GEOMETRY.totalsLine) },
  paymentLabel: { width: PAGE_GEOMETRY.metaLabelWidth, color: GREY },
  paymentValue: { width: PAGE_GEOMETRY.contentWidth - PAGE_GEOMETRY.metaLabelWidth },
  paymentRow: { flexDirection: "row", justifyContent: "space-between" },
  qr: { width: PAGE_GEOMETRY.qrSize },
  qrCaption: { fontSize: PAGE_GEOMETRY.smallSize, lineHeight: pt(PAGE_GEOMETRY.smallLine), color: GREY, textAlign: "center" },
});

/** Black modules on white whatever the page around them, vector so that it prints crisp at any scale. */
function PaymentQrCode({ qr }: { qr: PlanPaymentQr }): ReactElement {
  const size = PAGE_GEOMETRY.qrSize;
  return (
    <View style={styles.qr}>
      <Svg width={size} height={size} viewBox={`0 0 ${qr.modules} ${qr.modules}`}>
        <Rect x={0} y={0} width={qr.modules} height={qr.modules} fill="#ffffff" />
        <Path d={qr.path} fill="#000000" />
      </Svg>
      <Text style={styles.qrCaption}>{qr.caption}</Text>
    </View>
  );
}

function LabelValue({ item, value, valueWidth }: { item: PlanLabelValue; value: "meta" | "payment"; valueWidth?: number }): ReactElement {
  const [labelStyle, valueStyle] =
    value === "meta" ? [styles.metaLabel, styles.metaValue] : [styles.paymentLabel, styles.paymentValue];
  return (
    <View style={[styles.labelValue, { height: item.height }]}>
      <Text style={labelStyle}>{item.label}</Text>
      <Text style={valueWidth === undefined ? valueStyle : [valueStyle, { width: valueWidth }]}>{item.value}</Text>
    </View>
  );
}

function TotalRow({ item }: { item: PlanTotal }): ReactElement {
  const style =
    item.style === "grand"
      ? [styles.grandTotal, { height: item.height }]
      : item.style === "bold"
        ? [styles.labelValue, styles.bold, { height: item.height }]
        : [styles.labelValue, { height: item.height }];
  return (
    <View style={style}>
      <Text style={styles.totalsLabel}>{item.label}</Text>
      <Text style={styles.totalsValue}>{item.value}</Text>
    </View>
  );
}

function Row({ row, vat }: { row: PlanRow; vat: boolean }): ReactElement {
  switch (row.kind) {
    case "group":
      return (
        <Text style={[styles.group, { height: row.height }]}>
          {row.text}
        </Text>
      );
    case "subtotal":
      return (
        <View style={[styles.subtotal, { height: row.height }]}>
          <Text style={styles.desc}>{row.label}</Text>
          <Text style={styles.amount}>{row.amount}</Text>
        </View>
      );
    case "line":
      return (
        <View style={[styles.row, { height: row.height }]}>
          <Text style={styles.desc}>{row.desc}</Text>
          <Text style={styles.qty}>{row.qty}</Text>
          <Text style={styles.unit}>{row.unit}</Text>
          <Text style={styles.price}>{row.price}</Text>
          {vat ? <Text style={styles.vat}>{row.vat}</Text> : null}
          <Text style={styles.amount}>{row.amount}</Text>
        </View>
      );
  }
}

function PlannedPage({ plan, page }: { plan: InvoicePlan; page: PlanPage }): ReactElement {
  const { top, summary, tableHead: head } = plan;
  const vat = plan.columns.vat;
  return (
    <Page size="A4" wrap={false} style={[styles.page, { paddingBottom: plan.paddingBottom }]}>
      {page.top ? (
        <View style={{ height: top.height }}>
          <View style={[styles.blockRow, { height: top.heightA, marginBottom: PAGE_GEOMETRY.topGap }]}>
            <View style={styles.topLeft}>
              <Text style={styles.providerName}>{top.providerName}</Text>
              <Text style={styles.grey}>{top.providerAddress}</Text>
            </View>
            <View style={styles.topRight}>
              <Text style={styles.title}>{top.title}</Text>
              <Text style={styles.number}>{top.numberLine}</Text>
            </View>
          </View>
          <View style={[styles.blockRow, { height: top.heightB }]}>
            <View style={styles.customer}>
              <Text style={styles.blockHeading}>{top.customerHeading}</Text>
              <Text style={styles.bold}>{top.customerName}</Text>
              <Text>{top.customerLines}</Text>
            </View>
            <View style={styles.meta}>
              {top.meta.map((m, i) => (
                <LabelValue key={i} item={m} value="meta" />
              ))}
            </View>
          </View>
        </View>
      ) : null}

      {page.tableHead ? (
        <View style={styles.head}>
          <Text style={styles.desc}>{head.desc}</Text>
          <Text style={styles.qty}>{head.qty}</Text>
          <Text style={styles.unit}>{head.unit}</Text>
          <Text style={styles.price}>{head.price}</Text>
          {vat ? <Text style={styles.vat}>{head.vat}</Text> : null}
          <Text style={styles.amount}>{head.amount}</Text>
        </View>
      ) : null}
      {page.rows.map((row, i) => (
        <Row key={i} row={row} vat={vat} />
      ))}

      {page.summary ? (
        <View>
          <View style={styles.totals}>
            {summary.totals.map((t, i) => (
              <TotalRow key={i} item={t} />
            ))}
          </View>
          {summary.note ? <Text style={styles.note}>{summary.note}</Text> : null}
          <View style={[styles.payment, styles.paymentRow]}>
            <View style={{ width: summary.paymentWidth }}>
              <Text style={styles.paymentHeading}>{summary.paymentHeading}</Text>
              <Text>{summary.paymentText}</Text>
              {summary.payment.map((p, i) => (
                <LabelValue key={i} item={p} value="payment" valueWidth={summary.paymentWidth - PAGE_GEOMETRY.metaLabelWidth} />
              ))}
            </View>
            {summary.qr ? <PaymentQrCode qr={summary.qr} /> : null}
          </View>
        </View>
      ) : null}

      <View style={[styles.footer, { height: plan.footer.height }]}>
        <Text style={styles.footerText}>{plan.footer.text}</Text>
        <Text style={styles.pageLabel}>{page.pageLabel}</Text>
      </View>
    </Page>
  );
}

export function InvoiceDocument({ plan }: { plan: InvoicePlan }): ReactElement {
  return (
    <Document
      title={plan.title}
      author={plan.author}
      creator="Cumulus"
      producer="Cumulus"
      language={plan.locale}
      // A fixed creation date keeps a re-render of the same invoice byte-for-byte comparable.
      creationDate={plan.creationDate}
    >
      {plan.pages.map((page, i) => (
        <PlannedPage key={i} plan={plan} page={page} />
      ))}
    </Document>
  );
}
