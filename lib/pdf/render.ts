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
import { env } from "@/lib/env";
import type { InvoicePdfData, ReceiptPdfData } from "@/lib/invoices/types";
import type { PdfDocumentRequest, RenderWorkerSettings, WorkerReply, WorkerRequest } from "./worker-protocol";

/** Part of the stored PDFs' cache key (invoice_pdfs.template_version): bump on layout changes. */
export const TEMPLATE_VERSION = 3;

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

/** True under tsx or vitest: this module is the .ts file itself, not a Turbopack chunk. */
function runningFromSource(): boolean {
  // Not an operator's setting but a constant Next.js writes into its bundles (and its `next`
  // command sets), so it stays a literal read rather than going through lib/env.ts.
  if (process.env.NEXT_RUNTIME) return false;
  return /\.[cm]?tsx?$/.test(new URL(import.meta.url).pathname);
}

function defaultCreateWorker({ maxOldGenerationSizeMb }: { maxOldGenerationSizeMb: number }): Worker {
  const resourceLimits = { maxOldGenerationSizeMb };
  const workerData: RenderWorkerSettings = { nice: env().CUMULUS_PDF_NICE };
  if (runningFromSource()) {
    // String surgery rather than new URL()/path.join(), which Turbopack would trace as an asset.
    const entry = import.meta.url.replace(/[^/]*$/, WORKER_SOURCE);
    const bootstrap = `import("tsx/esm/api").then((api) => { api.register(); return import(${JSON.stringify(entry)}); });`;
    return new Worker(bootstrap, { eval: true, resourceLimits, workerData });
  }
  return new Worker(new URL("./render-worker.ts", import.meta.url), { resourceLimits, workerData });
}

type PoolSettings = {
  size: number;
  maxJobs: number;
  maxHeapBytes: number;
  jobTimeoutMs: number;
  warmUpTimeoutMs: number;
  maxQueue: number;
  maxOldGenerationSizeMb: number;
  createWorker: (options: { maxOldGenerationSizeMb: number }) => Worker;
  warmUpMode: "full" | "quick";
};

/** The options given, else the environment's (lib/env.ts), else the defaults of PdfPoolOptions. */
function poolSettings(options: PdfPoolOptions): PoolSettings {
  const e = env();
  return {
    size: Math.max(1, options.size ?? e.CUMULUS_PDF_WORKERS ?? Math.min(4, os.availableParallelism?.() ?? os.cpus().length)),
    maxJobs: options.maxJobsPerWorker ?? e.CUMULUS_PDF_RECYCLE_AFTER_JOBS ?? 5000,
    maxHeapBytes: options.maxHeapBytes ?? (e.CUMULUS_PDF_RECYCLE_HEAP_MB ?? 256) * 1024 * 1024,
    jobTimeoutMs: options.jobTimeoutMs ?? e.CUMULUS_PDF_TIMEOUT_MS ?? 20_000,
    warmUpTimeoutMs: options.warmUpTimeoutMs ?? 60_000,
    maxQueue: options.maxQueue ?? 1000,
    maxOldGenerationSizeMb: options.maxOldGenerationSizeMb ?? 512,
    createWorker: options.createWorker ?? defaultCreateWorker,
    warmUpMode: options.warmUp ?? (e.NODE_ENV === "production" ? "full" : "quick"),
  };
}

export function createPdfPool(options: PdfPoolOptions = {}): PdfPool {
  return new WorkerPool(poolSettings(options));
}

/** Settles a new worker's `ready` promise. */
type Settle = { resolve: () => void; reject: (e: Error) => void };

