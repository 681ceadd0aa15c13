/**
 * Download selected (k): one ZIP streamed as it is built, holding each invoice's PDF under its
 * file name plus index.csv. A request naming any unknown or foreign number is refused whole.
 */
import { Zip, ZipPassThrough } from "fflate";
import { getInvoicePdf, getInvoicesByNumbers, parseInvoiceNumber } from "@/lib/dal/invoices";
import { canReadInvoices, requireViewer } from "@/lib/dal/session";
import { accountToday } from "@/lib/dates";
import { badRequest, notFoundFor } from "@/lib/http";
import { invoiceCsv } from "@/lib/invoices/csv";

const MAX_INVOICES_PER_ZIP = 500;
// PDFs rendered ahead of the one being written: keeps both render workers busy.
const RENDER_AHEAD = 4;

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

  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const zip = new Zip((err, chunk, final) => {
        if (err) return controller.error(err);
        controller.enqueue(chunk);
        if (final) controller.close();
      });
      const add = (name: string, bytes: Uint8Array) => {
        // PDFs are already compressed: store them as they are.
        const entry = new ZipPassThrough(name);
        zip.add(entry);
        entry.push(bytes, true);
      };
      void (async () => {
        const pending = rows.map(() => null as Promise<Awaited<ReturnType<typeof getInvoicePdf>>> | null);
        const start = (i: number) => {
          if (i < rows.length && !pending[i]) pending[i] = getInvoicePdf(viewer, rows[i]!.number);
        };
        for (let i = 0; i < Math.min(RENDER_AHEAD, rows.length); i++) start(i);
        for (let i = 0; i < rows.length; i++) {
          start(i);
          const pdf = await pending[i]!;
          pending[i] = null;
          start(i + RENDER_AHEAD);
          if (!pdf) throw new Error(`Invoice ${rows[i]!.number} vanished while zipping`);
          add(pdf.fileName, pdf.bytes);
        }
        add("index.csv", encoder.encode(invoiceCsv(rows)));
        zip.end();
      })().catch((err) => controller.error(err));
    },
  });
  return new Response(body, {
    headers: {
      "content-type": "application/zip",
      "content-disposition": `attachment; filename="Cumulus-invoices-${accountToday(viewer.account.timeZone)}.zip"`,
      "cache-control": "no-store",
    },
  });
}
