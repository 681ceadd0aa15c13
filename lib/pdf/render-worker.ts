/**
 * Worker-thread entry of the PDF pool (render.ts): renders one job at a time and yields to the
 * event loop between jobs, which lets V8 release react-pdf's per-render garbage (without the
 * yield a busy worker's heap grows with every PDF).
 */
import os from "node:os";
import { parentPort, workerData } from "node:worker_threads";
import { getHeapStatistics } from "node:v8";
import { renderInvoicePdfInProcess, renderReceiptPdfInProcess } from "./render-document";
import { sampleInvoicePdfData } from "./sample";
import { renderStatementPdfInProcess } from "./statement-document";
import type { PdfDocumentRequest, RenderWorkerSettings, WorkerReply, WorkerRequest } from "./worker-protocol";

const port = parentPort;
if (!port) throw new Error("render-worker.ts must run in a worker thread");

/**
 * Renders run at a lower CPU priority than the server's main thread, so pages stay fast while
 * PDFs are being rendered and PDFs still take every idle cycle. On Linux a thread's nice value
 * is its own: setpriority(0) from this thread changes only this thread. Measured with
 * `npm run bench` (docs/performance.md). The pool passes CUMULUS_PDF_NICE (lib/env.ts) as
 * workerData; elsewhere than Linux it is a no-op.
 */
function lowerPriority(): void {
  const nice = (workerData as Partial<RenderWorkerSettings> | null)?.nice;
  if (nice === undefined) return;
  if (!Number.isInteger(nice) || nice <= 0 || nice > 19 || process.platform !== "linux") return;
  try {
    os.setPriority(nice);
  } catch {
    // Not permitted here (e.g. a locked-down container): render at normal priority.
  }
}
lowerPriority();

const queue: WorkerRequest[] = [];
let running = false;

function heapUsed(): number {
  return getHeapStatistics().used_heap_size;
}

/**
 * Loads the fonts and gets the hot code compiled before the first real request: a multi-page
 * invoice in each language, then short ones, repeated because V8 keeps optimizing over the
 * first few dozen renders (docs/performance.md). About 1.5 s per worker, once, in the background.
 */
const FULL_WARM_UP = [
  [150, "en"],
  [150, "sv"],
  ...Array.from({ length: 32 }, (_, i) => [8, i % 2 === 0 ? "en" : "sv"] as const),
] as const;

async function warmUp(mode: "full" | "quick"): Promise<Uint8Array> {
  let pdf: Uint8Array = new Uint8Array();
  for (const [lines, language] of mode === "full" ? FULL_WARM_UP : ([[8, "en"]] as const)) {
    pdf = await renderInvoicePdfInProcess(sampleInvoicePdfData({ lines, language }));
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return pdf;
}

function renderDocument(doc: PdfDocumentRequest): Promise<Uint8Array> {
  if (doc.kind === "receipt") return renderReceiptPdfInProcess(doc.data);
  if (doc.kind === "statement") return renderStatementPdfInProcess(doc.data);
  return renderInvoicePdfInProcess(doc.data);
}

async function handle(request: WorkerRequest): Promise<WorkerReply> {
  const started = performance.now();
  try {
    const pdf =
      request.type === "warmup"
        ? await warmUp(request.mode)
        : await renderDocument(request.doc);
    return { type: "done", id: request.id, pdf, ms: performance.now() - started, heapUsed: heapUsed() };
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    return { type: "failed", id: request.id, message: e.message, stack: e.stack, heapUsed: heapUsed() };
  }
}

async function drain(): Promise<void> {
  if (running) return;
  running = true;
  try {
    for (let request = queue.shift(); request; request = queue.shift()) {
      const reply = await handle(request);
      if (reply.type === "done") {
        // Transfer, not copy: a Buffer from react-pdf may be a view on a larger pooled buffer.
        const pdf =
          reply.pdf.byteOffset === 0 && reply.pdf.byteLength === reply.pdf.buffer.byteLength
            ? reply.pdf
            : reply.pdf.slice();
        port!.postMessage({ ...reply, pdf }, [pdf.buffer as ArrayBuffer]);
      } else {
        port!.postMessage(reply);
      }
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  } finally {
    running = false;
  }
}

port.on("message", (request: WorkerRequest) => {
  queue.push(request);
  void drain();
});
