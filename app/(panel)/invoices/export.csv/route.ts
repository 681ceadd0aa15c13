/** Export CSV: the filtered list (every page), streamed as it is read in batches. */
import { csvDownloadResponse, invalidFilterResponse } from "@/lib/csv";
import { streamInvoiceRows } from "@/lib/dal/invoices";
import { canReadInvoices, requireViewer } from "@/lib/dal/session";
import { accountToday } from "@/lib/dates";
import { CSV_HEADER, invoiceCsvRecord } from "@/lib/invoices/csv";
import { parseListParams } from "@/lib/invoices/list";
import { notFoundResponse } from "@/lib/http";

export async function GET(request: Request) {
  const viewer = await requireViewer();
  if (!canReadInvoices(viewer)) return notFoundResponse();
  const parsed = parseListParams(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.ok) return invalidFilterResponse(parsed.errors);
  const name = `Cumulus-invoices-${accountToday(viewer.account.timeZone)}.csv`;
  return csvDownloadResponse(name, CSV_HEADER, streamInvoiceRows(viewer, parsed.params), invoiceCsvRecord);
}
