/** The account statement for the current viewer: invoice access Read or Full, the viewer's own account. */
import "server-only";
import { getDb } from "@/db/client";
import { parseStatementParams, statementCsv, statementFileName, statementPdf, statementPeriod } from "@/lib/billing/statement-output";
import { accountStatement } from "@/lib/billing/statement-history";
import { invalidFilterResponse } from "@/lib/csv";
import { notFoundResponse } from "@/lib/http";
import { viewerToday, assertInvoiceReader } from "./invoices";
import { canReadInvoices, requireViewer, type Viewer } from "./session";

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

/**
 * The viewer and period of a statement download (a route handler's request), or the answer that
 * refuses it: 404 without invoice access, as every invoice URL; 400 for a period that does not parse.
 */
export async function readStatementRequest(request: Request): Promise<{ viewer: Viewer; period: Period } | Response> {
  const viewer = await requireViewer();
  if (!canReadInvoices(viewer)) return notFoundResponse();
  const today = viewerToday(viewer);
  const parsed = parseStatementParams(Object.fromEntries(new URL(request.url).searchParams), today);
  if (!parsed.ok) return invalidFilterResponse(parsed.errors);
  return { viewer, period: statementPeriod(parsed.params, today) };
}
