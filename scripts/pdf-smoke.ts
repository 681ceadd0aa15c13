/**
 * Measures the invoice PDF engine (lib/pdf): first renders after warm-up, the worker pool's
 * throughput and the main thread's responsiveness meanwhile, and worker memory over many renders.
 *
 *   NODE_ENV=production npx tsx scripts/pdf-smoke.ts            # everything (~3 min on 2 cores)
 *   NODE_ENV=production npx tsx scripts/pdf-smoke.ts --quick    # fewer renders
 *
 * Wall-clock figures depend on what else the machine runs: the load average is printed with them.
 */
import { writeFileSync } from "node:fs";
import os from "node:os";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { createPdfPool } from "@/lib/pdf/render";
import { renderInvoicePdfInProcess } from "@/lib/pdf/render-document";
import { sampleInvoicePdfData } from "@/lib/pdf/sample";

const quick = process.argv.includes("--quick");
const onePage = sampleInvoicePdfData({ lines: 8, language: "sv" });
const long = sampleInvoicePdfData({ lines: 300, language: "sv" });

const ms = (t: number) => `${t.toFixed(1)} ms`;
const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`;
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(" ");
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const p = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))] ?? NaN;

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const value = await fn();
  return [value, performance.now() - t];
}

async function main() {
  console.log(`NODE_ENV=${process.env.NODE_ENV ?? "(unset)"} · ${os.availableParallelism()} CPUs · load ${load()}`);
  if (process.env.NODE_ENV !== "production") console.log("warning: measure with NODE_ENV=production");

  // ── 1. The first renders a request would see: fresh pools, after warmUp() ───────────────
  // Repeated because a single first render is at the mercy of whatever else the machine runs.
  const rounds = quick ? 2 : 3;
  const firsts: Array<[number, number, number]> = [];
  for (let round = 1; round <= rounds; round++) {
    const fresh = createPdfPool({ size: 2 });
    const [, warm] = await timed(() => fresh.warmUp());
    await new Promise((resolve) => setTimeout(resolve, 200));
    const [pdf1, first1] = await timed(() => fresh.render(onePage));
    const [pdf300, first300] = await timed(() => fresh.render(long));
    if (round === 1) {
      writeFileSync("/tmp/cumulus-pdf-smoke-1.pdf", pdf1);
      writeFileSync("/tmp/cumulus-pdf-smoke-300.pdf", pdf300);
    }
    firsts.push([warm, first1, first300]);
    console.log(
      `fresh pool ${round}: warm-up of 2 workers ${ms(warm)}; first one-page ${ms(first1)} (${pdf1.length} B); ` +
        `first 300 lines ${ms(first300)} (${pdf300.length} B) · load ${load()}`,
    );
    await fresh.close();
  }
  const best = (i: 1 | 2) => ms(Math.min(...firsts.map((f) => f[i])));
  console.log(`best of ${rounds}: first one-page ${best(1)}, first 300 lines ${best(2)}`);

  const pool = createPdfPool({ size: 2 });
  await pool.warmUp();
  const steady1: number[] = [];
  const steady300: number[] = [];
  for (let i = 0; i < 30; i++) steady1.push((await timed(() => pool.render(onePage)))[1]);
  for (let i = 0; i < (quick ? 5 : 12); i++) steady300.push((await timed(() => pool.render(long)))[1]);
  const summary = (xs: number[]) => `min ${ms(Math.min(...xs))} median ${ms(median(xs))} p90 ${ms(p(xs, 0.9))}`;
  console.log(`\nwarm pool, one render at a time: one-page ${summary(steady1)}; 300 lines ${summary(steady300)} · load ${load()}`);

  // ── 2. Throughput on both workers, and the main thread's event loop meanwhile ───────────
  const total = quick ? 200 : 600;
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  let next = 0;
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next++ < total) latencies.push((await timed(() => pool.render(onePage)))[1]);
    }),
  );
  const elapsed = performance.now() - started;
  delay.disable();
  console.log(
    `\nthroughput, ${total} one-page invoices, 8 in flight: ${((total / elapsed) * 1000).toFixed(0)} PDFs/s; ` +
      `latency p50 ${ms(p(latencies, 0.5))} p99 ${ms(p(latencies, 0.99))}; ` +
      `main thread event-loop delay p99 ${ms(delay.percentile(99) / 1e6)} (max ${ms(delay.max / 1e6)}) · load ${load()}`,
  );
  await pool.close();

  // For comparison: the same renders on this (main) thread, which blocks it meanwhile.
  for (let i = 0; i < 5; i++) await renderInvoicePdfInProcess(onePage);
  const mainCount = quick ? 50 : 150;
  const [, mainElapsed] = await timed(async () => {
    for (let i = 0; i < mainCount; i++) await renderInvoicePdfInProcess(onePage);
  });
  console.log(`main thread, sequential: ${((mainCount / mainElapsed) * 1000).toFixed(0)} PDFs/s`);

  // ── 3. Memory: one worker, no recycling, 2,000 renders ─────────────────────────────────
  const renders = quick ? 500 : 2000;
  const memPool = createPdfPool({ size: 1, maxJobsPerWorker: Number.MAX_SAFE_INTEGER, maxHeapBytes: Number.MAX_SAFE_INTEGER });
  await memPool.warmUp();
  console.log(`\nworker heap over ${renders} one-page renders (min / max of the heap after each render, per window):`);
  const window = renders / 8;
  let low = Infinity;
  let high = 0;
  for (let i = 1; i <= renders; i++) {
    await memPool.render(i % 50 === 0 ? long : onePage);
    const heap = memPool.stats().heapUsed[0] ?? 0;
    low = Math.min(low, heap);
    high = Math.max(high, heap);
    if (i % window === 0) {
      console.log(`  renders ${String(i).padStart(4)}: ${mb(low)} – ${mb(high)} · process RSS ${mb(process.memoryUsage().rss)}`);
      low = Infinity;
      high = 0;
    }
  }
  await memPool.close();
  console.log(`\nPDFs written to /tmp/cumulus-pdf-smoke-1.pdf and /tmp/cumulus-pdf-smoke-300.pdf · load ${load()}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
