/**
 * `npm run test:faults`: the fault tests of issue 7 against a production build (`next start`)
 * and PostgreSQL, each printing its numbers and PASS/FAIL per check; exit 1 when a check fails.
 *
 *   npm run test:faults                        all scenarios (~3 min on 2 cores, plus a build when stale)
 *   npm run test:faults -- --only kill,outage  some of them: kill, outage, audit, servers
 *   npm run test:faults -- --accounts 100      accounts of the kill test (2 invoices owed each)
 *   npm run test:faults -- --clients 16        people paying at the same time
 *   npm run test:faults -- --kills 2           kill -9 of the server during the payments
 *   npm run test:faults -- --outage 10         seconds the database is away
 *   npm run test:faults -- --payers 16         people paying one invoice at once through two servers
 *   npm run test:faults -- --messages 300      emails queued while two servers send
 *   npm run test:faults -- --keep              keep the scenario databases for inspection
 *
 * PostgreSQL: a private server is created with the PostgreSQL binaries (initdb and pg_ctl from
 * /usr/lib/postgresql/N/bin, or PG_BIN) in a temporary folder on a free port, because the outage
 * test stops it; it is deleted at the end. Without the binaries, the kill test runs on a fresh
 * database of DATABASE_URL's server (as the owner) and the others are skipped; with neither,
 * everything is skipped (exit 0, saying so). The embedded database (PGlite) cannot serve two
 * processes, so "servers" needs PostgreSQL too.
 *
 * Scenarios (tests/faults/):
 *  kill    kill -9 of the server while card payments are in flight, restart, reconcile:
 *          every acknowledged payment is there, nothing is charged twice.
 *  outage  the database stops for --outage seconds under load: 503 with Retry-After, nothing
 *          half-written, the same server recovers by itself.
 *  audit   the application's role (npm run db:roles) may only append to audit_events.
 *  servers two servers on one database: sessions and logouts hold across them, concurrent pays
 *          of one invoice through both give one payment, the outbox sends each message once.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { plural } from "@/lib/plural";
import { buildIfStale } from "@/scripts/lib/next-process";
import { findPgBin, startPrivatePostgres, type PrivatePostgres } from "@/scripts/lib/postgres";
import { runCli } from "@/scripts/lib/run-cli";
import { auditAppendOnly } from "./audit-append-only";
import { databaseOutage } from "./database-outage";
import type { FaultContext } from "./harness/context";
import { printResult, type ScenarioResult } from "./harness/report";
import { killDuringPayments } from "./kill-during-payments";
import { severalServers } from "./several-servers";

const SCENARIOS = ["kill", "outage", "audit", "servers"] as const;
/** Scenarios that also run on DATABASE_URL's server when there are no PostgreSQL binaries. */
const ON_SHARED_SERVER: readonly Scenario[] = ["kill", "servers"];
type Scenario = (typeof SCENARIOS)[number];

const { values: args } = parseArgs({
  options: {
    only: { type: "string" },
    accounts: { type: "string", default: "100" },
    clients: { type: "string", default: "16" },
    kills: { type: "string", default: "2" },
    outage: { type: "string", default: "10" },
    payers: { type: "string", default: "16" },
    messages: { type: "string", default: "300" },
    keep: { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
});

function positiveInt(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a whole number ≥ 1, not ${value}`);
  return n;
}

const started = Date.now();
const log = (line: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);

async function main(): Promise<number> {
  if (args.help) {
    console.log(fs.readFileSync(new URL(import.meta.url), "utf8").split("*/")[0]);
    return 0;
  }
  const only = (args.only ?? SCENARIOS.join(",")).split(",").map((s) => s.trim());
  for (const s of only) if (!(SCENARIOS as readonly string[]).includes(s)) throw new Error(`--only: unknown scenario "${s}" (${SCENARIOS.join(", ")})`);
  const selected = SCENARIOS.filter((s) => only.includes(s));
  const accounts = positiveInt("accounts", args.accounts);
  const clients = positiveInt("clients", args.clients);
  const kills = positiveInt("kills", args.kills);
  const outageSeconds = positiveInt("outage", args.outage);
  const payers = positiveInt("payers", args.payers);
  const messages = positiveInt("messages", args.messages);

  const pgBin = findPgBin();
  const sharedUrl = process.env.DATABASE_URL;
  if (!pgBin && !sharedUrl) {
    console.log("SKIPPED: npm run test:faults needs PostgreSQL: its binaries (initdb, pg_ctl; PG_BIN) or DATABASE_URL. (Several servers on one database cannot be tried on the embedded one: PGlite serves one process.)");
    return 0;
  }
  buildIfStale();
  let pg: PrivatePostgres | null = null;
  const results: ScenarioResult[] = [];
  const skipped: string[] = [];
  try {
    pg = pgBin ? await startPrivatePostgres(log) : null;
    const ctx: FaultContext = {
      adminUrl: pg ? pg.url("postgres") : sharedUrl!,
      pg,
      authSecret: crypto.randomBytes(32).toString("base64url"),
      keep: args.keep,
      log,
    };
    if (!pg) log(`no PostgreSQL binaries: kill and servers run on DATABASE_URL's server; outage and audit are skipped`);
    const run: Record<Scenario, () => Promise<ScenarioResult>> = {
      kill: () => killDuringPayments(ctx, { accounts, clients, kills }),
      outage: () => databaseOutage(ctx, { outageSeconds, clients }),
      audit: () => auditAppendOnly(ctx),
      servers: () => severalServers(ctx, { payers, messages }),
    };
    for (const s of selected) {
      if (!ON_SHARED_SERVER.includes(s) && !pg) {
        skipped.push(s);
        continue;
      }
      log(`▶ ${s}`);
      const r = await run[s]();
      printResult(r);
      results.push(r);
    }
  } finally {
    pg?.destroy();
  }

  const failed = results.filter((r) => r.checks.some((c) => !c.pass));
  const checks = results.flatMap((r) => r.checks);
  const seconds = (Date.now() - started) / 1000;
  fs.mkdirSync(path.join(process.cwd(), "bench-results"), { recursive: true });
  fs.writeFileSync(
    path.join(process.cwd(), "bench-results", "faults.json"),
    `${JSON.stringify({ at: new Date().toISOString(), seconds, results, skipped }, null, 2)}\n`,
  );
  console.log(`\n${results.map((r) => `${r.name.split(" (")[0]}: ${r.summary}`).join("\n")}`);
  if (skipped.length) console.log(`skipped (no PostgreSQL binaries for a private server): ${skipped.join(", ")}`);
  console.log(
    `faults: ${plural(results.length - failed.length, { one: "# scenario", other: "# scenarios" })} passed, ${failed.length} failed; ` +
      `checks ${checks.filter((c) => c.pass).length} passed, ${checks.filter((c) => !c.pass).length} failed; ${seconds.toFixed(0)} s`,
  );
  return failed.length ? 1 : 0;
}

runCli(main, { stack: true, exitOnSignals: true });
