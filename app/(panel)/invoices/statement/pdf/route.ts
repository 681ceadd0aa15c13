/** GET /invoices/statement/pdf?period=…: the account statement for the period as a PDF download. */
import { parseStatementParams, statementPeriod } from "@/lib/billing/statement-output";
import { invalidFilterResponse } from "@/lib/csv";
import { accountToday } from "@/lib/dal/invoices";
import { canReadInvoices, requireViewer } from "@/lib/dal/session";
import { getStatementPdf } from "@/lib/dal/statement";
import { notFoundResponse } from "@/lib/http";

export async function GET(request: Request) {
  const viewer = await requireViewer();
  if (!canReadInvoices(viewer)) return notFoundResponse();
  const parsed = parseStatementParams(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.ok) return invalidFilterResponse(parsed.errors);
  const pdf = await getStatementPdf(viewer, statementPeriod(parsed.params, accountToday(viewer)));
  return new Response(pdf.bytes as Uint8Array<ArrayBuffer>, {
    headers: {
      "cache-control": "private, no-store",
      "content-type": "application/pdf",
      "content-disposition": `attachment; filename="${pdf.fileName}"`,
      "x-content-type-options": "nosniff",
    },
  });
}
