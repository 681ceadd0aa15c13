/** Steps 8–10 of the bench: the pay action under load, then the billing and automatic payment runs at scale. */
import { DEMO_PASSWORD } from "@/scripts/seed";
import { signIn } from "../lib/http";
import { autopayChecks, benchAutopay } from "./autopay";
import { benchBilling, billingChecks } from "./billing";
import { cfg, databaseUrl, log } from "./options";
import { preparePayAccount, runPayBench } from "./pay";
import { check, type Check } from "./report";
import type { BenchRun } from "./run";

/** 8. The pay action at full load, and 100 concurrent requests for one invoice. */
export async function benchPay(run: BenchRun): Promise<void> {
  const { db, base, loads, checks, details, noteRss, webhookSecret } = run;
  const account = await preparePayAccount(db, cfg.payInvoices, log);
  const payCookie = await signIn(base, account.email, DEMO_PASSWORD);
  const pay = await runPayBench({ db, base, cookie: payCookie, account, connections: cfg.connections, seconds: cfg.seconds, warmStepSeconds: cfg.payWarmStepSeconds, maxWarmSeconds: cfg.payMaxWarmSeconds, webhookSecret, log });
  noteRss("after pay");
  loads.push(pay.load);
  details.pay = { statuses: pay.statuses, notRedirected: pay.notRedirected, p95: pay.p95, paymentsCreated: pay.paymentsCreated, warmRates: pay.warmRates, concurrent: pay.concurrent };
  const payBad = pay.notRedirected > 0 || pay.load.errors + pay.load.timeouts > 0
    ? `${pay.notRedirected} not sent to the hosted page, ${pay.load.errors + pay.load.timeouts} errors`
    : undefined;
  checks.push(
    check("pay.p95", `Pay action: p95 at ${cfg.connections} clients (sandbox)`, pay.p95, "ms", "< 50 ms", (v) => v < 50 && !payBad, payBad ?? `${pay.load.reqPerSec.toFixed(0)} payments/s, ${pay.paymentsCreated} created`),
  );
  const concurrent = pay.concurrent;
  const raceOk =
    concurrent.started === 1 && concurrent.serverErrors === 0 && concurrent.settledPayments === 1 && concurrent.outstandingMinor === "0" && concurrent.webhookStatus === 200;
  checks.push(
    check(
      "pay.concurrent_100",
      "Pay: 100 concurrent requests for one invoice, settled",
      concurrent.secondsToSettled,
      "s",
      "< 2 s, 1 payment",
      (v) => v < 2 && raceOk,
      `${concurrent.started} checkout, ${concurrent.inProgress} in progress, ${concurrent.serverErrors} 5xx, ${concurrent.settledPayments} settled, outstanding ${concurrent.outstandingMinor}`,
    ),
  );
}

/** 9. The billing run at scale, on databases of its own next to the bench database. */
export async function billingPhase(details: Record<string, unknown>): Promise<Check[]> {
  const admin = new URL(databaseUrl);
  admin.pathname = "/postgres";
  log("billing run at scale (scripts/bench/billing.ts): seeding, one billing:run, then two at once…");
  const r = await benchBilling({ adminUrl: admin.toString(), log: (line) => log(`  ${line}`) });
  details.billing = { ...r, single: { ...r.single, stdout: undefined, stderr: undefined } };
  return billingChecks(r);
}

/** 10. The automatic payment run at scale, on a database of its own next to the bench database. */
export async function autopayPhase(details: Record<string, unknown>): Promise<Check[]> {
  const admin = new URL(databaseUrl);
  admin.pathname = "/postgres";
  log("automatic payment at scale (scripts/bench/autopay.ts): seeding, one payments:autopay, then a second…");
  const r = await benchAutopay({ adminUrl: admin.toString(), log: (line) => log(`  ${line}`) });
  details.autopay = r;
  return autopayChecks(r);
}