class WorkerPool implements PdfPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private readonly counts = { rendered: 0, failed: 0, recycled: 0, crashed: 0, timedOut: 0 };
  private nextId = 1;
  private closed = false;

  constructor(private readonly settings: PoolSettings) {}

  render(data: InvoicePdfData): Promise<Uint8Array> {
    return this.enqueue({ kind: "invoice", data });
  }

  renderReceipt(data: ReceiptPdfData): Promise<Uint8Array> {
    return this.enqueue({ kind: "receipt", data });
  }

  async warmUp(): Promise<void> {
    if (this.closed) throw new PdfRenderError("closed", "the PDF pool is closed");
    this.fillToSize();
    this.refresh();
    const results = await Promise.allSettled(this.active().map((slot) => slot.ready));
    const failure = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failure && !this.slots.some((slot) => slot.state === "ready")) throw failure.reason;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const job of this.queue.splice(0)) this.failJob(job, new PdfRenderError("closed", "the PDF pool is closed"));
    // Let renders in flight finish (each is bounded by its timeout), then stop every worker.
    while (this.slots.some((slot) => slot.job)) await new Promise((resolve) => setTimeout(resolve, 10));
    await Promise.all(
      this.slots.splice(0).map((slot) => {
        slot.state = "dead";
        clearTimeout(slot.warmUpTimer);
        return slot.worker.terminate();
      }),
    );
  }

  stats(): PdfPoolStats {
    return {
      workers: this.slots.length,
      ready: this.slots.filter((slot) => slot.state === "ready" || slot.state === "draining").length,
      busy: this.slots.filter((slot) => slot.job).length,
      queued: this.queue.length,
      ...this.counts,
      heapUsed: this.slots.filter((slot) => slot.state !== "dead").map((slot) => slot.heapUsed),
    };
  }

  private enqueue(doc: PdfDocumentRequest): Promise<Uint8Array> {
    if (this.closed) return Promise.reject(new PdfRenderError("closed", "the PDF pool is closed"));
    if (this.queue.length >= this.settings.maxQueue) {
      return Promise.reject(new PdfRenderError("overloaded", `more than ${this.settings.maxQueue} PDFs are waiting`));
    }
    return new Promise<Uint8Array>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, doc, resolve, reject });
      this.dispatch();
    });
  }

  /** Workers that count towards the pool size (a draining one is already replaced). */
  private active(): Slot[] {
    return this.slots.filter((slot) => slot.state === "warming" || slot.state === "ready");
  }

  private fillToSize(): void {
    for (let n = this.active().length; n < this.settings.size; n++) this.spawn(null);
  }

  private kill(slot: Slot): void {
    if (slot.state === "dead") return;
    slot.state = "dead";
    clearTimeout(slot.warmUpTimer);
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
    void slot.worker.terminate();
  }

  private failJob(job: Job, error: PdfRenderError): void {
    clearTimeout(job.timer);
    this.counts.failed++;
    job.reject(error);
  }

  /** A worker that never got ready: if nothing else can serve, the waiting jobs fail now. */
  private startFailed(slot: Slot, settle: Settle, error: PdfRenderError): void {
    this.kill(slot);
    settle.reject(error);
    if (slot.replaces) slot.replaces.retiring = false; // the old worker may try again later
    if (this.active().length === 0) {
      for (const job of this.queue.splice(0)) this.failJob(job, error);
    }
  }

  /** A new worker, warming up; once warm it takes jobs, and replaces `replaces` if given. */
  private spawn(replaces: Slot | null): Slot {
    const { createWorker, maxOldGenerationSizeMb, warmUpTimeoutMs, warmUpMode } = this.settings;
    const warmUpId = this.nextId++;
    let settle!: Settle;
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
    this.slots.push(slot);
    slot.warmUpTimer = setTimeout(() => {
      this.startFailed(slot, settle, new PdfRenderError("unavailable", `PDF worker did not warm up within ${warmUpTimeoutMs} ms`));
      this.refresh();
    }, warmUpTimeoutMs);
    slot.worker.on("message", (reply: WorkerReply) => {
      if (slot.state === "dead") return;
      if (slot.state === "warming" && reply.id === slot.warmUpId) this.onWarmUpReply(slot, settle, reply);
      else this.onJobReply(slot, reply);
    });
    slot.worker.on("error", (error) => {
      slot.lastError = error;
    });
    slot.worker.on("exit", (code) => this.onExit(slot, settle, code));
    slot.worker.postMessage({ type: "warmup", id: warmUpId, mode: warmUpMode } satisfies WorkerRequest);
    return slot;
  }

  private onWarmUpReply(slot: Slot, settle: Settle, reply: WorkerReply): void {
    clearTimeout(slot.warmUpTimer);
    if (reply.type === "failed") {
      this.startFailed(slot, settle, new PdfRenderError("unavailable", `PDF worker warm-up failed: ${reply.message}`));
    } else {
      slot.state = "ready";
      slot.heapUsed = reply.heapUsed;
      const old = slot.replaces;
      slot.replaces = null;
      if (old && old.state !== "dead") {
        // The replacement is warm: the old worker takes no new job and stops when idle.
        old.state = "draining";
        if (!old.job) this.kill(old);
      }
      settle.resolve();
    }
    this.dispatch();
  }

  private onJobReply(slot: Slot, reply: WorkerReply): void {
    const job = slot.job;
    if (!job || reply.id !== job.id) return; // a reply for a job that already timed out
    clearTimeout(job.timer);
    slot.job = null;
    slot.jobs++;
    slot.heapUsed = reply.heapUsed;
    if (reply.type === "done") {
      this.counts.rendered++;
      job.resolve(reply.pdf);
    } else {
      const error = new Error(reply.message);
      if (reply.stack) error.stack = reply.stack;
      this.failJob(job, new PdfRenderError("failed", `PDF render failed: ${reply.message}`, { cause: error }));
    }
    if (slot.state === "draining") this.kill(slot);
    else if (!slot.retiring && !this.closed && (slot.jobs >= this.settings.maxJobs || reply.heapUsed > this.settings.maxHeapBytes)) {
      slot.retiring = true;
      this.counts.recycled++;
      this.spawn(slot);
    }
    this.dispatch();
  }

  private onExit(slot: Slot, settle: Settle, code: number): void {
    if (slot.state === "dead") return; // terminated on purpose
    const wasWarming = slot.state === "warming";
    const reason = slot.lastError?.message ?? `exit code ${code}`;
    this.counts.crashed++;
    if (wasWarming) {
      this.startFailed(slot, settle, new PdfRenderError("unavailable", `PDF worker failed to start: ${reason}`, { cause: slot.lastError }));
    } else {
      this.kill(slot);
      if (slot.job) {
        this.failJob(slot.job, new PdfRenderError("crashed", `PDF worker crashed: ${reason}`, { cause: slot.lastError }));
        slot.job = null;
      }
      this.replaceLost();
    }
    this.dispatch();
  }

  /** After a crash or a timeout: warm a replacement now rather than on the next request. */
  private replaceLost(): void {
    if (!this.closed && this.active().length < this.settings.size) this.spawn(null);
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const slot = this.slots.find((candidate) => candidate.state === "ready" && !candidate.job);
      if (!slot) break;
      this.startJob(slot, this.queue.shift()!);
    }
    // Keep the pool at its size while there is work; idle pools start lazily.
    if (!this.closed && this.queue.length > 0) this.fillToSize();
    this.refresh();
  }

  private startJob(slot: Slot, job: Job): void {
    const { jobTimeoutMs } = this.settings;
    slot.job = job;
    job.timer = setTimeout(() => {
      if (slot.job !== job) return;
      this.counts.timedOut++;
      slot.job = null;
      this.kill(slot); // the render is synchronous inside the worker: stopping the thread is the only cancel
      this.failJob(job, new PdfRenderError("timeout", `PDF render took longer than ${jobTimeoutMs} ms`));
      this.replaceLost();
      this.dispatch();
    }, jobTimeoutMs);
    try {
      slot.worker.postMessage({ type: "render", id: job.id, doc: job.doc } satisfies WorkerRequest);
    } catch (error) {
      // Data that cannot be cloned (a Date, a function…): that job fails, the worker is fine.
      slot.job = null;
      this.failJob(job, new PdfRenderError("failed", "invoice data cannot be sent to the PDF worker", { cause: error }));
    }
  }

  /** Only a worker with work in flight keeps the process alive (scripts and tests can exit). */
  private refresh(): void {
    for (const slot of this.slots) {
      if (slot.job || slot.state === "warming") slot.worker.ref();
      else slot.worker.unref();
    }
  }
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
