/**
 * A settled payment's receipt as a react-pdf document. It is short (one row per invoice the
 * payment settled), so unlike the invoice it uses react-pdf's own flow layout; a receipt for
 * hundreds of invoices wraps onto more pages with the table header and footer repeated
 * (`fixed`). No "Page x of y": react-pdf 4.9 drops `render`-prop texts from such pages.
 */
import { Document, Page, StyleSheet, Text, View } from "@react-pdf/renderer";
import type { ReactElement } from "react";
import { formatMoney, localeOf } from "@/lib/money";
import { formatDate } from "@/lib/dates";
import { PDF_FONT_FAMILY } from "./register-fonts";
import { receiptStrings } from "./receipt-strings";
import { pdfStrings } from "./strings";
import { FONT_FEATURES } from "./text-measure";
import type { ReceiptPdfData } from "./types";

const INK = "#111111";
const GREY = "#555555";
const RULE = "#bbbbbb";

const styles = StyleSheet.create({
  page: {
    fontFamily: PDF_FONT_FAMILY,
    fontFeatureSettings: FONT_FEATURES,
    fontSize: 9.5,
    lineHeight: 1.35,
    paddingTop: 48,
    paddingBottom: 64,
    paddingHorizontal: 48,
    color: INK,
  },
  row: { flexDirection: "row", justifyContent: "space-between" },
  providerName: { fontSize: 13, fontWeight: "bold" },
  grey: { color: GREY },
  bold: { fontWeight: "bold" },
  title: { fontSize: 20, fontWeight: "bold", textAlign: "right" },
  right: { textAlign: "right" },
  blocks: { flexDirection: "row", justifyContent: "space-between", marginTop: 28 },
  customer: { width: 230 },
  meta: { width: 250 },
  labelValue: { flexDirection: "row" },
  label: { width: 100, color: GREY },
  value: { width: 150 },
  small: { fontSize: 8, color: GREY },
  table: { marginTop: 28 },
  head: { flexDirection: "row", borderBottomWidth: 0.75, borderBottomColor: INK, fontWeight: "bold", paddingBottom: 2 },
  line: { flexDirection: "row", paddingVertical: 2, borderBottomWidth: 0.5, borderBottomColor: RULE },
  number: { width: 140 },
  date: { flexGrow: 1 },
  amount: { width: 140, textAlign: "right" },
  totals: { marginTop: 8, marginLeft: 260 },
  total: { flexDirection: "row", borderTopWidth: 0.75, borderTopColor: INK, fontWeight: "bold", paddingTop: 2 },
  totalLabel: { flexGrow: 1 },
  totalValue: { width: 140, textAlign: "right" },
  thanks: { marginTop: 24 },
  footer: {
    position: "absolute",
    bottom: 28,
    left: 48,
    right: 48,
    flexDirection: "row",
    justifyContent: "space-between",
    borderTopWidth: 0.5,
    borderTopColor: RULE,
    paddingTop: 4,
    fontSize: 8,
    color: GREY,
  },
});

function LabelValue({ label, value }: { label: string; value: string }): ReactElement {
  return (
    <View style={styles.labelValue}>
      <Text style={styles.label}>{label}</Text>
      <Text style={styles.value}>{value}</Text>
    </View>
  );
}

export function ReceiptDocument({ data }: { data: ReceiptPdfData }): ReactElement {
  const s = receiptStrings(data.language);
  const inv = pdfStrings(data.language);
  const money = (minor: bigint) => formatMoney(minor, data.currency, data.language);
  const c = data.customer;
  const customerLines = [
    c.careOf ? `c/o ${c.careOf}` : null,
    c.street,
    `${c.zipCode} ${c.city}`,
    c.countryCode,
    c.organisationNumber ? `${inv.organisationNumber} ${c.organisationNumber}` : null,
    c.vatNumber ? `${inv.vatNumber} ${c.vatNumber}` : null,
  ].filter((l): l is string => Boolean(l));
  const p = data.provider;
  return (
    <Document
      title={`${s.receipt} ${data.paymentId}`}
      author={p.name}
      creator="Cumulus"
      producer="Cumulus"
      language={localeOf(data.language)}
    >
      <Page size="A4" style={styles.page}>
        <View style={styles.row}>
          <View>
            <Text style={styles.providerName}>{p.name}</Text>
            {p.addressLines.map((l, i) => (
              <Text key={i} style={styles.grey}>
                {l}
              </Text>
            ))}
          </View>
          <View>
            <Text style={styles.title}>{s.receipt}</Text>
            <Text style={[styles.right, styles.small]}>
              {s.receiptNumber} {data.paymentId}
            </Text>
          </View>
        </View>

        <View style={styles.blocks}>
          <View style={styles.customer}>
            <Text style={styles.small}>{s.customer}</Text>
            <Text style={styles.bold}>{c.name}</Text>
            {customerLines.map((l, i) => (
              <Text key={i}>{l}</Text>
            ))}
          </View>
          <View style={styles.meta}>
            <LabelValue label={s.paidAt} value={data.paidAt} />
            <LabelValue label={s.method} value={s.methods[data.method]} />
            {data.cardLabel ? <LabelValue label={s.card} value={data.cardLabel} /> : null}
            {data.providerReference ? <LabelValue label={s.reference} value={data.providerReference} /> : null}
          </View>
        </View>

        <View style={styles.table}>
          <View style={styles.head} fixed>
            <Text style={styles.number}>{s.invoice}</Text>
            <Text style={styles.date}>{s.invoiceDate}</Text>
            <Text style={styles.amount}>{s.amount}</Text>
          </View>
          {data.allocations.map((a) => (
            <View key={a.number} style={styles.line} wrap={false}>
              <Text style={styles.number}>{String(a.number)}</Text>
              <Text style={styles.date}>{formatDate(a.invoiceDate)}</Text>
              <Text style={styles.amount}>{money(a.amountMinor)}</Text>
            </View>
          ))}
        </View>

        <View style={styles.totals} wrap={false}>
          {data.creditMinor > 0n ? (
            <View style={styles.labelValue}>
              <Text style={styles.totalLabel}>{s.creditKept}</Text>
              <Text style={styles.totalValue}>{money(data.creditMinor)}</Text>
            </View>
          ) : null}
          <View style={styles.total}>
            <Text style={styles.totalLabel}>{s.totalPaid}</Text>
            <Text style={styles.totalValue}>{money(data.amountMinor)}</Text>
          </View>
        </View>

        <Text style={styles.thanks}>{s.thanks}</Text>

        <View style={styles.footer} fixed>
          <Text>
            {[p.name, `${inv.organisationNumber} ${p.organisationNumber}`, `${inv.vatNumber} ${p.vatNumber}`, p.email].join(" · ")}
          </Text>
        </View>
      </Page>
    </Document>
  );
}
