/** GET /invoices/statement/csv?period=…: the account statement for the period as CSV. */
import { parseStatementParams, statementPeriod } from "@/lib/billing/statement-output";
import { invalidFilterResponse } from "@/lib/csv";
import { accountToday } from "@/lib/dal/invoices";
import { canReadInvoices, requireViewer } from "@/lib/dal/session";
import { getStatementCsv } from "@/lib/dal/statement";
import { notFoundResponse } from "@/lib/http";

export async function GET(request: Request) {
  const viewer = await requireViewer();
  if (!canReadInvoices(viewer)) return notFoundResponse();
  const parsed = parseStatementParams(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.ok) return invalidFilterResponse(parsed.errors);
  const csv = await getStatementCsv(viewer, statementPeriod(parsed.params, accountToday(viewer)));
  return new Response(csv.text, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${csv.fileName}"`,
      "cache-control": "no-store",
    },
  });
}
