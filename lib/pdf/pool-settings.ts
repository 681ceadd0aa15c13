/**
 * The pool's settings, and how a worker thread is started.
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
import { env } from "@/lib/env";
import type { PoolSettings } from "./worker-pool";
import type { RenderWorkerSettings } from "./worker-protocol";

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
  /** Tests: how to start a worker. Default: see the top of this file. */
  createWorker?: (options: { maxOldGenerationSizeMb: number }) => Worker;
};

const WORKER_SOURCE = "render-worker.ts";

/** True under tsx or vitest: this module is the .ts file itself, not a Turbopack chunk. */
function runningFromSource(): boolean {
  // Not an operator's setting but a constant Next.js writes into its bundles (and its `next`
  // command sets), so it stays a literal read rather than going through lib/env.ts.
  if (process.env.NEXT_RUNTIME) return false;
  return /\.[cm]?tsx?$/.test(new URL(import.meta.url).pathname);
}

/**
 * The environment of a render thread started from source: the process's, with React's
 * production build. `npm run worker` and the other scripts run without NODE_ENV, and React's
 * development build costs about half as much CPU again per PDF for the same bytes
 * (docs/performance.md); the built server's threads get the production build from the bundle.
 */
export function sourceWorkerEnv(parent: Record<string, string | undefined> = process.env): Record<string, string | undefined> {
  return { ...parent, NODE_ENV: "production" };
}

function defaultCreateWorker({ maxOldGenerationSizeMb }: { maxOldGenerationSizeMb: number }): Worker {
  const resourceLimits = { maxOldGenerationSizeMb };
  const workerData: RenderWorkerSettings = { nice: env().CUMULUS_PDF_NICE };
  if (runningFromSource()) {
    // String surgery rather than new URL()/path.join(), which Turbopack would trace as an asset.
    const entry = import.meta.url.replace(/[^/]*$/, WORKER_SOURCE);
    const bootstrap = `import("tsx/esm/api").then((api) => { api.register(); return import(${JSON.stringify(entry)}); });`;
    return new Worker(bootstrap, { eval: true, resourceLimits, workerData, env: sourceWorkerEnv() });
  }
  return new Worker(new URL("./render-worker.ts", import.meta.url), { resourceLimits, workerData });
}

/** The options given, else the environment's (lib/env.ts), else the defaults of PdfPoolOptions. */
export function poolSettings(options: PdfPoolOptions): PoolSettings {
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
