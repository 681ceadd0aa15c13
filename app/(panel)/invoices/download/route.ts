/**
 * Download selected (k): one ZIP streamed as it is built, holding each invoice's PDF under its
 * file name plus index.csv. A request naming any unknown or foreign number is refused whole.
 */
import { getInvoicePdf, getInvoicesByNumbers, parseInvoiceNumber } from "@/lib/dal/invoices";
import { canReadInvoices, requireViewer } from "@/lib/dal/session";
import { accountToday } from "@/lib/dates";
import { badRequest, notFoundFor } from "@/lib/http";
import { invoiceZipStream, zipFileName } from "@/lib/invoices/zip";

const MAX_INVOICES_PER_ZIP = 500;

export async function GET(request: Request) {
  const viewer = await requireViewer();
  if (!canReadInvoices(viewer)) return notFoundFor(request);
  const values = new URL(request.url).searchParams.getAll("n");
  if (values.length === 0) return badRequest("Select at least one invoice to download.");
  if (values.length > MAX_INVOICES_PER_ZIP) return badRequest(`At most ${MAX_INVOICES_PER_ZIP} invoices can be downloaded at once.`);
  const numbers = values.map(parseInvoiceNumber);
  if (numbers.some((n) => n === null)) return notFoundFor(request);
  const unique = [...new Set(numbers as number[])];
  const rows = await getInvoicesByNumbers(viewer, unique);
  if (!rows) return notFoundFor(request);

  return new Response(invoiceZipStream(rows, (number) => getInvoicePdf(viewer, number)), {
    headers: {
      "content-type": "application/zip",
      "content-disposition": `attachment; filename="${zipFileName(accountToday(viewer.account.timeZone))}"`,
      "cache-control": "no-store",
    },
  });
}
