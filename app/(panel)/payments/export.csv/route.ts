/** Export CSV: the filtered payments list (every page), streamed as it is read in batches. */
import { csvDownloadResponse, invalidFilterResponse } from "@/lib/csv";
import { streamPaymentRows } from "@/lib/dal/payments";
import { canReadInvoices, requireViewer } from "@/lib/dal/session";
import { accountToday } from "@/lib/dates";
import { notFoundResponse } from "@/lib/http";
import { PAYMENT_CSV_HEADER, paymentCsvRecord } from "@/lib/payments/csv";
import { parsePaymentListParams } from "@/lib/payments/list";

export async function GET(request: Request) {
  const viewer = await requireViewer();
  if (!canReadInvoices(viewer)) return notFoundResponse();
  const parsed = parsePaymentListParams(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.ok) return invalidFilterResponse(parsed.errors);
  const { timeZone, language } = viewer.account;
  const name = `Cumulus-payments-${accountToday(timeZone)}.csv`;
  return csvDownloadResponse(name, PAYMENT_CSV_HEADER, streamPaymentRows(viewer, parsed.params), (r) => paymentCsvRecord(r, timeZone, language));
}
