/**
 * The pay action under load, over HTTP against the production server, with the sandbox
 * provider: an account ("Pay Bench AB") owing thousands of invoices is paid one invoice per
 * request by `--connections` clients (each request a new pending payment, a checkout and the
 * answer with the hosted page to open: the whole server action), then 100 requests at once for one
 * invoice, settled by a signed provider callback: one payment, nothing charged twice, no 5xx.
 *
 * Server actions are called as React calls them (POST with a `Next-Action` header and the
 * arguments encoded by React's own encodeReply), the action id read from the build's manifest.
 */
import crypto from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import autocannon from "autocannon";
import { sql } from "drizzle-orm";
import { rows, type Database } from "@/db/client";
import { hashPassword } from "@/lib/passwords";
import { sandboxEventBody, SIGNATURE_HEADER, signSandboxPayload, TIMESTAMP_HEADER } from "@/lib/payments/sandbox";
import { percentile } from "../lib/stats";
import { summarize, type Load } from "./http";

export const PAY_ACCOUNT_NAME = "Pay Bench AB";
export const PAY_ACCOUNT_EMAIL = "pay-bench@example.com";

const root = path.resolve(import.meta.dirname, "..", "..");

/** The id of a server action in the current build, by its file and export name. */
export function actionId(file: string, exportedName: string): string {
  const manifest = JSON.parse(readFileSync(path.join(root, ".next", "server", "server-reference-manifest.json"), "utf8")) as {
    node: Record<string, { filename?: string; exportedName?: string }>;
  };
  const found = Object.entries(manifest.node).find(([, v]) => v.filename === file && v.exportedName === exportedName);
  if (!found) throw new Error(`no server action ${exportedName} of ${file} in the build's manifest`);
  return found[0];
}

type EncodeReply = (value: unknown) => Promise<string | FormData>;

/** React's own encoding of server action arguments (what the browser sends). */
function reactEncodeReply(): EncodeReply {
  const require = createRequire(path.join(root, "package.json"));
  const client = require("next/dist/compiled/react-server-dom-turbopack/client.node.js") as { encodeReply: EncodeReply };
  return client.encodeReply;
}

export type EncodedCall = { body: Buffer; contentType: string };

/** The body of a useActionState form action call: (previous state, form data). */
export async function encodeFormAction(encode: EncodeReply, fields: Record<string, string | string[]>): Promise<EncodedCall> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) form.append(k, one);
  const encoded = await encode([{}, form]);
  const res = new Response(encoded);
  return { body: Buffer.from(await res.arrayBuffer()), contentType: res.headers.get("content-type")! };
}

export type PayAccount = { accountId: string; email: string; invoices: { number: number; totalMinor: bigint }[] };

/**
 * "Pay Bench AB" with `count` outstanding one-line invoices, made once with set-based inserts
 * (and topped up when a run needs more than an earlier one made); every run first deletes the
 * account's payments (and their provider records), so each invoice is outstanding again.
 */
export async function preparePayAccount(db: Database, count: number, log: (l: string) => void): Promise<PayAccount> {
  let [account] = await rows<{ id: string }>(db, sql`select id from accounts where name = ${PAY_ACCOUNT_NAME}`);
  if (!account) {
    const passwordHash = await hashPassword("cumulus-demo-2026");
    await db.transaction(async (tx) => {
      [account] = await rows<{ id: string }>(
        tx,
        sql`insert into accounts (kind, name, first_name, last_name, country_code, currency, language, time_zone,
                                  organisation_number, street, zip_code, city)
            values ('company', ${PAY_ACCOUNT_NAME}, 'Pay', 'Bench', 'SE', 'EUR', 'en', 'Europe/Stockholm',
                    '5590000000', 'Testgatan 1', '111 22', 'Stockholm') returning id`,
      );
      await tx.execute(sql`insert into users (account_id, email, name, password_hash, is_admin, invoice_access)
        values (${account!.id}, ${PAY_ACCOUNT_EMAIL}, 'Pay Bench', ${passwordHash}, true, 'full')`);
    });
  }
  const [{ have } = { have: "0" }] = await rows<{ have: string }>(db, sql`select count(*)::text as have from invoices where account_id = ${account!.id}`);
  if (Number(have) < count) {
    await addPayInvoices(db, account!.id, Number(have), count);
    log(`${Number(have) ? "topped up" : "created"} ${PAY_ACCOUNT_NAME}: ${count.toLocaleString("en")} outstanding invoices`);
  }
  const accountId = account!.id;
  const removed = await db.transaction(async (tx) => {
    await tx.execute(sql`delete from sandbox_checkouts where merchant_reference in (select id::text from payments where account_id = ${accountId})`);
    await tx.execute(sql`delete from payment_events where payment_id in (select id from payments where account_id = ${accountId})`);
    const r = await rows<{ n: string }>(tx, sql`with d as (delete from payments where account_id = ${accountId} returning 1) select count(*)::text as n from d`);
    return Number(r[0]!.n);
  });
  if (removed) log(`deleted ${removed.toLocaleString("en")} payments of ${PAY_ACCOUNT_NAME} from an earlier run`);
  const invoices = await rows<{ number: string; total: string }>(
    db,
    sql`select number::text, total_minor::text as total from invoices where account_id = ${accountId} order by number`,
  );
  return { accountId, email: PAY_ACCOUNT_EMAIL, invoices: invoices.map((i) => ({ number: Number(i.number), totalMinor: BigInt(i.total) })) };
}

