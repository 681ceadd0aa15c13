/**
 * Fault 1: the server is killed with SIGKILL (kill -9) while people pay, and started again.
 *
 * Every outstanding invoice of a fresh database is paid by card over HTTP, by `clients` people
 * at a time, through the real flow (Pay dialog action → sandbox hosted page → return page). At
 * `kills` points the whole server process group is killed while card payments are in flight
 * and started again on the same port; people whose request failed press the same button again
 * (same idempotency key). Then `npm run payments:reconcile` runs, the invoices still owed are
 * paid in a second round, and the ledger is read back:
 * - every payment whose success was shown to the person ("Payment received") is succeeded;
 * - every card charge at the provider belongs to exactly one succeeded payment of the same
 *   amount and vice versa, no invoice is charged or settled twice, none is negative;
 * - no payment is left open, none is half-written (allocation and audit rows present).
 */
import postgres from "postgres";
import { DEMO_PASSWORD } from "@/scripts/seed";
import { runScript } from "@/scripts/lib/run-script";
import { freePort } from "@/scripts/lib/ports";
import type { FaultContext } from "./harness/context";
import { actionIds, Client, inPool, signIn, sleep, waitUntilUp } from "@/scripts/lib/http";
import { payableInvoices, readLedger, seedPayable, succeededAmong } from "@/scripts/lib/ledger";
import { payIds, payInvoice, type FlowResult, type Step } from "@/scripts/lib/pay-flow";
import { createDatabase, dropDatabase, withMigratedDatabase } from "@/scripts/lib/postgres";
import { Checks, type ScenarioResult } from "./harness/report";
import { applyAppRole } from "./harness/scripts";
import { startNext, type NextServer } from "@/scripts/lib/next-server";

export type KillOptions = { accounts: number; clients: number; kills: number };

