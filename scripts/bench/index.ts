/**
 * `npm run bench`: the performance figures of the invoice pages, against PostgreSQL holding
 * 1,000,000 invoices (one account with 5,000) and a production server (`next start`), with a
 * static file measured in the same run as the ceiling. It measures; it never fails because a
 * target is missed (exit 0), only when the benchmark itself cannot run (exit 1).
 *
 *   npm run bench                      full run (~5 min on 2 cores once the database is seeded)
 *   npm run bench -- --quick           100k invoices, 3 s loads, 1,000 downloads: a fast check
 *   npm run bench -- --reseed          empty the bench database and seed it again
 *   npm run bench -- --seed-only       prepare (create, migrate, seed) the database, then stop
 *   npm run bench -- --duration 20     seconds per load (default 10, --quick 3)
 *   npm run bench -- --connections 10  concurrent clients of the loads (default 10)
 *   npm run bench -- --downloads 5000  PDF downloads of the memory check (default 5000, --quick 1000)
 *   npm run bench -- --out DIR         where the JSON goes (default bench-results/)
 *   npm run bench -- --only pay        only some parts: pages (1–7 below), pay (8), billing (9), autopay (10),
 *                                      month (11), billing-100k (12), list (1–2, the
 *                                      list's part of pages); comma-separated. 11 and 12 are not
 *                                      in the default run: they take many minutes on 2 shared cores
 *   npm run bench -- --only month --month-accounts 2000   accounts billed and emailed by step 11
 *                                      (default 10,000, --quick 1,000)
 *   npm run bench -- --jit-off         the server's connections with PostgreSQL's JIT off (`?jit=off`
 *                                      on its DATABASE_URL, a startup parameter for postgres.js):
 *                                      to compare with the default, where JIT may compile big queries
 *
 * Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/cumulus_bench,
 * with --quick …/cumulus_bench_quick). The database is created when missing, migrated, and
 * seeded with scripts/seed's seedScale (41,459 accounts × 24 invoices × 3 lines + "Big Customer
 * 1 AB" with 5,000; ~2 min here) plus one 300-line invoice; a database that already holds enough
 * is reused. A database whose name lacks "bench" is never emptied without --reseed.
 *
 * What runs, in order (results: table on the terminal, bench-results/latest.json + a dated copy):
 *  1. static /icon.svg, then the invoice list (/invoices), each under `--connections` clients
 *     for `--duration` s after a short warm-up; ratios are to the static route of this run.
 *     1b. (scripts/bench/list-vs-users.ts) /users, then the list's first page, its 100th page and
 *     the Overdue filter, then /users again, each after a warm-up: each list's req/s over the
 *     mean of the two /users loads (goal ≥ 0.75×). 1c. the first page's size: the document
 *     (HTML with the inline RSC payload; goal ≤ 45 KB) and a client navigation's RSC payload,
 *     uncompressed and gzipped.
 *     Then the Dashboard (/) of the big account the same way (it holds 24 months × 300 usage
 *     lines): its p50 against the list's of this run.
 *  2. page 1 vs page 100 of the list (keyset cursor of the 2,475th row), sequential, interleaved.
 *  3. a stored PDF: 200 sequential requests (p50/p95), a conditional request (304), then a load.
 *  4. first renders (stored bytes deleted first): one-page invoices and the 300-line invoice.
 *  5. PDFs never rendered before, 4 clients, alone (the full-speed reference); then the list
 *     load again while those 4 clients go on requesting new PDFs.
 *  6. a ZIP of 100 never-rendered invoices: time to the last byte, server RSS sampled every 25 ms.
 *  7. memory: the big account's PDFs downloaded (rendered) with 4 clients; RSS after the first
 *     100 and after all of them, each once the server idled (median over 3–5 s of rest), and
 *     every tenth of the run (a leak keeps climbing; garbage collection makes RSS swing).
 *  8. the pay action (scripts/bench/pay.ts): "Pay Bench AB" (made once, 12,000 outstanding
 *     invoices; its payments deleted at every run) pays one new invoice per request under
 *     `--connections` clients (p95 from every response), after a warm-up that lasts until the
 *     rate settles (2 s steps, 20 s at most: the action's code paths compile longer than the
 *     pages'); then 100 requests at once for one invoice and the provider's signed callback: one
 *     checkout, no 5xx, one settled payment.
 *  9. the billing run at scale (scripts/bench/billing.ts, also `npm run bench:billing`), after the
 *     server stopped: 10,000 accounts × 30 usage lines billed by one `billing:run` process (its
 *     RSS sampled), then two processes at once on a fresh copy: each invoice exactly once.
 * 10. the automatic payment run at scale (scripts/bench/autopay.ts): 10,000 invoices due, with
 *     automatic payment on and a saved sandbox card, charged by one `payments:autopay` process
 *     (its RSS sampled); each invoice paid by one charge, and a second run charges none.
 * 11. the first of the month (scripts/bench/month.ts; needs the server of steps 1–8 for the list):
 *     10,000 accounts × 30 usage lines billed by one `billing:run` (cumulus_bench_month), then every
 *     invoice email sent with its PDF by `npm run worker -- --once` to a counting SMTP server in
 *     this process: one worker process, then two on a copy billed the same. Invoices issued/s,
 *     PDFs/s, emails accepted/s, time to the last one, CPU s per invoice (billing:run + workers,
 *     /proc/<pid>/stat), two/one ratio, and the list's p99 during each send vs alone just before.
 * 12. ten times the billing (scripts/bench/billing-100k.ts): 10,000 then 100,000 accounts × 30
 *     lines, one `billing:run` each; time ratio (linear: ≤ 10×), RSS peak and at 10 % / 90 % done.
 * Latest figures of 11 and 12, 2026-12-07, the machine shared with other builds and tests (load
 * 14–42; docs/performance.md has the table): `--only billing-100k`: 192 s vs 3,920 s = 20.4× (the
 * load doubled between the two; the rate followed the load, not the progress), RSS 218 → 216 MB
 * from 10 % to 90 %; `--quick --only month --month-accounts 200 --duration 10`: 200 emails in
 * 229 s with one worker, 0.21 CPU s per invoice.
 * The server's memory is VmRSS of the process holding the listening socket (render workers are
 * threads of it). The signed-in user is the big account's (password cumulus-demo-2026).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { billing100kPhase } from "./billing-100k";
import { benchZip, benchMemory } from "./memory";
import { benchListSize, benchListVsUsers } from "./list-vs-users";
import { benchMonth } from "./month";
import { args, cleanup, databaseUrl, log, phases, quick, root, type Phase } from "./options";
import { benchDashboard, benchFirstRenders, benchListDuringRenders, benchPageDepth, benchStaticAndList, benchStoredPdf } from "./pages";
import { autopayPhase, benchPay, billingPhase } from "./pay-billing-steps";
import { checksTable, machine, writeResults } from "./report";
import { cpuPressure, prepareData, startRun, type BenchRun } from "./run";
import { report } from "./summary";

type Step = { phase: Phase; run: (run: BenchRun) => Promise<void> };

/** Steps 1–8 above, in order, against one server; step 9 runs after it stopped. */
const STEPS: Step[] = [
  { phase: "list", run: benchStaticAndList },
  { phase: "list", run: benchDashboard },
  { phase: "list", run: benchListVsUsers },
  { phase: "list", run: benchListSize },
  { phase: "list", run: benchPageDepth },
  { phase: "pages", run: benchStoredPdf },
  { phase: "pages", run: benchFirstRenders },
  { phase: "pages", run: benchListDuringRenders },
  { phase: "pages", run: benchZip },
  { phase: "pages", run: benchMemory },
  { phase: "pay", run: benchPay },
  { phase: "month", run: benchMonth },
];