/** Invoices number `from + 1` … `to` of the account, k months back each (the list's keyset is by date). */
async function addPayInvoices(db: Database, accountId: string, from: number, to: number): Promise<void> {
  await db.transaction(async (tx) => {
    const [seq] = await rows<{ next: string }>(tx, sql`select next_value::text as next from number_sequences where name = 'invoice' for update`);
    const base = BigInt(seq!.next);
    // Due far ahead: all outstanding.
    await tx.execute(sql`
      create temporary table pay_invoices on commit drop as
      select gen_random_uuid() as id, (${base}::bigint + k - ${from + 1}::int) as number, k,
             (date_trunc('month', current_date) - make_interval(months => k))::date as period_start,
             (10000 + (k * 7919) % 90000)::bigint as net
      from generate_series(${from + 1}::int, ${to}::int) k`);
    await tx.execute(sql`
      insert into invoices (id, account_id, number, type, period_start, period_end, invoice_date, due_date, currency,
                            language, vat_category, net_minor, vat_minor, total_minor, customer, payment_reference)
      select i.id, ${accountId}, i.number, 'invoice', i.period_start,
             (i.period_start + interval '1 month' - interval '1 day')::date, (i.period_start + interval '1 month')::date,
             (current_date + interval '1 year')::date, 'EUR', 'en', 'standard', i.net, (i.net * 25 + 50) / 100,
             i.net + (i.net * 25 + 50) / 100,
             jsonb_build_object('name', ${PAY_ACCOUNT_NAME}::text, 'careOf', null, 'street', 'Testgatan 1', 'zipCode', '111 22',
               'city', 'Stockholm', 'countryCode', 'SE', 'organisationNumber', '5590000000', 'vatNumber', null, 'purchaseOrder', null),
             'P' || i.number
      from pay_invoices i`);
    await tx.execute(sql`
      insert into invoice_lines (invoice_id, position, service, product_code, label, region, quantity, unit,
                                 unit_price_minor, amount_minor, vat_rate_bp)
      select i.id, 1, 'Compute', 'compute.vcpu', 'vCPU (sto1)', 'sto1', i.net, 'h', 1, i.net, 2500 from pay_invoices i`);
    await tx.execute(sql`update number_sequences set next_value = ${base + BigInt(to - from)} where name = 'invoice'`);
  });
}

export type PayBenchResult = {
  load: Load;
  statuses: Record<string, number>;
  /** Answered requests that left no checkout behind (a refusal or an error). */
  notRedirected: number;
  p95: number;
  paymentsCreated: number;
  /** Payments/s of each warm-up step. */
  warmRates: number[];
  concurrent: {
    requests: number;
    started: number;
    inProgress: number;
    serverErrors: number;
    otherStatuses: Record<string, number>;
    settledPayments: number;
    outstandingMinor: string;
    secondsToSettled: number;
    webhookStatus: number;
  };
};

type PayBenchOptions = {
  db: Database;
  base: string;
  cookie: string;
  account: PayAccount;
  connections: number;
  seconds: number;
  /** Length of one warm-up step, and the most warm-up there may be. */
  warmStepSeconds: number;
  maxWarmSeconds: number;
  webhookSecret: string;
  log: (l: string) => void;
};

/** The pay action as the Pay dialog calls it: its headers, and the encoded call for one invoice. */
type PayCalls = {
  headers: (contentType: string) => Record<string, string>;
  call: (inv: { number: number; totalMinor: bigint }) => Promise<EncodedCall>;
};

