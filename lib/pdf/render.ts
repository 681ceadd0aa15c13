/**
 * Invoice PDFs are rendered off the request thread, in a small pool of worker threads
 * (worker-pool.ts, started as pool-settings.ts says): react-pdf blocks the event loop for the
 * whole render and retains memory per document, so a render never runs on the server's main
 * thread.
 */
import { processSlot } from "@/db/singleton";
import type { InvoicePdfData, ReceiptPdfData, StatementPdfData } from "@/lib/invoices/types";
import { poolSettings, type PdfPoolOptions } from "./pool-settings";
import { WorkerPool, type PdfPool } from "./worker-pool";

/** Part of the stored PDFs' cache key (invoice_pdfs.template_version): bump on layout changes. */
export const TEMPLATE_VERSION = 4;

export function createPdfPool(options: PdfPoolOptions = {}): PdfPool {
  return new WorkerPool(poolSettings(options));
}

// One pool per server process, also across dev-mode module reloads.
const sharedPoolSlot = processSlot<PdfPool>("pdf.pool");

function sharedPool(): PdfPool {
  return sharedPoolSlot.getOrCreate(createPdfPool);
}

/** Renders an invoice or credit note PDF in a worker thread. */
export function renderInvoicePdf(data: InvoicePdfData): Promise<Uint8Array> {
  return sharedPool().render(data);
}

/** Renders a settled payment's receipt PDF in a worker thread. */
export function renderReceiptPdf(data: ReceiptPdfData): Promise<Uint8Array> {
  return sharedPool().renderReceipt(data);
}

/** Renders an account statement PDF in a worker thread. */
export function renderStatementPdf(data: StatementPdfData): Promise<Uint8Array> {
  return sharedPool().renderDocument({ kind: "statement", data });
}

/** Call once at server start (e.g. from instrumentation.ts): the first real PDF is then fast. */
export function warmUpPdfRenderer(): Promise<void> {
  return sharedPool().warmUp();
}

/** Stops the shared pool (graceful shutdown, end of tests). The next render starts a new one. */
export async function closePdfPool(): Promise<void> {
  const pool = sharedPoolSlot.get();
  sharedPoolSlot.set(undefined);
  await pool?.close();
}
