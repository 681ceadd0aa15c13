/** Messages between the PDF pool (render.ts) and its worker threads (render-worker.ts). */
import type { InvoicePdfData, ReceiptPdfData, StatementPdfData } from "@/lib/invoices/types";

/** What a worker can render: an invoice or credit note, a payment's receipt, or an account statement. */
export type PdfDocumentRequest =
  | { kind: "invoice"; data: InvoicePdfData }
  | { kind: "receipt"; data: ReceiptPdfData }
  | { kind: "statement"; data: StatementPdfData };

export type WorkerRequest =
  | { type: "render"; id: number; doc: PdfDocumentRequest }
  /** "full": several renders, up to multi-page ones; "quick": one short invoice (fonts only). */
  | { type: "warmup"; id: number; mode: "full" | "quick" };

export type WorkerReply =
  | { type: "done"; id: number; pdf: Uint8Array; ms: number; heapUsed: number }
  | { type: "failed"; id: number; message: string; stack?: string; heapUsed: number };

/** What the pool passes a render worker as workerData (a worker thread reads no environment itself). */
export type RenderWorkerSettings = { nice: number };