function payCalls(o: PayBenchOptions): PayCalls {
  const encode = reactEncodeReply();
  const payId = actionId("lib/actions/payments.ts", "payInvoices");
  return {
    headers: (contentType) => ({ cookie: o.cookie, "next-action": payId, accept: "text/x-component", origin: o.base, "content-type": contentType }),
    call: (inv) => encodeFormAction(encode, { n: String(inv.number), method: "card", amount: inv.totalMinor.toString(), idempotencyKey: crypto.randomUUID() }),
  };
}

export async function runPayBench(o: PayBenchOptions): Promise<PayBenchResult> {
  const calls = payCalls(o);
  // The invoice of the 100-request race is kept out of the load.
  const [raceInvoice, ...loadInvoices] = o.account.invoices;
  if (!raceInvoice || loadInvoices.length === 0) throw new Error(`${PAY_ACCOUNT_NAME} has no invoices`);
  const bodies: EncodedCall[] = [];
  for (const inv of loadInvoices) bodies.push(await calls.call(inv));
  const measured = await measurePayLoad(o, calls, new PayQueue(bodies));
  const concurrent = await raceOneInvoice(o, calls, raceInvoice);
  return { ...measured, concurrent };
}

/** Encoded calls, each on an invoice not asked for before; repeats (and says so) when they run out. */
class PayQueue {
  private next = 0;
  ranOut = false;
  constructor(readonly bodies: EncodedCall[]) {}
  take(): EncodedCall {
    if (this.next >= this.bodies.length) this.ranOut = true;
    return this.bodies[this.next++ % this.bodies.length]!;
  }
}

/** One load of pay actions, each on an invoice not asked for before; every response's time and status. */
function payLoad(o: PayBenchOptions, calls: PayCalls, queue: PayQueue, seconds: number) {
  const latencies: number[] = [];
  const byStatus: Record<string, number> = {};
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: `${o.base}/invoices`,
        connections: o.connections,
        duration: seconds,
        timeout: 30,
        requests: [
          {
            method: "POST",
            setupRequest: (req) => {
              const b = queue.take();
              return { ...req, method: "POST", headers: calls.headers(b.contentType), body: b.body };
            },
          },
        ],
      },
      (err, r) => (err ? reject(err) : resolve(r)),
    );
    // Every response's own time and status: autocannon's histogram has no p95.
    instance.on("response", (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
      latencies.push(responseTime);
      byStatus[statusCode] = (byStatus[statusCode] ?? 0) + 1;
    });
  });
  return done.then((result) => ({ result, latencies, byStatus }));
}

/** The pay action under `connections` clients after its warm-up: rate, p95 and payments made. */
async function measurePayLoad(o: PayBenchOptions, calls: PayCalls, queue: PayQueue): Promise<Omit<PayBenchResult, "concurrent">> {
  const withCheckout = async () =>
    Number(
      (await rows<{ n: string }>(o.db, sql`select count(*)::text as n from payments where account_id = ${o.account.accountId} and provider_reference is not null`))[0]!.n,
    );
  // Warm-up until the rate settles: a fresh server keeps compiling the action's code paths well
  // past the other loads' fixed warm-up, and the figure must be the server's, not V8's warm-up.
  // Steps of `warmStepSeconds` until the rate stops rising, for at most `maxWarmSeconds`.
  o.log(`pay action: warm-up until the rate settles (${o.warmStepSeconds} s steps, ${o.maxWarmSeconds} s at most), then ${o.connections} clients, ${o.seconds} s, one new invoice per request (${queue.bodies.length.toLocaleString("en")} ready)…`);
  const warmRates: number[] = [];
  while (warmRates.length * o.warmStepSeconds < o.maxWarmSeconds) {
    const step = await payLoad(o, calls, queue, o.warmStepSeconds);
    warmRates.push(step.result.requests.total / o.warmStepSeconds);
    // Settled: no longer rising (within 5 % of the best step before), after 4 steps at least:
    // the first steps of a fresh server are slow alike.
    const last = warmRates.at(-1)!;
    if (warmRates.length >= 4 && last <= 1.05 * Math.max(...warmRates.slice(0, -1))) break;
  }
  o.log(`  warm-up: ${warmRates.map((r) => r.toFixed(0)).join(" → ")} payments/s`);
  await new Promise((r) => setTimeout(r, 500));
  const before = await withCheckout();
  const { result, latencies, byStatus } = await payLoad(o, calls, queue, o.seconds);
  if (queue.ranOut) o.log("  (ran out of invoices: later requests repeated earlier ones and were answered 'in progress')");
  const load = summarize("pay action", result);
  const statuses = byStatus;
  // A pay action that went through has a pending payment with the provider's checkout attached.
  const paymentsCreated = (await withCheckout()) - before;
  // Requests still in flight when the load stopped may have created a payment without a counted response.
  const notRedirected = Math.max(0, latencies.length - paymentsCreated);
  const p95 = percentile(latencies, 0.95);
  o.log(`  ${load.reqPerSec.toFixed(0)} req/s, p50 ${percentile(latencies, 0.5).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, p99 ${percentile(latencies, 0.99).toFixed(1)} ms; statuses ${JSON.stringify(statuses)}; ${paymentsCreated} payments created`);
  return { load, statuses, notRedirected, p95, paymentsCreated, warmRates };
}

