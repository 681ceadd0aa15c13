/**
 * The reconcile job: a checkout the provider settled whose callback never came is settled by
 * asking the provider; an attempt whose checkout was never created stops blocking its invoice
 * after 30 minutes; a callback racing the job still settles the payment once.
 */
import crypto from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { auditEvents, payments } from "@/db/schema";
import { applyOutcome, attachCheckout, beginCardPayment } from "@/lib/payments/engine";
import type { PaymentProvider } from "@/lib/payments/provider";
import { NEVER_CREATED_REASON, reconcileOpenPayments } from "@/lib/payments/reconcile";
import { decideCard, sandboxProvider, settleSandboxCheckout } from "@/lib/payments/sandbox";
import { runScript } from "@/scripts/lib/run-script";
import { setupTestDatabase } from "../setup/db";
import { freshDemo, outstandingOf as outstandingOfInvoice } from "./helpers";

const TODAY = "2026-11-25";
const { db, kind, url } = await setupTestDatabase();

let accountId = "";
let userId = "";
let owed: { number: number; outstandingMinor: bigint }[] = [];

beforeEach(async () => {
  ({ accountId, userId, owed: owed } = await freshDemo(db, TODAY));
});

const outstandingOf = (number: number) => outstandingOfInvoice(db, number);
const stateOf = async (id: string) => (await db.select({ state: payments.state, reason: payments.failureReason }).from(payments).where(eq(payments.id, id)))[0]!;
/** Pretends the payment was started `minutes` ago. */
const age = (id: string, minutes: number) =>
  db.update(payments).set({ createdAt: sql`now() - (${String(minutes)} || ' minutes')::interval` }).where(eq(payments.id, id));

async function begin(target: { number: number; outstandingMinor: bigint }) {
  const r = await beginCardPayment(db, { accountId, userId, numbers: [target.number], expectedAmountMinor: target.outstandingMinor, idempotencyKey: crypto.randomUUID(), provider: "sandbox" });
  if (r.kind !== "created") throw new Error(`expected a new payment, got ${r.kind}`);
  return r;
}

async function checkout(target: { number: number; outstandingMinor: bigint }) {
  const r = await begin(target);
  const c = await sandboxProvider.createCheckout({ paymentId: r.paymentId, amountMinor: r.amountMinor, currency: r.currency, description: "t", returnUrl: "http://x/" });
  await attachCheckout(db, r.paymentId, c.providerReference);
  return { paymentId: r.paymentId, providerReference: c.providerReference };
}

