/**
 * A ZIP of invoice PDFs plus index.csv, streamed as it is built: Download selected and a shared
 * bundle answer with the same file. PDFs are rendered a few ahead to keep both render workers busy.
 */
import { Zip, ZipPassThrough } from "fflate";
import { invoiceCsv } from "./csv";
import type { InvoiceRow } from "./list";

const RENDER_AHEAD = 4;

type Pdf = { fileName: string; bytes: Uint8Array };

export function invoiceZipStream(rows: InvoiceRow[], pdfOf: (number: number) => Promise<Pdf | null>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
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
        const pending = rows.map(() => null as Promise<Pdf | null> | null);
        const start = (i: number) => {
          if (i < rows.length && !pending[i]) pending[i] = pdfOf(rows[i]!.number);
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
}

/** The ZIP's file name: the same for the panel's download and a shared bundle. */
export const zipFileName = (today: string) => `Cumulus-invoices-${today}.zip`;