/** 100 requests at once for one invoice, then the provider's callback: one checkout, one settled payment. */
async function raceOneInvoice(o: PayBenchOptions, calls: PayCalls, raceInvoice: { number: number; totalMinor: bigint }): Promise<PayBenchResult["concurrent"]> {
  const { call, headers } = calls;
  o.log(`pay action: 100 concurrent requests for invoice ${raceInvoice.number}, then the signed callback…`);
  const raceBodies = await Promise.all(Array.from({ length: 100 }, () => call(raceInvoice)));
  const raceStarted = performance.now();
  const answers = await Promise.all(
    raceBodies.map(async (b) => {
      const res = await fetch(`${o.base}/invoices`, { method: "POST", headers: headers(b.contentType), body: new Uint8Array(b.body), redirect: "manual" });
      const text = await res.text();
      // A started payment answers its hosted page's URL (the dialog then navigates there).
      const checkout = /"checkoutUrl":"[^"]*\/sandbox\/checkout\/([0-9a-f-]{36})"/.exec(text)?.[1] ?? null;
      return { status: res.status, checkout, text };
    }),
  );
  const started = answers.filter((a) => a.status === 200 && a.checkout);
  const inProgress = answers.filter((a) => a.status === 200 && a.text.includes("A payment is already in progress"));
  const serverErrors = answers.filter((a) => a.status >= 500).length;
  const otherStatuses: Record<string, number> = {};
  for (const a of answers) if (!started.includes(a) && !inProgress.includes(a)) otherStatuses[a.status] = (otherStatuses[a.status] ?? 0) + 1;

  const webhookStatus = started[0]?.checkout ? await completeCheckout(o, started[0].checkout) : 0;
  const secondsToSettled = (performance.now() - raceStarted) / 1000;
  const [facts] = await rows<{ settled: string; outstanding: string }>(
    o.db,
    sql`select
          (select count(*) from payments p join payment_allocations pa on pa.payment_id = p.id
            join invoices i on i.id = pa.invoice_id where i.number = ${raceInvoice.number} and p.state = 'succeeded')::text as settled,
          (select greatest(i.total_minor - coalesce((select sum(pa.amount_minor) from payment_allocations pa
             join payments p on p.id = pa.payment_id and p.state = 'succeeded' where pa.invoice_id = i.id), 0), 0)
           from invoices i where i.number = ${raceInvoice.number})::text as outstanding`,
  );
  const concurrent = {
    requests: answers.length,
    started: started.length,
    inProgress: inProgress.length,
    serverErrors,
    otherStatuses,
    settledPayments: Number(facts!.settled),
    outstandingMinor: facts!.outstanding,
    secondsToSettled,
    webhookStatus,
  };
  o.log(
    `  ${started.length} sent to the hosted page, ${inProgress.length} told a payment is in progress, ${serverErrors} 5xx; ` +
      `callback ${webhookStatus}; ${concurrent.settledPayments} settled payment, outstanding ${concurrent.outstandingMinor}; ${secondsToSettled.toFixed(2)} s`,
  );
  return concurrent;
}

/** The card provider completes the checkout and calls back, as the hosted page would; the callback's status, or 0. */
async function completeCheckout(o: PayBenchOptions, checkoutId: string): Promise<number> {
  const [row] = await rows<{ amount: string; currency: string }>(
    o.db,
    sql`update sandbox_checkouts set status = 'succeeded', card_brand = 'Visa', card_last4 = '4242', updated_at = now()
        where id = ${checkoutId} and status = 'open' returning amount_minor::text as amount, currency`,
  );
  if (!row) return 0;
  const body = sandboxEventBody(checkoutId, "succeeded", BigInt(row.amount), row.currency, null);
  const ts = Math.floor(Date.now() / 1000);
  const res = await fetch(`${o.base}/api/payments/webhooks/sandbox`, {
    method: "POST",
    headers: { "content-type": "application/json", [SIGNATURE_HEADER]: signSandboxPayload(body, ts, o.webhookSecret), [TIMESTAMP_HEADER]: String(ts) },
    body,
  });
  await res.arrayBuffer();
  return res.status;
}
