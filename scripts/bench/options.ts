/**
 * The bench's command line (scripts/bench/index.ts's header lists the flags), the sizes each
 * step uses, its log and its cleanups: what every step of one run shares.
 */
import path from "node:path";
import { parseArgs } from "node:util";

export const MB = 1024 * 1024;
export const root = path.resolve(import.meta.dirname, "..", "..");

export const { values: args } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    reseed: { type: "boolean", default: false },
    "seed-only": { type: "boolean", default: false },
    duration: { type: "string" },
    connections: { type: "string", default: "10" },
    downloads: { type: "string" },
    "month-accounts": { type: "string" },
    out: { type: "string", default: "bench-results" },
    "jit-off": { type: "boolean", default: false },
    only: { type: "string" },
    help: { type: "boolean", default: false },
  },
});

function positive(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, not ${value}`);
  return n;
}

export const quick = args.quick;
export const PHASES = ["pages", "pay", "billing", "autopay", "list", "month", "billing-100k"] as const;
export type Phase = (typeof PHASES)[number];
/**
 * What a run without --only measures: every part but the ones that take too long for it ("list"
 * is steps 1–2 of "pages", alone).
 */
const DEFAULT_PHASES: readonly Phase[] = PHASES.filter((p) => p !== "month" && p !== "billing-100k");
export const phases = new Set<Phase>(
  args.only
    ? args.only.split(",").map((p) => {
        if (!(PHASES as readonly string[]).includes(p)) throw new Error(`--only: unknown part "${p}" (parts: ${PHASES.join(", ")})`);
        return p as Phase;
      })
    : DEFAULT_PHASES,
);
if (phases.has("pages")) phases.add("list");
export const cfg = {
  quick,
  jitOff: args["jit-off"],
  totalInvoices: quick ? 100_000 : 1_000_000,
  bigAccountInvoices: 5_000,
  invoicesPerAccount: 24,
  linesPerInvoice: 3,
  seconds: positive("duration", args.duration ?? (quick ? "3" : "10")),
  warmSeconds: quick ? 1 : 3,
  connections: Math.round(positive("connections", args.connections)),
  pageSamples: quick ? 30 : 100,
  sequentialBudgetSeconds: quick ? 20 : 60,
  storedSamples: quick ? 50 : 200,
  firstRenders: quick ? 3 : 5,
  longRenders: quick ? 2 : 3,
  zipInvoices: 100,
  downloads: Math.round(positive("downloads", args.downloads ?? (quick ? "1000" : "5000"))),
  downloadClients: 4,
  renderClients: 4,
  // Enough for the longest warm-up and the measured load at ~300 payments/s, never repeated.
  payInvoices: quick ? 4_000 : 12_000,
  payWarmStepSeconds: quick ? 1 : 2,
  payMaxWarmSeconds: quick ? 6 : 20,
  monthAccounts: Math.round(positive("month-accounts", args["month-accounts"] ?? (quick ? "1000" : "10000"))),
};
export const databaseUrl =
  process.env.BENCH_DATABASE_URL ??
  `postgres://postgres@127.0.0.1:5432/${quick ? "cumulus_bench_quick" : "cumulus_bench"}`;

export const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s`;
export const log = (line: string) => console.log(`[${elapsed()}] ${line}`);
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const fmtMs = (v: number) => `${v.toFixed(1)} ms`;
export const fmtMb = (b: number) => `${(b / MB).toFixed(0)} MB`;

/** Run in reverse order at the end, on a failure and on SIGINT/SIGTERM: the server, the database. */
export const cleanups: (() => Promise<void>)[] = [];
export async function cleanup() {
  for (const fn of cleanups.splice(0).reverse()) await fn().catch((e: unknown) => console.error("cleanup:", e));
}
