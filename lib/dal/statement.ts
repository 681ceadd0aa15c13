/** The account statement for the current viewer: invoice access Read or Full, the viewer's own account. */
import "server-only";
import { getDb } from "@/db/client";
import { statementCsv, statementFileName, statementPdf } from "@/lib/billing/statement-output";
import { accountStatement } from "@/lib/billing/statement-history";
import { assertInvoiceReader } from "./invoices";
import type { Viewer } from "./session";

type Period = { from: string; to: string };

export async function getStatement(viewer: Viewer, period: Period) {
  assertInvoiceReader(viewer);
  return accountStatement(getDb(), viewer.account.id, period.from, period.to, viewer.account.timeZone);
}

export async function getStatementPdf(viewer: Viewer, period: Period) {
  assertInvoiceReader(viewer);
  const bytes = await statementPdf(getDb(), viewer.account.id, period.from, period.to, viewer.account.timeZone);
  return { bytes, fileName: statementFileName(period, "pdf") };
}

export async function getStatementCsv(viewer: Viewer, period: Period) {
  const statement = await getStatement(viewer, period);
  return { text: statementCsv(statement, viewer.account.currency, viewer.account.language), fileName: statementFileName(period, "csv") };
}
