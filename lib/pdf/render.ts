/**
 * Invoice PDFs are rendered off the request thread, in a small pool of worker threads.
 *
 * react-pdf blocks the event loop for the whole render and retains memory per document, so a
 * render never runs on the server's main thread. The pool keeps a queue, replaces a worker that
 * crashes or overruns its job's time limit (only that job fails), and recycles a worker after
 * many jobs or when its heap passes a threshold. A replacement first renders a warm-up
 * document, and the old worker keeps serving until then, so recycling never puts a cold worker
 * (~400 ms first render) in front of a request.
 *
 * How the worker is found:
 * - `next dev` / `next build` / `next start` (Turbopack): the literal
 *   `new Worker(new URL("./render-worker.ts", import.meta.url))` below is compiled by Turbopack
 *   into its own chunk; @react-pdf/renderer stays external.
 * - Running from TypeScript source (tsx scripts, vitest) on Node 20: module loaders are not
 *   applied to a worker's entry file, so the worker starts from a few lines of JavaScript that
 *   register tsx's loader (`tsx/esm/api`, resolved from the working directory, i.e. the
 *   repository) and then import render-worker.ts. tsx also resolves the `@/` alias from
 *   tsconfig.json.
 */
import os from "node:os";
import { Worker } from "node:worker_threads";
import { processSlot } from "@/db/singleton";
import type { InvoicePdfData, ReceiptPdfData } from "./types";
import type { PdfDocumentRequest, WorkerReply, WorkerRequest } from "./worker-protocol";

/** Part of the stored PDFs' cache key (invoice_pdfs.template_version): bump on layout changes. */
// 2: a line names its region once; credit notes print their reason and no bank details.
export const TEMPLATE_VERSION = 2;

export type PdfRenderErrorCode = "failed" | "timeout" | "crashed" | "overloaded" | "unavailable" | "closed";

