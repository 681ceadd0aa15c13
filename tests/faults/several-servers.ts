/**
 * Several servers, one database: two production servers (`next start`, same AUTH_SECRET, each
 * with its own data folder) on one PostgreSQL database, as behind a load balancer.
 * - Sessions: a session made on one server works on the other, and after a logout on one
 *   server the old cookie is signed out on the other (the session row, not the process, decides).
 * - Payments: people press Pay for the same invoice at once, half through each server: one
 *   payment succeeds, one card is charged, the invoice is settled once.
 * - Email: messages queued while both servers send (each its own timer, plus the cron route on
 *   both at once) leave exactly once each, and both servers take part.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import crypto from "node:crypto";
import postgres from "postgres";
import { DEMO_PASSWORD } from "@/scripts/seed";
import { freePort } from "@/scripts/lib/ports";
import type { FaultContext } from "./harness/context";
import { actionId, actionIds, Client, signIn, sleep, type Answer } from "@/scripts/lib/http";
import { payableInvoices, readLedger, seedPayable } from "@/scripts/lib/ledger";
import { payIds, payInvoice, type FlowResult } from "@/scripts/lib/pay-flow";
import { createDatabase, dropDatabase, withMigratedDatabase } from "@/scripts/lib/postgres";
import { Checks, type ScenarioResult } from "./harness/report";
import { applyAppRole } from "./harness/scripts";
import { startNext, type NextServer } from "@/scripts/lib/next-server";

export type SeveralServersOptions = { payers: number; messages: number };

const signedOut = (a: Answer, baseUrl: string) => a.status >= 300 && a.status < 400 && new URL(a.redirect ?? "/", baseUrl).pathname === "/login";

export async function severalServers(ctx: FaultContext, o: SeveralServersOptions): Promise<ScenarioResult> {
  const started = Date.now();
  const checks = new Checks();
  const dbName = "cumulus_faults_servers";
  const ownerUrl = await createDatabase(ctx.adminUrl, dbName);
  const owner = postgres(ownerUrl, { max: 2, onnotice: () => {} });
  const dataDirs = [0, 1].map((i) => fs.mkdtempSync(path.join(os.tmpdir(), `cumulus-servers-${i}-`)));
  const servers: NextServer[] = [];
  const figures: Record<string, number | string> = {};
  try {
    await withMigratedDatabase(ownerUrl, (db) => seedPayable(db, 2));
    const appUrl = ctx.pg ? (await applyAppRole(ownerUrl)).appUrl : ownerUrl;
    const cronSecret = crypto.randomBytes(24).toString("base64url");
    // Both at once: each process sends the outbox itself every 100 ms, as in production.
    const ports = [await freePort(), await freePort()];
    servers.push(
      ...(await Promise.all(
        ports.map((port, i) =>
          startNext({
            port,
            databaseUrl: appUrl,
            authSecret: ctx.authSecret,
            log: ctx.log,
            env: { CUMULUS_DATA_DIR: dataDirs[i]!, CUMULUS_OUTBOX_INTERVAL_MS: "100", CRON_SECRET: cronSecret },
          }),
        ),
      )),
    );
    const [a, b] = servers as [NextServer, NextServer];
    ctx.log(`two servers on one database: ${a.baseUrl} and ${b.baseUrl}`);
    const ids = actionIds();
    const payables = await payableInvoices(owner);
    const email = payables[0]!.email;

    // ── Sessions: made on one, used on the other; logged out on one, refused by the other.
    for (const [made, other] of [[a, b], [b, a]] as const) {
      const cookie = await signIn(made.baseUrl, email, DEMO_PASSWORD);
      const there = await new Client(other.baseUrl, cookie).get("session", "/invoices");
      checks.equal(`a session made on ${made.baseUrl} opens /invoices on the other server`, there.status, 200);
      const out = await new Client(made.baseUrl, cookie).action("logout", "/", actionId(ids, "lib/actions/session.ts#logout"), [], {});
      checks.check(`logout on ${made.baseUrl}`, signedOut(out, made.baseUrl) || (out.status === 200 && /\/login/.test(out.redirect ?? "")), `${out.status} → ${out.redirect}`);
      const replay = await new Client(other.baseUrl, cookie).get("session", "/invoices");
      checks.check(`the old cookie on the other server after that logout`, signedOut(replay, other.baseUrl), `${replay.status} → ${replay.redirect ?? "(no redirect)"}`);
    }

    // ── Payments: one invoice, `payers` people at once, alternating between the servers.
    const invoice = payables[0]!;
    const cookie = await signIn(a.baseUrl, invoice.email, DEMO_PASSWORD);
    const pay = payIds(ids);
    const flows: FlowResult[] = await Promise.all(
      Array.from({ length: o.payers }, (_, i) => payInvoice(new Client(servers[i % 2]!.baseUrl, cookie), pay, invoice, { maxFailures: 5 })),
    );
    const [paid] = await owner<{ succeeded: string; charged: string; outstanding: string }[]>`
      select
        (select count(*) from payments p join payment_allocations pa on pa.payment_id = p.id
          where pa.invoice_id = i.id and p.state = 'succeeded')::text as succeeded,
        (select count(*) from sandbox_checkouts c join payment_allocations pa on pa.payment_id::text = c.merchant_reference
          where pa.invoice_id = i.id and c.status = 'succeeded')::text as charged,
        (i.total_minor - coalesce((select sum(pa.amount_minor) from payment_allocations pa join payments p on p.id = pa.payment_id
          where pa.invoice_id = i.id and p.state = 'succeeded'), 0))::text as outstanding
      from invoices i where i.number = ${invoice.number}`;
    const ledger = await readLedger(owner);
    const outcomes = new Map<string, number>();
    for (const f of flows) outcomes.set(f.outcome, (outcomes.get(f.outcome) ?? 0) + 1);
    const outcomeText = [...outcomes].map(([k, v]) => `${k} ${v}`).join(", ");
    checks.equal(`${o.payers} pays of one invoice through both servers: succeeded payments`, Number(paid!.succeeded), 1);
    checks.equal("cards charged for it", Number(paid!.charged), 1);
    checks.equal("left outstanding", Number(paid!.outstanding), 0);
    checks.equal("invoices charged or settled twice", ledger.invoicesChargedTwice, 0);
    checks.check("someone was told it was paid", (outcomes.get("acknowledged") ?? 0) >= 1, outcomeText);
    checks.equal("server errors (5xx) met by the payers", flows.reduce((s, f) => s + f.serverErrors, 0), 0);
    figures.payers = o.payers;
    figures.payOutcomes = outcomeText;

    // ── Email: queue messages while both send; the cron route on both at once as well.
    const queued = await owner<{ id: string }[]>`
      insert into email_outbox (kind, recipients, subject, text_body, dedupe_key)
      select 'notice', array['servers-' || g || '@example.com'], 'Several servers ' || g, 'Message ' || g, 'servers:' || g
      from generate_series(1, ${o.messages}) g
      returning id::text`;
    const mine = new Set(queued.map((r) => r.id));
    const cron = (s: NextServer) => fetch(`${s.baseUrl}/api/cron/outbox`, { headers: { authorization: `Bearer ${cronSecret}` } }).then((r) => r.status);
    const deadline = Date.now() + 60_000;
    const cronStatuses: number[] = [];
    for (;;) {
      cronStatuses.push(...(await Promise.all([cron(a), cron(b)])));
      const [left] = await owner<{ n: string }[]>`select count(*)::text as n from email_outbox where dedupe_key like 'servers:%' and status <> 'sent'`;
      if (Number(left!.n) === 0 || Date.now() > deadline) break;
      await sleep(50);
    }
    const sentBy = dataDirs.map((dir) => {
      const mailDir = path.join(dir, "mail");
      const files = fs.existsSync(mailDir) ? fs.readdirSync(mailDir).filter((f) => f.endsWith(".eml")) : [];
      return files.map((f) => /-(\d+)\.eml$/.exec(f)?.[1]).filter((id): id is string => id !== undefined && mine.has(id));
    });
    const copies = new Map<string, number>();
    for (const id of sentBy.flat()) copies.set(id, (copies.get(id) ?? 0) + 1);
    const [deliveries] = await owner<{ twice: string; sent: string }[]>`
      select
        (select count(*) from (select outbox_id from email_deliveries d join email_outbox m on m.id = d.outbox_id
          where m.dedupe_key like 'servers:%' group by outbox_id having count(*) > 1) x)::text as twice,
        (select count(*) from email_outbox where dedupe_key like 'servers:%' and status = 'sent')::text as sent`;
    checks.equal(`${o.messages} queued messages marked sent`, Number(deliveries!.sent), o.messages);
    checks.equal("messages written out (across both servers)", copies.size, o.messages);
    checks.equal("messages sent more than once", [...copies.values()].filter((n) => n > 1).length, 0);
    checks.equal("messages with more than one delivery row", Number(deliveries!.twice), 0);
    checks.check("both servers sent", sentBy.every((s) => s.length > 0), `${sentBy[0]!.length} + ${sentBy[1]!.length}`);
    checks.check("the cron route answered 200 on both", cronStatuses.every((s) => s === 200), `${cronStatuses.length} calls: ${[...new Set(cronStatuses)].join(", ")}`);
    figures.messages = o.messages;
    figures.sentByFirst = sentBy[0]!.length;
    figures.sentBySecond = sentBy[1]!.length;

    return {
      name: "several servers, one database (2 servers)",
      summary:
        `sessions shared and logouts honoured across servers; ${o.payers} pays of one invoice → ${paid!.succeeded} payment, ${paid!.charged} charge (${outcomeText}); ` +
        `${o.messages} messages sent ${copies.size} times in all (${sentBy[0]!.length} + ${sentBy[1]!.length})`,
      checks: checks.list,
      seconds: (Date.now() - started) / 1000,
      figures,
    };
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    await owner.end({ timeout: 5 });
    for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
    if (!ctx.keep) await dropDatabase(ctx.adminUrl, dbName).catch(() => {});
  }
}
