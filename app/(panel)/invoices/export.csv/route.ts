/** Export CSV: the filtered list (every page), streamed as it is read in batches. */
import { streamInvoiceRows } from "@/lib/dal/invoices";
import { canReadInvoices, requireViewer } from "@/lib/dal/session";
import { todayIn } from "@/lib/dates";
import { CSV_HEADER, csvLine, invoiceCsvRecord } from "@/lib/invoices/csv";
import { parseListParams } from "@/lib/invoices/list";
import { notFoundResponse } from "@/lib/http";

export async function GET(request: Request) {
  const viewer = await requireViewer();
  if (!canReadInvoices(viewer)) return notFoundResponse();
  const raw = Object.fromEntries(new URL(request.url).searchParams);
  const parsed = parseListParams(raw);
  if (!parsed.ok) {
    return new Response(`Invalid filter: ${Object.values(parsed.errors).join(" ")}\n`, {
      status: 400,
      headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
    });
  }
  const rows = streamInvoiceRows(viewer, parsed.params);
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      try {
        controller.enqueue(encoder.encode(csvLine(CSV_HEADER)));
        for await (const r of rows) controller.enqueue(encoder.encode(invoiceCsvRecord(r)));
        controller.close();
      } catch (err) {
        controller.error(err);
      }
    },
  });
  const name = `Cumulus-invoices-${todayIn(viewer.account.timeZone)}.csv`;
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${name}"`,
      "cache-control": "no-store",
    },
  });
}