export class PdfRenderError extends Error {
  override readonly name = "PdfRenderError";
  constructor(
    readonly code: PdfRenderErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export type PdfPoolOptions = {
  /** Worker threads (each costs ~80–120 MB). Default: CUMULUS_PDF_WORKERS, else CPUs up to 4. */
  size?: number;
  /** Recycle a worker after this many renders. Default 5000 (CUMULUS_PDF_RECYCLE_AFTER_JOBS). */
  maxJobsPerWorker?: number;
  /** Recycle a worker whose heap is above this after a render. Default 256 MB (CUMULUS_PDF_RECYCLE_HEAP_MB). */
  maxHeapBytes?: number;
  /** A render taking longer fails and its worker is replaced. Default 20 s (CUMULUS_PDF_TIMEOUT_MS). */
  jobTimeoutMs?: number;
  /** Limit for a new worker's start and warm-up render. Default 60 s. */
  warmUpTimeoutMs?: number;
  /** Renders waiting beyond this are refused ("overloaded"). Default 1000. */
  maxQueue?: number;
  /**
   * What a new worker renders before it takes requests: "full" (about a second of renders, so
   * the first request is fast) or "quick" (one short invoice). Default: "full" when NODE_ENV is
   * production, else "quick" (dev servers and tests start workers often).
   */
  warmUp?: "full" | "quick";
  /** V8 old-generation limit of each worker; past it the worker dies and is replaced. Default 512. */
  maxOldGenerationSizeMb?: number;
  /** Tests: how to start a worker. Default: see the header comment. */
  createWorker?: (options: { maxOldGenerationSizeMb: number }) => Worker;
};

export type PdfPoolStats = {
  workers: number;
  ready: number;
  busy: number;
  queued: number;
  rendered: number;
  failed: number;
  recycled: number;
  crashed: number;
  timedOut: number;
  /** Each live worker's V8 heap in use after its last render (bytes, before any GC). */
  heapUsed: number[];
};

export type PdfPool = {
  render(data: InvoicePdfData): Promise<Uint8Array>;
  renderReceipt(data: ReceiptPdfData): Promise<Uint8Array>;
  /** Starts every worker and waits for their warm-up renders. */
  warmUp(): Promise<void>;
  /** Refuses new work, lets running renders finish, then stops the workers. */
  close(): Promise<void>;
  stats(): PdfPoolStats;
};

type Job = {
  id: number;
  doc: PdfDocumentRequest;
  resolve: (pdf: Uint8Array) => void;
  reject: (error: Error) => void;
  timer?: NodeJS.Timeout;
};

type Slot = {
  worker: Worker;
  state: "warming" | "ready" | "draining" | "dead";
  warmUpId: number;
  warmUpTimer?: NodeJS.Timeout;
  ready: Promise<void>;
  job: Job | null;
  jobs: number;
  heapUsed: number;
  /** A replacement is warming up for this worker. */
  retiring: boolean;
  /** The worker this one replaces once warm. */
  replaces: Slot | null;
  lastError?: Error;
};

const WORKER_SOURCE = "render-worker.ts";

function envInt(name: string): number | undefined {
  // Operators tune the pool from the environment; absent or invalid values use the defaults.
  const raw = process.env[name];
  if (!raw) return undefined;
  const n = Number(raw);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

/** True under tsx or vitest: this module is the .ts file itself, not a Turbopack chunk. */
function runningFromSource(): boolean {
  if (process.env.NEXT_RUNTIME) return false;
  return /\.[cm]?tsx?$/.test(new URL(import.meta.url).pathname);
}

function defaultCreateWorker({ maxOldGenerationSizeMb }: { maxOldGenerationSizeMb: number }): Worker {
  const resourceLimits = { maxOldGenerationSizeMb };
  if (runningFromSource()) {
    // String surgery rather than new URL()/path.join(), which Turbopack would trace as an asset.
    const entry = import.meta.url.replace(/[^/]*$/, WORKER_SOURCE);
    const bootstrap = `import("tsx/esm/api").then((api) => { api.register(); return import(${JSON.stringify(entry)}); });`;
    return new Worker(bootstrap, { eval: true, resourceLimits });
  }
  return new Worker(new URL("./render-worker.ts", import.meta.url), { resourceLimits });
}

export function createPdfPool(options: PdfPoolOptions = {}): PdfPool {
  const size = Math.max(
    1,
    options.size ?? envInt("CUMULUS_PDF_WORKERS") ?? Math.min(4, os.availableParallelism?.() ?? os.cpus().length),
  );
  const maxJobs = options.maxJobsPerWorker ?? envInt("CUMULUS_PDF_RECYCLE_AFTER_JOBS") ?? 5000;
  const maxHeap = options.maxHeapBytes ?? (envInt("CUMULUS_PDF_RECYCLE_HEAP_MB") ?? 256) * 1024 * 1024;
  const jobTimeoutMs = options.jobTimeoutMs ?? envInt("CUMULUS_PDF_TIMEOUT_MS") ?? 20_000;
  const warmUpTimeoutMs = options.warmUpTimeoutMs ?? 60_000;
  const maxQueue = options.maxQueue ?? 1000;
  const maxOldGenerationSizeMb = options.maxOldGenerationSizeMb ?? 512;
  const createWorker = options.createWorker ?? defaultCreateWorker;
  const warmUpMode = options.warmUp ?? (process.env.NODE_ENV === "production" ? "full" : "quick");

  const slots: Slot[] = [];
  const queue: Job[] = [];
  const stats = { rendered: 0, failed: 0, recycled: 0, crashed: 0, timedOut: 0 };
  let nextId = 1;
  let closed = false;

  /** Workers that count towards the pool size (a draining one is already replaced). */
  const active = () => slots.filter((s) => s.state === "warming" || s.state === "ready");

  function kill(slot: Slot): void {
    if (slot.state === "dead") return;
    slot.state = "dead";
    clearTimeout(slot.warmUpTimer);
    const i = slots.indexOf(slot);
    if (i >= 0) slots.splice(i, 1);
    void slot.worker.terminate();
  }

  function failJob(job: Job, error: PdfRenderError): void {
    clearTimeout(job.timer);
    stats.failed++;
    job.reject(error);
  }

  /** A worker that never got ready: if nothing else can serve, the waiting jobs fail now. */
  function startFailed(slot: Slot, error: PdfRenderError): void {
    if (slot.replaces) slot.replaces.retiring = false; // the old worker may try again later
    if (active().length === 0) {
      for (const job of queue.splice(0)) failJob(job, error);
    }
  }

  function spawn(replaces: Slot | null): Slot {
    const warmUpId = nextId++;
    let settle!: { resolve: () => void; reject: (e: Error) => void };
    const ready = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
    ready.catch(() => {}); // observed by warmUp() when someone waits for it
    const slot: Slot = {
      worker: createWorker({ maxOldGenerationSizeMb }),
      state: "warming",
      warmUpId,
      ready,
      job: null,
      jobs: 0,
      heapUsed: 0,
      retiring: false,
      replaces,
    };
    slots.push(slot);
    const { worker } = slot;

    slot.warmUpTimer = setTimeout(() => {
      const error = new PdfRenderError("unavailable", `PDF worker did not warm up within ${warmUpTimeoutMs} ms`);
      kill(slot);
      settle.reject(error);
      startFailed(slot, error);
      refresh();
    }, warmUpTimeoutMs);

    worker.on("message", (reply: WorkerReply) => {
      if (slot.state === "dead") return;
      if (slot.state === "warming" && reply.id === slot.warmUpId) {
        clearTimeout(slot.warmUpTimer);
        if (reply.type === "failed") {
          const error = new PdfRenderError("unavailable", `PDF worker warm-up failed: ${reply.message}`);
          kill(slot);
          settle.reject(error);
          startFailed(slot, error);
        } else {
          slot.state = "ready";
          slot.heapUsed = reply.heapUsed;
          const old = slot.replaces;
          slot.replaces = null;
          if (old && old.state !== "dead") {
            // The replacement is warm: the old worker takes no new job and stops when idle.
            old.state = "draining";
            if (!old.job) kill(old);
          }
          settle.resolve();
        }
        dispatch();
        return;
      }
      const job = slot.job;
      if (!job || reply.id !== job.id) return; // a reply for a job that already timed out
      clearTimeout(job.timer);
      slot.job = null;
      slot.jobs++;
      slot.heapUsed = reply.heapUsed;
      if (reply.type === "done") {
        stats.rendered++;
        job.resolve(reply.pdf);
      } else {
        const error = new Error(reply.message);
        if (reply.stack) error.stack = reply.stack;
        failJob(job, new PdfRenderError("failed", `PDF render failed: ${reply.message}`, { cause: error }));
      }
      if (slot.state === "draining") kill(slot);
      else if (!slot.retiring && !closed && (slot.jobs >= maxJobs || reply.heapUsed > maxHeap)) {
        slot.retiring = true;
        stats.recycled++;
        spawn(slot);
      }
      dispatch();
    });

    worker.on("error", (error) => {
      slot.lastError = error;
    });

    worker.on("exit", (code) => {
      if (slot.state === "dead") return; // terminated on purpose
      const wasWarming = slot.state === "warming";
      const reason = slot.lastError?.message ?? `exit code ${code}`;
      kill(slot);
      stats.crashed++;
      if (wasWarming) {
        const error = new PdfRenderError("unavailable", `PDF worker failed to start: ${reason}`, {
          cause: slot.lastError,
        });
        settle.reject(error);
        startFailed(slot, error);
      } else {
        if (slot.job) {
          failJob(slot.job, new PdfRenderError("crashed", `PDF worker crashed: ${reason}`, { cause: slot.lastError }));
          slot.job = null;
        }
        replaceLost();
      }
      dispatch();
    });

    worker.postMessage({ type: "warmup", id: warmUpId, mode: warmUpMode } satisfies WorkerRequest);
    return slot;
  }

  /** After a crash or a timeout: warm a replacement now rather than on the next request. */
  function replaceLost(): void {
    if (!closed && active().length < size) spawn(null);
  }

  function dispatch(): void {
    while (queue.length > 0) {
      const slot = slots.find((s) => s.state === "ready" && !s.job);
      if (!slot) break;
      const job = queue.shift()!;
      slot.job = job;
      job.timer = setTimeout(() => {
        if (slot.job !== job) return;
        stats.timedOut++;
        slot.job = null;
        kill(slot); // the render is synchronous inside the worker: stopping the thread is the only cancel
        failJob(job, new PdfRenderError("timeout", `PDF render took longer than ${jobTimeoutMs} ms`));
        replaceLost();
        dispatch();
      }, jobTimeoutMs);
      try {
        slot.worker.postMessage({ type: "render", id: job.id, doc: job.doc } satisfies WorkerRequest);
      } catch (error) {
        // Data that cannot be cloned (a Date, a function…): that job fails, the worker is fine.
        slot.job = null;
        failJob(job, new PdfRenderError("failed", "invoice data cannot be sent to the PDF worker", { cause: error }));
      }
    }
    // Keep the pool at its size while there is work; idle pools start lazily.
    if (!closed && queue.length > 0) {
      for (let n = active().length; n < size; n++) spawn(null);
    }
    refresh();
  }

  /** Only a worker with work in flight keeps the process alive (scripts and tests can exit). */
  function refresh(): void {
    for (const slot of slots) {
      if (slot.job || slot.state === "warming") slot.worker.ref();
      else slot.worker.unref();
    }
  }

  function enqueue(doc: PdfDocumentRequest): Promise<Uint8Array> {
    if (closed) return Promise.reject(new PdfRenderError("closed", "the PDF pool is closed"));
    if (queue.length >= maxQueue) {
      return Promise.reject(new PdfRenderError("overloaded", `more than ${maxQueue} PDFs are waiting`));
    }
    return new Promise<Uint8Array>((resolve, reject) => {
      queue.push({ id: nextId++, doc, resolve, reject });
      dispatch();
    });
  }

  return {
    render(data) {
      return enqueue({ kind: "invoice", data });
    },
    renderReceipt(data) {
      return enqueue({ kind: "receipt", data });
    },

    async warmUp() {
      if (closed) throw new PdfRenderError("closed", "the PDF pool is closed");
      for (let n = active().length; n < size; n++) spawn(null);
      refresh();
      const results = await Promise.allSettled(active().map((s) => s.ready));
      const failure = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
      if (failure && !slots.some((s) => s.state === "ready")) throw failure.reason;
    },

    async close() {
      if (closed) return;
      closed = true;
      for (const job of queue.splice(0)) failJob(job, new PdfRenderError("closed", "the PDF pool is closed"));
      // Let renders in flight finish (each is bounded by its timeout), then stop every worker.
      while (slots.some((s) => s.job)) await new Promise((resolve) => setTimeout(resolve, 10));
      await Promise.all(
        slots.splice(0).map((s) => {
          s.state = "dead";
          clearTimeout(s.warmUpTimer);
          return s.worker.terminate();
        }),
      );
    },

    stats() {
      return {
        workers: slots.length,
        ready: slots.filter((s) => s.state === "ready" || s.state === "draining").length,
        busy: slots.filter((s) => s.job).length,
        queued: queue.length,
        ...stats,
        heapUsed: slots.filter((s) => s.state !== "dead").map((s) => s.heapUsed),
      };
    },
  };
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
