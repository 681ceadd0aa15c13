/**
 * The pool of PDF worker threads: a queue, one job per worker at a time, a time limit per job.
 * A worker that crashes or overruns its job's limit is replaced (only that job fails); one is
 * recycled after many jobs or when its heap passes a threshold. A replacement first renders a
 * warm-up document, and the old worker keeps serving until then, so recycling never puts a cold
 * worker in front of a request.
 */
import type { Worker } from "node:worker_threads";
import type { InvoicePdfData, ReceiptPdfData } from "@/lib/invoices/types";
import type { PdfDocumentRequest, WorkerReply, WorkerRequest } from "./worker-protocol";

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
  /** Any document kind the worker knows (worker-protocol.ts). */
  renderDocument(doc: PdfDocumentRequest): Promise<Uint8Array>;
  /** Starts every worker and waits for their warm-up renders. */
  warmUp(): Promise<void>;
  /** Refuses new work, lets running renders finish, then stops the workers. */
  close(): Promise<void>;
  stats(): PdfPoolStats;
};

export type PoolSettings = {
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

/** Settles a new worker's `ready` promise. */
type Settle = { resolve: () => void; reject: (e: Error) => void };

export class WorkerPool implements PdfPool {
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

  renderDocument(doc: PdfDocumentRequest): Promise<Uint8Array> {
    return this.enqueue(doc);
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
