/**
 * Fault 2: PostgreSQL goes away for a while under load (`pg_ctl stop -m fast` of the private
 * server, then start), and the server is left alone.
 *
 * `clients` signed-in people keep requesting the invoice list, invoice pages, PDFs and paying
 * their invoices by card before, during and after the outage. Expected:
 * - while the database is away the answers are 503 with Retry-After (the proxy's "Service
 *   temporarily unavailable" page, JSON for API routes); a 500 only for requests that were
 *   already running when it went away, none once the outage was noticed;
 * - the same server process answers 200 again soon after PostgreSQL is back, with no restart;
 * - nothing is half-written: every payment has its allocation and audit rows, every charge
 *   its succeeded payment, no invoice is charged twice; acknowledged payments are in the database.
 */
import postgres from "postgres";
import { DEMO_PASSWORD } from "@/scripts/seed";
import { runScript } from "@/scripts/lib/run-script";
import { freePort } from "@/scripts/lib/ports";
import type { FaultContext } from "./harness/context";
import { actionIds, Client, inPool, signIn, sleep, type Sample } from "@/scripts/lib/http";
import { payableInvoices, readLedger, seedPayable, succeededAmong, type Payable } from "@/scripts/lib/ledger";
import { payIds, payInvoice, type FlowResult } from "@/scripts/lib/pay-flow";
import { createDatabase, dropDatabase, withMigratedDatabase } from "@/scripts/lib/postgres";
import { Checks, type ScenarioResult } from "./harness/report";
import { applyAppRole } from "./harness/scripts";
import { startNext, type NextServer } from "@/scripts/lib/next-server";

export type OutageOptions = { outageSeconds: number; clients: number; beforeSeconds?: number; afterSeconds?: number };

const OK = (status: number) => status >= 200 && status < 400;

