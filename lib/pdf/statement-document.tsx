/**
 * An account statement as a react-pdf document. A statement has one short line per invoice,
 * credit note or payment, so react-pdf's own page flow lays it out: every row is unbreakable and
 * the table head is printed once (a head repeated by react-pdf on later pages was drawn over
 * their first row), and each page carries the provider's footer (react-pdf's page-number render
 * prints nothing with these fonts, so a statement's pages are not numbered).
 */
import { Document, Page, renderToBuffer, StyleSheet, Text, View } from "@react-pdf/renderer";
import type { ReactElement } from "react";
import { formatDate } from "@/lib/dates";
import { formatMoney, localeOf } from "@/lib/money";
import { PDF_COLOURS, sharedDocumentStyles } from "./document-styles";
import { PAGE_GEOMETRY } from "./page-geometry";
import { providerAddressLines } from "./plan-blocks";
import { loadPdfMeasure } from "./render-document";
import { describeStatementRow, statementStrings, type StatementStrings } from "./statement-strings";
import type { StatementPdfData } from "@/lib/invoices/types";

const COLUMNS = { date: 70, amount: 95, balance: 95 } as const;
const DESCRIPTION_WIDTH = PAGE_GEOMETRY.contentWidth - COLUMNS.date - COLUMNS.amount - COLUMNS.balance;

// The statement's pages flow, so the shared page style's pinned A4 height is left out.
const { minHeight: _pinnedMin, maxHeight: _pinnedMax, ...flowingPage } = sharedDocumentStyles.page;

const FOOTER_HEIGHT = PAGE_GEOMETRY.smallLine + PAGE_GEOMETRY.footerPaddingTop;

const styles = StyleSheet.create({
  ...sharedDocumentStyles,
  page: { ...flowingPage, paddingBottom: 60 },
  head: { flexDirection: "row", borderBottomWidth: 0.75, borderBottomColor: PDF_COLOURS.ink, fontWeight: "bold", paddingVertical: 2 },
  line: { flexDirection: "row", borderBottomWidth: 0.5, borderBottomColor: PDF_COLOURS.rule, paddingVertical: 2 },
  total: { flexDirection: "row", borderTopWidth: 0.75, borderTopColor: PDF_COLOURS.ink, fontWeight: "bold", paddingVertical: 3 },
  date: { width: COLUMNS.date },
  description: { width: DESCRIPTION_WIDTH, paddingRight: 6 },
  amount: { width: COLUMNS.amount, textAlign: "right" },
  balance: { width: COLUMNS.balance, textAlign: "right" },
  label: { width: PAGE_GEOMETRY.metaLabelWidth, color: PDF_COLOURS.grey },
  note: { marginTop: PAGE_GEOMETRY.noteGap, color: PDF_COLOURS.grey },
  number: { fontSize: PAGE_GEOMETRY.numberSize, textAlign: "right" },
  totalLabel: { width: PAGE_GEOMETRY.totalsWidth - PAGE_GEOMETRY.totalsValueWidth },
  totalValue: { width: PAGE_GEOMETRY.totalsValueWidth, textAlign: "right" },
});

type Row = { date: string; description: string; amount: string; balance: string };

function TableRow({ row, style }: { row: Row; style: (typeof styles)[keyof typeof styles] }): ReactElement {
  return (
    <View style={style} wrap={false}>
      <Text style={styles.date}>{row.date}</Text>
      <Text style={styles.description}>{row.description}</Text>
      <Text style={styles.amount}>{row.amount}</Text>
      <Text style={styles.balance}>{row.balance}</Text>
    </View>
  );
}

function SummaryLine({ label, value, bold = false }: { label: string; value: string; bold?: boolean }): ReactElement {
  return (
    <View style={bold ? styles.total : styles.labelValue}>
      <Text style={styles.totalLabel}>{label}</Text>
      <Text style={styles.totalValue}>{value}</Text>
    </View>
  );
}

function Top({ data, strings }: { data: StatementPdfData; strings: StatementStrings }): ReactElement {
  return (
    <View>
      <View style={[styles.blockRow, { marginBottom: PAGE_GEOMETRY.topGap }]}>
        <View style={styles.topLeft}>
          <Text style={styles.providerName}>{data.provider.name}</Text>
          <Text style={styles.grey}>{providerAddressLines(data.provider, data.language).join("\n")}</Text>
        </View>
        <View style={styles.topRight}>
          <Text style={styles.title}>{strings.statement}</Text>
          <Text style={styles.number}>{`${formatDate(data.from)} – ${formatDate(data.to)}`}</Text>
        </View>
      </View>
      <View style={[styles.blockRow, { marginBottom: PAGE_GEOMETRY.blocksGap }]}>
        <View style={styles.customer}>
          <Text style={styles.blockHeading}>{strings.customer}</Text>
          <Text style={styles.bold}>{data.customer.name}</Text>
          <Text>{data.customer.addressLines.join("\n")}</Text>
        </View>
        <View style={styles.meta}>
          <View style={styles.labelValue}>
            <Text style={styles.label}>{strings.period}</Text>
            <Text style={styles.metaValue}>{`${formatDate(data.from)} – ${formatDate(data.to)}`}</Text>
          </View>
          <View style={styles.labelValue}>
            <Text style={styles.label}>{strings.created}</Text>
            <Text style={styles.metaValue}>{data.createdAt}</Text>
          </View>
        </View>
      </View>
    </View>
  );
}

export function StatementDocument({ data }: { data: StatementPdfData }): ReactElement {
  const strings = statementStrings(data.language);
  const money = (minor: bigint) => formatMoney(minor, data.currency, data.language);
  const footer = [data.provider.name, data.provider.organisationNumber, data.provider.vatNumber, data.provider.email].filter(Boolean).join(" · ");
  return (
    <Document title={`${strings.statement} ${data.from} – ${data.to}`} author={data.provider.name} creator="Cumulus" producer="Cumulus" language={localeOf(data.language)}>
      <Page size="A4" style={styles.page}>
        <Top data={data} strings={strings} />
        <TableRow style={styles.head} row={{ date: strings.date, description: strings.description, amount: strings.amount, balance: strings.balance }} />
        <TableRow style={styles.line} row={{ date: formatDate(data.from), description: strings.opening, amount: "", balance: money(data.openingMinor) }} />
        {data.rows.map((r, i) => (
          <TableRow key={i} style={styles.line} row={{ date: formatDate(r.date), description: describeStatementRow(r, strings), amount: money(r.amountMinor), balance: money(r.balanceMinor) }} />
        ))}
        {data.rows.length === 0 ? <Text style={styles.note}>{strings.noEntries}</Text> : null}
        <View wrap={false}>
          <View style={styles.totals}>
            <SummaryLine label={strings.opening} value={money(data.openingMinor)} />
            <SummaryLine label={strings.accountCredit} value={money(data.accountCreditMinor)} />
            <SummaryLine label={strings.closing} value={money(data.closingMinor)} bold />
          </View>
          <Text style={styles.note}>{strings.balanceNote}</Text>
        </View>
        <View style={[styles.footer, { height: FOOTER_HEIGHT }]} fixed>
          <Text style={styles.footerText}>{footer}</Text>
        </View>
      </Page>
    </Document>
  );
}

/** Renders one statement in the current thread (the pool's worker calls this). */
export async function renderStatementPdfInProcess(data: StatementPdfData): Promise<Uint8Array> {
  await loadPdfMeasure(); // registers the fonts once per thread
  const buffer = await renderToBuffer(<StatementDocument data={data} />);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}