let interrupted = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    console.error(`\n${signal}: stopping the server…`);
    void cleanup().finally(() => process.exit(130));
  });
}

async function main() {
  if (args.help) {
    console.log(readFileSync(new URL(import.meta.url), "utf8").split("*/")[0]);
    return;
  }
  const m = machine();
  const startPressure = cpuPressure();
  log(`Cumulus bench${quick ? " (--quick)" : ""}: ${m.nproc} CPUs (${m.cpu}), Node ${m.node}, load ${m.loadAverage.join(" ")}, CPU pressure ${cpuPressure() ?? "?"} %`);
  if (!phases.has("list") && !phases.has("pay") && !phases.has("month")) return withoutServer(m);
  const data = await prepareData();
  if (args["seed-only"]) return cleanup();
  const run = await startRun(data);
  for (const step of STEPS) {
    if (phases.has(step.phase)) await step.run(run);
  }
  await cleanup();
  if (phases.has("billing")) run.checks.push(...(await billingPhase(run.details)));
  if (phases.has("autopay")) run.checks.push(...(await autopayPhase(run.details)));
  if (phases.has("billing-100k")) run.checks.push(...(await billing100kPhase(adminUrl(), run.details, log)));
  report(m, startPressure, run);
}

/** The server's `postgres` database, next to the bench database: where the steps that make databases of their own connect. */
function adminUrl(): string {
  const u = new URL(databaseUrl);
  u.pathname = "/postgres";
  return u.toString();
}

/** `--only billing,autopay,billing-100k`: no bench database and no server, only steps 9, 10 and 12. */
async function withoutServer(m: ReturnType<typeof machine>): Promise<void> {
  const details: Record<string, unknown> = {};
  const checks = [
    ...(phases.has("billing") ? await billingPhase(details) : []),
    ...(phases.has("autopay") ? await autopayPhase(details) : []),
    ...(phases.has("billing-100k") ? await billing100kPhase(adminUrl(), details, log) : []),
  ];
  console.log(`\n${checksTable(checks)}`);
  const files = writeResults(path.resolve(root, args.out), { date: new Date().toISOString(), machine: m, options: { only: [...phases] }, checks });
  console.log(`results: ${files.map((f) => path.relative(root, f)).join(", ")}`);
}

main()
  .then(() => process.exit(0))
  .catch(async (err: unknown) => {
    console.error(`\nThe benchmark failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    await cleanup();
    process.exit(1);
  });