export async function databaseOutage(ctx: FaultContext, o: OutageOptions): Promise<ScenarioResult> {
  const pg = ctx.pg;
  if (!pg) throw new Error("the outage test needs the private PostgreSQL server");
  const started = Date.now();
  const checks = new Checks();
  const dbName = "cumulus_faults_outage";
  const ownerUrl = await createDatabase(ctx.adminUrl, dbName);
  let server: NextServer | null = null;
  let owner: postgres.Sql | null = null;
  try {
    await withMigratedDatabase(ownerUrl, (db) => seedPayable(db, o.clients));
    const { appUrl } = await applyAppRole(ownerUrl);
    owner = postgres(ownerUrl, { max: 2, onnotice: () => {} });
    const payables = await payableInvoices(owner);
    const byEmail = new Map<string, Payable[]>();
    for (const p of payables) byEmail.set(p.email, [...(byEmail.get(p.email) ?? []), p]);
    const emails = [...byEmail.keys()];
    const port = await freePort();
    server = await startNext({ port, databaseUrl: appUrl, authSecret: ctx.authSecret, log: ctx.log });
    const baseUrl = server.baseUrl;
    const ids = payIds(actionIds());
    const cookies = new Map<string, string>();
    await inPool(emails, 4, async (email) => {
      cookies.set(email, await signIn(baseUrl, email, DEMO_PASSWORD));
    });

    const samples: Sample[] = [];
    const record = (s: Sample) => samples.push(s);
    let stopLoad = false;
    const flows: FlowResult[] = [];
    // One person per account: browse, download, and pay their own invoices one after the other.
    const person = async (email: string, seed: number) => {
      const client = new Client(baseUrl, cookies.get(email)!, record);
      const mine = byEmail.get(email)!;
      const owed = [...mine];
      for (let i = seed; !stopLoad; i++) {
        const invoice = mine[i % mine.length]!;
        switch (i % 4) {
          case 0:
            await client.get("list", "/invoices");
            break;
          case 1:
            await client.get("detail", `/invoices/${invoice.number}`);
            break;
          case 2:
            await client.get("pdf", `/invoices/${invoice.number}/pdf`, true);
            break;
          default: {
            const next = owed.shift();
            if (next) flows.push(await payInvoice(client, ids, next, { maxFailures: 1000 }));
            else await client.get("list", "/invoices");
          }
        }
      }
    };
    const load = Promise.all(emails.map((e, i) => person(e, i)));

    const before = (o.beforeSeconds ?? 5) * 1000;
    const after = (o.afterSeconds ?? 10) * 1000;
    await sleep(before);
    const tStop = Date.now();
    await pg.stop();
    const tStopped = Date.now();
    ctx.log(`PostgreSQL stopped (pg_ctl stop -m fast took ${tStopped - tStop} ms) under ${emails.length} clients`);
    // Explicit answers while it is away: a page and a provider's callback.
    await sleep(Math.min(2000, (o.outageSeconds * 1000) / 3));
    const probe = new Client(baseUrl, cookies.get(emails[0]!)!);
    const page = await probe.get("probe", "/invoices");
    const webhook = await fetch(`${baseUrl}/api/payments/webhooks/sandbox`, { method: "POST", body: "{}", headers: { "content-type": "application/json" } });
    const webhookBody = await webhook.text();
    await sleep(Math.max(0, tStop + o.outageSeconds * 1000 - Date.now()));
    await pg.start();
    const tStart = Date.now();
    ctx.log(`PostgreSQL started again after ${((tStart - tStop) / 1000).toFixed(1)} s`);
    await sleep(after);
    stopLoad = true;
    await load;
    const serverAlive = server.alive();

    const rec = await runScript("scripts/payments-reconcile.ts", ["--older-than", "0", "--abandon-after", "0"], { DATABASE_URL: appUrl, AUTH_SECRET: ctx.authSecret });
    const ledger = await readLedger(owner);
    const ackIds = flows.filter((f) => f.outcome === "acknowledged").map((f) => f.paymentId!);
    const inDb = await succeededAmong(owner, ackIds);

    // ── What the clients saw.
    const bad = (s: Sample) => s.status >= 500 && s.status !== 503;
    const firstUnavailable = samples.filter((s) => s.status === 503).sort((a, b) => a.end - b.end)[0];
    const detectedAt = firstUnavailable?.end ?? Infinity;
    const beforeStop = samples.filter((s) => s.end < tStop);
    const unavailable = samples.filter((s) => s.status === 503);
    const inFlightErrors = samples.filter((s) => bad(s) && s.start < detectedAt);
    const lateErrors = samples.filter((s) => bad(s) && s.start >= detectedAt);
    const firstOk = samples.filter((s) => s.start >= tStart && OK(s.status)).sort((a, b) => a.end - b.end)[0];
    const recoveredAt = firstOk?.end ?? Infinity;
    const afterRecovery = samples.filter((s) => s.start >= recoveredAt);
    const networkErrors = samples.filter((s) => s.status === 0);
    const byRoute = (list: Sample[]) => {
      const n = new Map<string, number>();
      for (const s of list) n.set(s.route, (n.get(s.route) ?? 0) + 1);
      return [...n].map(([k, v]) => `${k} ${v}`).join(", ") || "none";
    };
    ctx.log(`503 answers by route: ${byRoute(unavailable)}; 5xx other than 503: ${byRoute(inFlightErrors.concat(lateErrors))}`);
    const unexpected = [...new Set([...lateErrors, ...afterRecovery.filter((s) => !OK(s.status))])];
    if (unexpected.length) {
      // What a failure needs to be understood: when each request ran, and what the server said.
      const at = (t: number) => `${((t - tStop) / 1000).toFixed(3)} s`;
      ctx.log(`first 503 at ${at(detectedAt)}, PostgreSQL back at ${at(tStart)}, first 2xx after it at ${at(recoveredAt)} (times from the stop)`);
      for (const s of unexpected) ctx.log(`  ${s.status} ${s.route}: ${at(s.start)} → ${at(s.end)}${s.error ? ` (${s.error})` : ""}`);
      const errors = server.log().split("\n").filter((l) => /error|Error|57P0|CONNECTION_|ECONN|unreachable|answers again/.test(l));
      ctx.log(`server log, ${errors.length} error lines (the last 30):\n${errors.slice(-30).join("\n")}`);
    }

    checks.equal("answers other than 2xx/3xx before the outage", beforeStop.filter((s) => !OK(s.status)).length, 0);
    checks.check(
      "a page while the database is away: 503, Retry-After, clear text",
      page.status === 503 && page.headers?.get("retry-after") !== null && /Service temporarily unavailable/.test(page.text),
      `${page.status}, Retry-After ${page.headers?.get("retry-after") ?? "missing"}`,
    );
    checks.check(
      "an API route (provider callback) while it is away: 503 JSON with Retry-After",
      webhook.status === 503 && webhook.headers.get("retry-after") !== null && /service_unavailable/.test(webhookBody),
      `${webhook.status} ${webhookBody.slice(0, 60)}`,
    );
    checks.check("every 503 carries Retry-After and the unavailable answer", unavailable.length > 0 && unavailable.every((s) => s.retryAfter && s.unavailablePage), `${unavailable.length} answers 503`);
    checks.equal("5xx other than 503 once the outage was noticed", lateErrors.length, 0);
    checks.check("5xx other than 503 only for requests in flight when it went away", inFlightErrors.length <= emails.length, `${inFlightErrors.length} (clients: ${emails.length})`);
    checks.equal("connection failures (the server never went down)", networkErrors.length, 0);
    checks.check("the same server process is still serving", serverAlive, serverAlive ? `pid ${server.pid}` : "it died");
    checks.check("recovered by itself within 5 s of PostgreSQL starting", recoveredAt - tStart <= 5000, Number.isFinite(recoveredAt) ? `${recoveredAt - tStart} ms` : "never");
    checks.equal("answers other than 2xx/3xx after recovery", afterRecovery.filter((s) => !OK(s.status)).length, 0);
    checks.equal("acknowledged payments succeeded in the database", inDb, ackIds.length);
    checks.equal("invoices charged or settled twice", ledger.invoicesChargedTwice, 0);
    checks.equal("charges without their succeeded payment (after reconcile)", ledger.chargedNotSettled + ledger.settledNotCharged, 0);
    checks.equal("half-written payments (no allocation / no audit row)", ledger.paymentsWithoutAllocation + ledger.paymentsWithoutStartAudit + ledger.settledWithoutAudit, 0);
    checks.equal("invoices with a negative outstanding amount", ledger.invoicesNegative, 0);
    checks.equal("payments:reconcile exit code", rec.code, 0);

    const requests = samples.length;
    return {
      name: `database away ${o.outageSeconds} s under load (${emails.length} clients)`,
      summary:
        `${requests} requests: ${unavailable.length} answered 503 with Retry-After, ${inFlightErrors.length} in flight failed with 500, ` +
        `${lateErrors.length} after; recovered ${Number.isFinite(recoveredAt) ? ((recoveredAt - tStart) / 1000).toFixed(1) : "never"} s after PostgreSQL was back (same process); ` +
        `payments acknowledged ${ackIds.length}, in DB ${inDb}, charged twice ${ledger.invoicesChargedTwice}`,
      checks: checks.list,
      seconds: (Date.now() - started) / 1000,
      figures: {
        requests,
        unavailable: unavailable.length,
        inFlightErrors: inFlightErrors.length,
        lateErrors: lateErrors.length,
        recoveryMs: Number.isFinite(recoveredAt) ? recoveredAt - tStart : -1,
        detectedAfterMs: Number.isFinite(detectedAt) ? detectedAt - tStop : -1,
        acknowledged: ackIds.length,
        acknowledgedInDb: inDb,
        chargedTwice: ledger.invoicesChargedTwice,
      },
    };
  } finally {
    if (!pg.running()) await pg.start();
    await server?.stop();
    await owner?.end({ timeout: 5 });
    if (!ctx.keep) await dropDatabase(ctx.adminUrl, dbName).catch(() => {});
  }
}
