/** GET /invoices/N/calendar: Add to calendar, the outstanding invoice's due date as an .ics file. */
import { getInvoiceCalendarFile, parseInvoiceNumber } from "@/lib/dal/invoices";
import { requireViewer } from "@/lib/dal/session";
import { notFoundFor } from "@/lib/http";

export async function GET(request: Request, { params }: { params: Promise<{ number: string }> }) {
  const viewer = await requireViewer();
  const number = parseInvoiceNumber((await params).number);
  if (number === null) return notFoundFor(request);
  const file = await getInvoiceCalendarFile(viewer, number);
  if (file === null) return notFoundFor(request);
  return new Response(file, {
    headers: {
      "content-type": "text/calendar; charset=utf-8",
      "content-disposition": `attachment; filename="invoice-${number}.ics"`,
      "cache-control": "private, no-store",
    },
  });
}