export async function killDuringPayments(ctx: FaultContext, o: KillOptions): Promise<ScenarioResult> {
  const started = Date.now();
  const checks = new Checks();
  const dbName = "cumulus_faults_kill";
  const ownerUrl = await createDatabase(ctx.adminUrl, dbName);
  const owner = postgres(ownerUrl, { max: 2, onnotice: () => {} });
  let server: NextServer | null = null;
  try {
    await withMigratedDatabase(ownerUrl, (db) => seedPayable(db, o.accounts));
    // On the private server the application runs as its own role, as in production.
    const appUrl = ctx.pg ? (await applyAppRole(ownerUrl)).appUrl : ownerUrl;
    const role = new URL(appUrl).username;
    const payables = await payableInvoices(owner);
    const emails = [...new Set(payables.map((p) => p.email))];
    const port = await freePort();
    const start = () => startNext({ port, databaseUrl: appUrl, authSecret: ctx.authSecret, log: ctx.log });
    server = await start();
    const baseUrl = server.baseUrl;
    ctx.log(`${payables.length} invoices of ${emails.length} accounts to pay; server on ${baseUrl} as database role ${role}`);
    const ids = payIds(actionIds());
    const cookies = new Map<string, string>();
    await inPool(emails, 4, async (email) => {
      cookies.set(email, await signIn(baseUrl, email, DEMO_PASSWORD));
    });

    // ── Round 1: everyone pays; the killer strikes at `kills` points.
    const inFlight: Record<Step, number> = { begin: 0, card: 0, return: 0 };
    let acknowledged = 0;
    let finished = false;
    let restarting: Promise<void> | null = null;
    const kills: { acknowledged: number; inFlight: Record<Step, number>; downMs: number; chargedNotSettled: number; open: number }[] = [];
    const onConnectionLost = async () => {
      if (restarting) await restarting;
      await waitUntilUp(baseUrl);
    };
    const killer = (async () => {
      for (let k = 1; k <= o.kills; k++) {
        const point = Math.round((k * payables.length) / (o.kills + 1));
        while (acknowledged < point && !finished) await sleep(10);
        if (finished) return;
        // Aim at card payments in flight: the step that charges the card and settles the payment.
        const deadline = Date.now() + 3000;
        while (inFlight.card < Math.min(3, o.clients) && Date.now() < deadline && !finished) await sleep(1);
        await sleep(Math.random() * 25);
        const snapshot = { ...inFlight };
        const t = Date.now();
        let release = () => {};
        restarting = new Promise<void>((r) => (release = r));
        await server!.kill9();
        ctx.log(`kill -9 #${k} after ${acknowledged} acknowledged payments; in flight: ${snapshot.begin} pay, ${snapshot.card} card, ${snapshot.return} return page`);
        // What the crash left: cards charged whose payment is not settled yet, payments open.
        const left = await readLedger(owner);
        try {
          server = await start();
        } finally {
          release();
          restarting = null;
        }
        kills.push({ acknowledged, inFlight: snapshot, downMs: Date.now() - t, chargedNotSettled: left.chargedNotSettled, open: left.openPayments });
        ctx.log(`left by the crash: ${left.chargedNotSettled} cards charged without a settled payment, ${left.openPayments} payments open; restarted in ${((Date.now() - t) / 1000).toFixed(1)} s`);
      }
    })();
    const round1: FlowResult[] = [];
    await inPool(payables, o.clients, async (p) => {
      const client = new Client(baseUrl, cookies.get(p.email)!);
      const r = await payInvoice(client, ids, p, {
        onConnectionLost,
        onRequest: (step, phase) => (inFlight[step] += phase === "start" ? 1 : -1),
      });
      if (r.outcome === "acknowledged") acknowledged++;
      round1.push(r);
    });
    finished = true;
    await killer;
    const afterRound1 = await readLedger(owner);

    // ── The safety net, as cron would run it (no waiting: everything is older than 0 minutes).
    const rec = await runScript("scripts/payments-reconcile.ts", ["--older-than", "0", "--abandon-after", "0"], { DATABASE_URL: appUrl, AUTH_SECRET: ctx.authSecret });
    const reconciled = {
      succeeded: (rec.stdout.match(/→ succeeded/g) ?? []).length,
      failed: (rec.stdout.match(/→ failed/g) ?? []).length,
    };
    ctx.log(`payments:reconcile (exit ${rec.code}): ${rec.stdout.split("\n")[0]}`);
    const afterReconcile = await readLedger(owner);

    // ── Round 2: whatever is still owed is paid again, with a new dialog (new key), no kills.
    const remaining = await payableInvoices(owner);
    const round2: FlowResult[] = [];
    await inPool(remaining, o.clients, async (p) => {
      round2.push(await payInvoice(new Client(baseUrl, cookies.get(p.email)!), ids, p));
    });
    const ledger = await readLedger(owner);
    const all = [...round1, ...round2];
    const ackIds = all.filter((r) => r.outcome === "acknowledged").map((r) => r.paymentId!);
    const inDb = await succeededAmong(owner, ackIds);
    const interrupted = round1.filter((r) => r.interrupted > 0);
    const hitInFlight = kills.reduce((s, k) => s + k.inFlight.begin + k.inFlight.card + k.inFlight.return, 0);
    const cardsInFlight = kills.reduce((s, k) => s + k.inFlight.card, 0);
    const chargedAtCrash = kills.reduce((s, k) => s + k.chargedNotSettled, 0);
    const outcomes = (rs: FlowResult[]) => {
      const n = new Map<string, number>();
      for (const r of rs) n.set(r.outcome, (n.get(r.outcome) ?? 0) + 1);
      return [...n].map(([k, v]) => `${k} ${v}`).join(", ");
    };
    ctx.log(`round 1: ${outcomes(round1)}; after it ${afterRound1.openPayments} payment(s) open; round 2: ${outcomes(round2) || "nothing left"}`);

    checks.equal("kill -9 performed", kills.length, o.kills);
    checks.check("the kills hit card payments in flight", cardsInFlight > 0 && interrupted.length > 0, `${cardsInFlight} card requests (${hitInFlight} requests in all) in flight; ${interrupted.length} payments interrupted`);
    checks.equal("acknowledged payments succeeded in the database", inDb, ackIds.length);
    checks.equal("invoices charged or settled twice", ledger.invoicesChargedTwice, 0);
    checks.equal("charges without their succeeded payment", ledger.chargedNotSettled, 0);
    checks.equal("succeeded payments without a charge", ledger.settledNotCharged, 0);
    checks.equal("charges (one per invoice)", ledger.charged, payables.length);
    checks.equal("payments open after reconcile", afterReconcile.openPayments, 0);
    checks.equal("payments:reconcile exit code", rec.code, 0);
    checks.equal("invoices still outstanding at the end", ledger.invoicesOutstanding, 0);
    checks.equal("invoices with a negative outstanding amount", ledger.invoicesNegative, 0);
    checks.equal("half-written payments (no allocation / no audit row)", ledger.paymentsWithoutAllocation + ledger.paymentsWithoutStartAudit + ledger.settledWithoutAudit, 0);
    checks.equal("server errors (5xx other than 503) met by clients", all.reduce((s, r) => s + r.serverErrors, 0), 0);

    return {
      name: `kill -9 of the server during payments (${o.kills} kills, ${o.clients} clients)`,
      summary:
        `payments acknowledged ${ackIds.length}, in DB ${inDb}, charged twice ${ledger.invoicesChargedTwice}; ` +
        `charges ${ledger.charged} = settled ${ledger.settled} for ${payables.length} invoices; ` +
        `${interrupted.length} payments interrupted, ${chargedAtCrash} cards charged but not settled at a crash (settled since), ` +
        `reconcile settled ${reconciled.succeeded} and failed ${reconciled.failed}`,
      checks: checks.list,
      seconds: (Date.now() - started) / 1000,
      figures: {
        invoices: payables.length,
        acknowledged: ackIds.length,
        acknowledgedInDb: inDb,
        chargedTwice: ledger.invoicesChargedTwice,
        charged: ledger.charged,
        settled: ledger.settled,
        interrupted: interrupted.length,
        cardRequestsInFlightAtKills: cardsInFlight,
        chargedNotSettledAtCrashes: chargedAtCrash,
        openAfterRound1: afterRound1.openPayments,
        reconcileSettled: reconciled.succeeded,
        reconcileFailed: reconciled.failed,
        round2Payments: round2.length,
        restartSeconds: kills.length ? Math.max(...kills.map((k) => k.downMs)) / 1000 : 0,
        role,
      },
    };
  } finally {
    await server?.stop();
    await owner.end({ timeout: 5 });
    if (!ctx.keep) await dropDatabase(ctx.adminUrl, dbName).catch(() => {});
  }
}