describe("reconcileOpenPayments", () => {
  it("settles a checkout the provider completed but whose callback never came, once", async () => {
    const target = owed[0]!;
    const c = await checkout(target);
    await settleSandboxCheckout(c.providerReference, decideCard("4242424242424242")); // no callback sent
    await age(c.paymentId, 5);
    const started = performance.now();
    const report = await reconcileOpenPayments(db, sandboxProvider);
    console.log(`reconcile run in ${(performance.now() - started).toFixed(0)} ms`);
    expect(report.changed).toEqual([{ paymentId: c.paymentId, providerReference: c.providerReference, before: "pending", after: "succeeded", result: "changed" }]);
    expect(await outstandingOf(target.number)).toBe(0n);
    expect(await db.$count(auditEvents, and(eq(auditEvents.action, "payment.succeeded"), eq(auditEvents.entityId, c.paymentId)))).toBe(1);
    // Nothing open any more: a second run checks nothing.
    expect((await reconcileOpenPayments(db, sandboxProvider)).checked).toBe(0);
  });

  it("leaves young payments to their callback, and reports a declined card and a still-open checkout", async () => {
    const [a, b, c] = owed as [typeof owed[0], typeof owed[0], typeof owed[0]];
    const young = await checkout(a);
    await settleSandboxCheckout(young.providerReference, decideCard("4242424242424242"));
    const declined = await checkout(b);
    await settleSandboxCheckout(declined.providerReference, decideCard("4000000000000002"));
    await age(declined.paymentId, 3);
    const open = await checkout(c);
    await age(open.paymentId, 3);

    const report = await reconcileOpenPayments(db, sandboxProvider, { olderThanMinutes: 2 });
    expect(report.checked).toBe(2);
    expect(report.changed.map((e) => [e.paymentId, e.after])).toEqual([[declined.paymentId, "failed"]]);
    expect(report.unchanged.map((e) => [e.paymentId, e.after, e.result])).toEqual([[open.paymentId, "pending", "unchanged"]]);
    expect(await stateOf(young.paymentId)).toMatchObject({ state: "pending" });
    expect(await stateOf(declined.paymentId)).toEqual({ state: "failed", reason: "Your card was declined." });
    expect(await outstandingOf(b.number)).toBe(b.outstandingMinor);

    // --older-than 0 takes the young one too.
    const now = await reconcileOpenPayments(db, sandboxProvider, { olderThanMinutes: 0 });
    expect(now.changed.map((e) => [e.paymentId, e.after])).toEqual([[young.paymentId, "succeeded"]]);
  });

  it("fails a payment whose checkout was never created after 30 minutes, so the invoice can be paid again", async () => {
    const [a, b] = owed as [typeof owed[0], typeof owed[0]];
    const stale = await begin(a); // the process died before the checkout existed
    await age(stale.paymentId, 31);
    const recent = await begin(b);
    await age(recent.paymentId, 10);
    // While it is open, the invoice is blocked.
    expect((await beginCardPayment(db, { accountId, userId, numbers: [a.number], expectedAmountMinor: a.outstandingMinor, idempotencyKey: crypto.randomUUID(), provider: "sandbox" })).kind).toBe("in_progress");

    const report = await reconcileOpenPayments(db, sandboxProvider);
    expect(report.changed).toEqual([{ paymentId: stale.paymentId, providerReference: null, before: "pending", after: "failed", result: "never_created" }]);
    expect(await stateOf(stale.paymentId)).toEqual({ state: "failed", reason: NEVER_CREATED_REASON });
    expect(await stateOf(recent.paymentId)).toMatchObject({ state: "pending" });
    const [row] = await db.select().from(auditEvents).where(and(eq(auditEvents.action, "payment.failed"), eq(auditEvents.entityId, stale.paymentId)));
    expect(row).toMatchObject({ accountId, before: { state: "pending" } });
    expect(await outstandingOf(a.number)).toBe(a.outstandingMinor);
    expect((await beginCardPayment(db, { accountId, userId, numbers: [a.number], expectedAmountMinor: a.outstandingMinor, idempotencyKey: crypto.randomUUID(), provider: "sandbox" })).kind).toBe("created");
  });

  it("a provider that cannot be reached is reported and does not stop the run", async () => {
    const [a, b] = owed as [typeof owed[0], typeof owed[0]];
    const first = await checkout(a);
    const second = await checkout(b);
    await settleSandboxCheckout(second.providerReference, decideCard("4242424242424242"));
    await age(first.paymentId, 10);
    await age(second.paymentId, 5);
    const flaky: PaymentProvider = {
      ...sandboxProvider,
      retrieve: async (ref) => {
        if (ref === first.providerReference) throw new Error("connect ECONNREFUSED");
        return sandboxProvider.retrieve(ref);
      },
    };
    const report = await reconcileOpenPayments(db, flaky);
    expect(report.errors).toEqual([expect.objectContaining({ paymentId: first.paymentId, result: "error", error: "connect ECONNREFUSED", after: "pending" })]);
    expect(report.changed.map((e) => e.paymentId)).toEqual([second.paymentId]);
  });
});

describe.runIf(kind === "postgres")("with PostgreSQL", () => {
  it("a callback arriving while the job runs: settled once", async () => {
    const target = owed[0]!;
    const c = await checkout(target);
    await settleSandboxCheckout(c.providerReference, decideCard("4242424242424242"));
    await age(c.paymentId, 5);
    const event = { eventId: "evt_race", type: "checkout.succeeded", providerReference: c.providerReference, state: "succeeded" as const, amountMinor: target.outstandingMinor, currency: "EUR" };
    const [jobs, callbacks] = await Promise.all([
      Promise.all([reconcileOpenPayments(db, sandboxProvider), reconcileOpenPayments(db, sandboxProvider)]),
      Promise.all(Array.from({ length: 5 }, () => applyOutcome(db, "sandbox", event))),
    ]);
    const changedByJobs = jobs.flatMap((r) => r.changed).filter((e) => e.result === "changed").length;
    const changedByCallbacks = callbacks.filter((r) => r === "changed").length;
    expect(changedByJobs + changedByCallbacks).toBe(1);
    expect(await db.$count(auditEvents, and(eq(auditEvents.action, "payment.succeeded"), eq(auditEvents.entityId, c.paymentId)))).toBe(1);
    expect(await outstandingOf(target.number)).toBe(0n);
  });

  it("npm run payments:reconcile prints what changed", async () => {
    const target = owed[0]!;
    const c = await checkout(target);
    await settleSandboxCheckout(c.providerReference, decideCard("4242424242424242"));
    await age(c.paymentId, 5);
    const started = performance.now();
    const out = await runScript("scripts/payments-reconcile.ts", ["--older-than", "2"], { DATABASE_URL: url!, PAYMENT_PROVIDER: "sandbox" }, { timeoutMs: 60_000 });
    console.log(`payments:reconcile CLI in ${(performance.now() - started).toFixed(0)} ms`);
    expect(out.stderr).toBe("");
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/Checked 1 open payment with provider sandbox: 1 changed/);
    expect(out.stdout).toContain(`payment ${c.paymentId}`);
    expect(out.stdout).toMatch(/pending → succeeded +\(changed\)/);
    expect(await outstandingOf(target.number)).toBe(0n);
  });
});
