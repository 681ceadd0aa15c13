/**
 * The payment engine's guarantees: one pending attempt per invoice, idempotent retries, a
 * callback applied once however often and in whatever order it arrives, verified signatures
 * and timestamps, refused mismatches. Races are real only on PostgreSQL: the concurrent cases
 * run there (CI runs this file on both drivers).
 */
import crypto from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { beforeEach, describe, expect, it } from "vitest";
import { rows } from "@/db/client";
import { auditEvents, invoices, paymentEvents, payments, sandboxCheckouts } from "@/db/schema";
import { outstandingMinorSql } from "@/lib/invoices/balance";
import { paymentResultPath, startCardCheckout } from "@/lib/payments/checkout";
import { applyOutcome, attachCheckout, beginCardPayment, OPEN_STATES, reconcilePayment, STRANDED_AFTER_SECONDS, strandedPayment } from "@/lib/payments/engine";
import { WebhookVerificationError, type PaymentProvider } from "@/lib/payments/provider";
import {
  decideCard,
  sandboxEventBody,
  sandboxProvider,
  settleSandboxCheckout,
  signSandboxPayload,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
} from "@/lib/payments/sandbox";
import { setupTestDatabase } from "../setup/db";
import { invoiceFacts, freshDemo, outstandingOf as outstandingOfInvoice } from "./helpers";

const TODAY = "2026-11-25";
const { db, kind } = await setupTestDatabase();

let accountId = "";
let userId = "";
let overdue: { number: number; outstandingMinor: bigint }[] = [];

beforeEach(async () => {
  ({ accountId, userId, owed: overdue } = await freshDemo(db, TODAY));
});

const outstandingOf = (number: number) => outstandingOfInvoice(db, number);

async function startAndCheckout(number: number, amount: bigint, key = crypto.randomUUID()) {
  const r = await beginCardPayment(db, { accountId, userId, numbers: [number], expectedAmountMinor: amount, idempotencyKey: key, provider: "sandbox" });
  if (r.kind !== "created") return r;
  const c = await sandboxProvider.createCheckout({ paymentId: r.paymentId, amountMinor: r.amountMinor, currency: r.currency, description: "t", returnUrl: "http://x/" });
  await attachCheckout(db, r.paymentId, c.providerReference);
  return { ...r, providerReference: c.providerReference };
}

function signedHeaders(body: string, timestamp = Math.floor(Date.now() / 1000), secret?: string) {
  return new Headers({ [SIGNATURE_HEADER]: signSandboxPayload(body, timestamp, secret), [TIMESTAMP_HEADER]: String(timestamp) });
}

describe("beginCardPayment", () => {
  it("records a pending attempt for exactly what is outstanding", async () => {
    const target = overdue[0]!;
    const r = await startAndCheckout(target.number, target.outstandingMinor);
    expect(r.kind).toBe("created");
    const [p] = await db.select().from(payments).where(eq(payments.state, "pending"));
    expect(p!.amountMinor).toBe(target.outstandingMinor);
    const [a] = await db.select().from(auditEvents).where(eq(auditEvents.action, "payment.started"));
    expect(a!.actorUserId).toBe(userId);
  });

  it("refuses an amount that differs from what is outstanding, a paid invoice, and a foreign one", async () => {
    const target = overdue[0]!;
    const wrong = await beginCardPayment(db, { accountId, userId, numbers: [target.number], expectedAmountMinor: target.outstandingMinor - 1n, idempotencyKey: crypto.randomUUID(), provider: "sandbox" });
    expect(wrong).toMatchObject({ kind: "refused", reason: "amount_changed" });
    const paid = (await invoiceFacts(db)).find((f) => f.account === "Example Cloud Customer AB" && f.outstandingMinor === 0n)!;
    const none = await beginCardPayment(db, { accountId, userId, numbers: [paid.number], expectedAmountMinor: 1n, idempotencyKey: crypto.randomUUID(), provider: "sandbox" });
    expect(none).toMatchObject({ kind: "refused", reason: "nothing_outstanding" });
    const foreign = (await invoiceFacts(db)).find((f) => f.account === "Other Tenant Oy")!;
    const f = await beginCardPayment(db, { accountId, userId, numbers: [foreign.number], expectedAmountMinor: foreign.totalMinor, idempotencyKey: crypto.randomUUID(), provider: "sandbox" });
    expect(f).toMatchObject({ kind: "refused", reason: "not_found" });
    expect(await db.$count(payments, eq(payments.state, "pending"))).toBe(0);
  });

  it("returns the pending attempt instead of starting a second, and the first result for a retried key", async () => {
    const target = overdue[0]!;
    const key = crypto.randomUUID();
    const first = await startAndCheckout(target.number, target.outstandingMinor, key);
    const again = await beginCardPayment(db, { accountId, userId, numbers: [target.number], expectedAmountMinor: target.outstandingMinor, idempotencyKey: crypto.randomUUID(), provider: "sandbox" });
    expect(again.kind).toBe("in_progress");
    const replay = await beginCardPayment(db, { accountId, userId, numbers: [target.number], expectedAmountMinor: target.outstandingMinor, idempotencyKey: key, provider: "sandbox" });
    expect(replay).toMatchObject({ kind: "existing", paymentId: (first as { paymentId: string }).paymentId });
  });

  it("writes the payment, one allocation per invoice and the audit row together", async () => {
    const [a, b] = overdue;
    const r = await beginCardPayment(db, { accountId, userId, numbers: [b!.number, a!.number], expectedAmountMinor: a!.outstandingMinor + b!.outstandingMinor, idempotencyKey: crypto.randomUUID(), provider: "sandbox" });
    expect(r).toMatchObject({ kind: "created", amountMinor: a!.outstandingMinor + b!.outstandingMinor, currency: "EUR" });
    const paymentId = (r as { paymentId: string }).paymentId;
    const allocations = await rows<{ number: string; amount: string }>(
      db,
      sql`select i.number::text as number, pa.amount_minor::text as amount from payment_allocations pa join invoices i on i.id = pa.invoice_id
          where pa.payment_id = ${paymentId} order by i.number`,
    );
    const expected = [a!, b!].sort((x, y) => x.number - y.number).map((o) => ({ number: String(o.number), amount: o.outstandingMinor.toString() }));
    expect(allocations).toEqual(expected);
    const [started] = await db.select().from(auditEvents).where(and(eq(auditEvents.action, "payment.started"), eq(auditEvents.entityId, paymentId)));
    expect(started).toMatchObject({ accountId, actorUserId: userId, entityType: "payment", before: null });
    expect(started!.after).toEqual({
      provider: "sandbox",
      amountMinor: (a!.outstandingMinor + b!.outstandingMinor).toString(),
      currency: "EUR",
      invoices: [a!.number, b!.number].sort((x, y) => x - y),
    });
  });

  it("the database function computes the outstanding amount and the open states as the code does", async () => {
    // begin_card_payment (db/migrations/0005) carries copies of both: a change to either in the
    // code fails here until a new migration replaces the function.
    const [fn] = await rows<{ src: string }>(db, sql`select prosrc as src from pg_proc where proname = 'begin_card_payment'`);
    const squash = (text: string) => text.replace(/\s+/g, " ").trim();
    const stale = "begin_card_payment holds an old copy: replace the function in a new migration";
    expect(squash(fn!.src), stale).toContain(squash(new PgDialect().sqlToQuery(outstandingMinorSql).sql));
    expect(squash(fn!.src), stale).toContain(`p.state in (${OPEN_STATES.map((s) => `'${s}'`).join(", ")})`);
  });
});

describe("callbacks", () => {
  it("a signed success callback settles the invoice once, whatever replays follow", async () => {
    const target = overdue[0]!;
    const r = (await startAndCheckout(target.number, target.outstandingMinor)) as { providerReference: string };
    const row = await settleSandboxCheckout(r.providerReference, decideCard("4242424242424242"));
    const body = sandboxEventBody(row!.id, "succeeded", row!.amountMinor, row!.currency, null);
    const event = await sandboxProvider.verifyWebhook(body, signedHeaders(body));
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await applyOutcome(db, "sandbox", event));
    expect(results).toEqual(["changed", "duplicate", "duplicate"]);
    expect(await outstandingOf(target.number)).toBe(0n);
    expect(await db.$count(payments, eq(payments.state, "succeeded"))).toBeGreaterThan(0);
  });

  it("a late failure after success, and a mismatched amount, change nothing", async () => {
    const target = overdue[0]!;
    const r = (await startAndCheckout(target.number, target.outstandingMinor)) as { providerReference: string; paymentId: string };
    const mismatch = await applyOutcome(db, "sandbox", { eventId: "evt_mismatch", type: "checkout.succeeded", providerReference: r.providerReference, state: "succeeded", amountMinor: target.outstandingMinor + 100n, currency: "EUR" });
    expect(mismatch).toBe("mismatch");
    const wrongCurrency = await applyOutcome(db, "sandbox", { eventId: "evt_currency", type: "checkout.succeeded", providerReference: r.providerReference, state: "succeeded", amountMinor: target.outstandingMinor, currency: "SEK" });
    expect(wrongCurrency).toBe("mismatch");
    expect(await outstandingOf(target.number)).toBe(target.outstandingMinor);
    const recorded = await db.select({ outcome: paymentEvents.outcome }).from(paymentEvents);
    expect(recorded.map((e) => e.outcome).sort()).toEqual(["mismatch", "mismatch"]);
    expect(await db.$count(auditEvents, eq(auditEvents.action, "payment.mismatch_refused"))).toBe(2);

    expect(await applyOutcome(db, "sandbox", { eventId: "evt_ok", type: "checkout.succeeded", providerReference: r.providerReference, state: "succeeded", amountMinor: target.outstandingMinor, currency: "EUR" })).toBe("changed");
    expect(await applyOutcome(db, "sandbox", { eventId: "evt_late_fail", type: "checkout.failed", providerReference: r.providerReference, state: "failed", amountMinor: target.outstandingMinor, currency: "EUR", failureReason: "late" })).toBe("unchanged");
    const [p] = await db.select({ state: payments.state }).from(payments).where(eq(payments.id, r.paymentId));
    expect(p!.state).toBe("succeeded");
  });

  it("a declined card leaves the invoice outstanding and lets a new attempt start", async () => {
    const target = overdue[0]!;
    const r = (await startAndCheckout(target.number, target.outstandingMinor)) as { providerReference: string; paymentId: string };
    await settleSandboxCheckout(r.providerReference, decideCard("4000000000000002"));
    // The callback was lost: asking the provider settles it (the return page and the reconcile job do this).
    expect(await reconcilePayment(db, sandboxProvider, r.paymentId)).toBe("changed");
    const [p] = await db.select({ state: payments.state, reason: payments.failureReason }).from(payments).where(eq(payments.id, r.paymentId));
    expect(p).toEqual({ state: "failed", reason: "Your card was declined." });
    expect(await outstandingOf(target.number)).toBe(target.outstandingMinor);
    expect((await startAndCheckout(target.number, target.outstandingMinor)).kind).toBe("created");
  });

  it("rejects a bad signature, an old timestamp and a foreign secret", async () => {
    const body = sandboxEventBody(crypto.randomUUID(), "succeeded", 100n, "EUR", null);
    const now = Math.floor(Date.now() / 1000);
    await expect(sandboxProvider.verifyWebhook(body, new Headers({ [SIGNATURE_HEADER]: "0".repeat(64), [TIMESTAMP_HEADER]: String(now) }))).rejects.toThrow(WebhookVerificationError);
    await expect(sandboxProvider.verifyWebhook(body, signedHeaders(body, now - 6 * 60))).rejects.toThrow(/timestamp/);
    await expect(sandboxProvider.verifyWebhook(body, signedHeaders(body, now, "another-secret"))).rejects.toThrow(/signature/);
    await expect(sandboxProvider.verifyWebhook(body + " ", signedHeaders(body, now))).rejects.toThrow(/signature/);
    await expect(sandboxProvider.verifyWebhook(body, signedHeaders(body, now))).resolves.toMatchObject({ state: "succeeded" });
  });

  it("never stores a card number", async () => {
    const target = overdue[0]!;
    const r = (await startAndCheckout(target.number, target.outstandingMinor)) as { providerReference: string };
    await settleSandboxCheckout(r.providerReference, decideCard("4242 4242 4242 4242"));
    const [row] = await db.select().from(sandboxCheckouts).where(eq(sandboxCheckouts.id, r.providerReference));
    expect(row!.cardLast4).toBe("4242");
    const dump = JSON.stringify(await db.execute(sql`select * from sandbox_checkouts, payments, payment_events, audit_events`), (_k, v) => (typeof v === "bigint" ? v.toString() : v));
    expect(dump).not.toContain("4242424242424242");
  });
});

describe.runIf(kind === "postgres")("concurrency (PostgreSQL)", () => {
  it("100 concurrent pay requests for one invoice: one payment, settled once, outstanding 0", async () => {
    const target = overdue[0]!;
    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: 100 }, () =>
        beginCardPayment(db, { accountId, userId, numbers: [target.number], expectedAmountMinor: target.outstandingMinor, idempotencyKey: crypto.randomUUID(), provider: "sandbox" }),
      ),
    );
    const created = results.filter((r) => r.kind === "created");
    expect(created).toHaveLength(1);
    expect(results.filter((r) => r.kind === "in_progress")).toHaveLength(99);
    const paymentId = (created[0] as { paymentId: string }).paymentId;
    const checkout = await sandboxProvider.createCheckout({ paymentId, amountMinor: target.outstandingMinor, currency: "EUR", description: "t", returnUrl: "http://x/" });
    await attachCheckout(db, paymentId, checkout.providerReference);
    const event = { eventId: "evt_concurrent", type: "checkout.succeeded", providerReference: checkout.providerReference, state: "succeeded" as const, amountMinor: target.outstandingMinor, currency: "EUR" };
    // The same callback delivered 10 times at once, plus out-of-order stale ones.
    const deliveries = await Promise.all([
      ...Array.from({ length: 10 }, () => applyOutcome(db, "sandbox", event)),
      applyOutcome(db, "sandbox", { ...event, eventId: "evt_stale_processing", type: "checkout.processing", state: "processing" }),
    ]);
    expect(deliveries.slice(0, 10).filter((d) => d === "changed")).toHaveLength(1);
    expect(deliveries.slice(0, 10).filter((d) => d === "duplicate")).toHaveLength(9);
    console.log(`100 concurrent pay requests + 11 callbacks settled in ${(performance.now() - started).toFixed(0)} ms`);
    expect(await db.$count(payments, and(eq(payments.state, "succeeded"), eq(payments.id, paymentId)))).toBe(1);
    expect(await db.$count(payments, sql`${payments.state} <> 'succeeded' and ${payments.settledAt} is null and ${payments.providerReference} is not null`)).toBe(0);
    expect(await outstandingOf(target.number)).toBe(0n);
  });

  it("a card payment waiting on the lock sees a bank transfer committed meanwhile", async () => {
    const target = overdue[0]!;
    const [inv] = await db.select({ id: invoices.id }).from(invoices).where(eq(invoices.number, target.number));
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const transfer = db.transaction(async (tx) => {
      await tx.execute(sql`select id from invoices where id = ${inv!.id} for update`);
      const [p] = await tx
        .insert(payments)
        .values({ accountId, provider: "bank_transfer", method: "bank_transfer", state: "succeeded", amountMinor: target.outstandingMinor, currency: "EUR", providerReference: "stmt-race", settledAt: new Date() })
        .returning({ id: payments.id });
      await tx.execute(sql`insert into payment_allocations (payment_id, invoice_id, amount_minor) values (${p!.id}, ${inv!.id}, ${target.outstandingMinor})`);
      await held;
    });
    await new Promise((r) => setTimeout(r, 100));
    const card = beginCardPayment(db, { accountId, userId, numbers: [target.number], expectedAmountMinor: target.outstandingMinor, idempotencyKey: crypto.randomUUID(), provider: "sandbox" });
    await new Promise((r) => setTimeout(r, 200));
    release();
    await transfer;
    expect(await card).toMatchObject({ kind: "refused", reason: "nothing_outstanding" });
  });

  it("two overlapping multi-invoice payments never both take the same invoice", async () => {
    const [a, b] = overdue;
    const results = await Promise.all([
      beginCardPayment(db, { accountId, userId, numbers: [a!.number, b!.number], expectedAmountMinor: a!.outstandingMinor + b!.outstandingMinor, idempotencyKey: crypto.randomUUID(), provider: "sandbox" }),
      beginCardPayment(db, { accountId, userId, numbers: [b!.number, a!.number], expectedAmountMinor: a!.outstandingMinor + b!.outstandingMinor, idempotencyKey: crypto.randomUUID(), provider: "sandbox" }),
      beginCardPayment(db, { accountId, userId, numbers: [b!.number], expectedAmountMinor: b!.outstandingMinor, idempotencyKey: crypto.randomUUID(), provider: "sandbox" }),
    ]);
    expect(results.filter((r) => r.kind === "created")).toHaveLength(1);
    const [{ n }] = (await db.execute(sql`select count(*)::int as n from payments where state = 'pending'`)) as unknown as [{ n: number }];
    expect(n).toBe(1);
  });

  it("a retried submission racing its first request gets the first result, for the same or other invoices", async () => {
    const [a] = overdue;
    const key = crypto.randomUUID();
    const same = await Promise.all(
      Array.from({ length: 5 }, () => beginCardPayment(db, { accountId, userId, numbers: [a!.number], expectedAmountMinor: a!.outstandingMinor, idempotencyKey: key, provider: "sandbox" })),
    );
    const created = same.filter((r) => r.kind === "created");
    expect(created).toHaveLength(1);
    const firstId = (created[0] as { paymentId: string }).paymentId;
    expect(same.filter((r) => r.kind === "existing" && r.paymentId === firstId)).toHaveLength(4);

    // The same key for other invoices at once (a forged or confused request): the two lock
    // different invoices, so only the key's unique index makes one wait for the other.
    const [c, d] = overdue.slice(1);
    const other = crypto.randomUUID();
    const mixed = await Promise.all(
      [c!, d!].map((o) => beginCardPayment(db, { accountId, userId, numbers: [o.number], expectedAmountMinor: o.outstandingMinor, idempotencyKey: other, provider: "sandbox" })),
    );
    const made = mixed.find((r) => r.kind === "created") as { paymentId: string } | undefined;
    expect(made).toBeDefined();
    expect(mixed.find((r) => r !== made)).toMatchObject({ kind: "existing", paymentId: made!.paymentId });
  });
});

describe("invoices stay immutable", () => {
  it("a payment changes no invoice row", async () => {
    const before = await db.select().from(invoices).orderBy(invoices.number);
    const target = overdue[0]!;
    const r = (await startAndCheckout(target.number, target.outstandingMinor)) as { providerReference: string };
    await applyOutcome(db, "sandbox", { eventId: "e1", type: "x", providerReference: r.providerReference, state: "succeeded", amountMinor: target.outstandingMinor, currency: "EUR" });
    expect(await db.select().from(invoices).orderBy(invoices.number)).toEqual(before);
  });
});

describe("a checkout that was never created", () => {
  it("is found after STRANDED_AFTER_SECONDS, with what a checkout needs; not before, nor once it has one", async () => {
    const [a, b] = overdue as [(typeof overdue)[0], (typeof overdue)[0]];
    const r = await beginCardPayment(db, { accountId, userId, numbers: [b.number, a.number], expectedAmountMinor: a.outstandingMinor + b.outstandingMinor, idempotencyKey: crypto.randomUUID(), provider: "sandbox" });
    expect(r.kind).toBe("created");
    const { paymentId } = r as { paymentId: string };
    const later = new Date(Date.now() + (STRANDED_AFTER_SECONDS + 5) * 1000);
    // Just recorded: its request may still be creating the checkout.
    expect(await strandedPayment(db, accountId, paymentId)).toBeNull();
    const stranded = await strandedPayment(db, accountId, paymentId, later);
    expect(stranded).toMatchObject({ id: paymentId, amountMinor: a.outstandingMinor + b.outstandingMinor, numbers: [a.number, b.number].sort((x, y) => x - y) });
    // Another account's user never gets it.
    const [other] = await db.select({ id: invoices.accountId }).from(invoices).where(sql`${invoices.accountId} <> ${accountId}`).limit(1);
    expect(await strandedPayment(db, other!.id, paymentId, later)).toBeNull();
    // Once the checkout is attached (the retry created it), it is an ordinary payment in progress.
    const c = await sandboxProvider.createCheckout({ paymentId, amountMinor: stranded!.amountMinor, currency: stranded!.currency, description: "t", returnUrl: "http://x/" });
    await attachCheckout(db, paymentId, c.providerReference);
    expect(await strandedPayment(db, accountId, paymentId, later)).toBeNull();
    // Creating its checkout again returns the same one: the provider keys it by our payment id.
    const again = await sandboxProvider.createCheckout({ paymentId, amountMinor: stranded!.amountMinor, currency: stranded!.currency, description: "t", returnUrl: "http://x/" });
    expect(again.providerReference).toBe(c.providerReference);
  });
});

describe("startCardCheckout (the Pay action)", () => {
  const ORIGIN = "https://billing.example.com";
  const start = (numbers: number[], amount: bigint, key = crypto.randomUUID(), provider: PaymentProvider = sandboxProvider) =>
    startCardCheckout(db, provider, { accountId, userId, numbers, expectedAmountMinor: amount, idempotencyKey: key, returnOrigin: ORIGIN });

  it("opens a checkout that returns to the result page, and answers a retried key with its first result", async () => {
    const [a, b] = overdue as [(typeof overdue)[0], (typeof overdue)[0]];
    expect(paymentResultPath("p1", [a.number])).toBe(`/invoices/${a.number}?payment=p1`);
    expect(paymentResultPath("p1", [a.number, b.number])).toBe("/invoices?payment=p1");
    const key = crypto.randomUUID();
    const first = await start([a.number], a.outstandingMinor, key);
    expect(first).toMatchObject({ kind: "checkout", checkoutUrl: expect.stringMatching(/^\/sandbox\/checkout\//) });
    const [payment] = await db.select().from(payments).where(eq(payments.idempotencyKey, key));
    const [checkout] = await db.select().from(sandboxCheckouts).where(eq(sandboxCheckouts.id, payment!.providerReference!));
    expect(checkout!.returnUrl).toBe(`${ORIGIN}/invoices/${a.number}?payment=${payment!.id}`);
    // Retried while open: the same checkout; another key for the same invoice: the one in progress.
    expect(await start([a.number], a.outstandingMinor, key)).toEqual(first);
    expect(await start([a.number], a.outstandingMinor)).toMatchObject({ kind: "in_progress", inProgressUrl: sandboxProvider.resumeUrl(payment!.providerReference!) });
    await applyOutcome(db, "sandbox", { providerReference: payment!.providerReference!, state: "succeeded", amountMinor: a.outstandingMinor, currency: payment!.currency });
    expect(await start([a.number], a.outstandingMinor, key)).toEqual({ kind: "result", resultPath: `/invoices/${a.number}?payment=${payment!.id}` });
  });

  it("creates the checkout of a stranded attempt on the next submission; a provider that cannot be reached fails the attempt", async () => {
    const [a] = overdue as [(typeof overdue)[0]];
    const r = await beginCardPayment(db, { accountId, userId, numbers: [a.number], expectedAmountMinor: a.outstandingMinor, idempotencyKey: crypto.randomUUID(), provider: "sandbox" });
    const { paymentId } = r as { paymentId: string };
    // Recorded, never checked out, and older than its request could still be.
    await db.update(payments).set({ createdAt: new Date(Date.now() - (STRANDED_AFTER_SECONDS + 5) * 1000) }).where(eq(payments.id, paymentId));
    const unreachable: PaymentProvider = { ...sandboxProvider, createCheckout: () => Promise.reject(new Error("connection refused")) };
    const refused = await start([a.number], a.outstandingMinor, crypto.randomUUID(), unreachable);
    expect(refused).toEqual({ kind: "refused", message: "The payment provider could not be reached. Nothing was charged; please try again." });
    expect((await db.select({ state: payments.state }).from(payments).where(eq(payments.id, paymentId)))[0]!.state).toBe("failed");

    const next = await beginCardPayment(db, { accountId, userId, numbers: [a.number], expectedAmountMinor: a.outstandingMinor, idempotencyKey: crypto.randomUUID(), provider: "sandbox" });
    const nextId = (next as { paymentId: string }).paymentId;
    await db.update(payments).set({ createdAt: new Date(Date.now() - (STRANDED_AFTER_SECONDS + 5) * 1000) }).where(eq(payments.id, nextId));
    expect(await start([a.number], a.outstandingMinor)).toMatchObject({ kind: "checkout" });
    const [recovered] = await db.select().from(payments).where(eq(payments.id, nextId));
    expect(recovered!.providerReference).not.toBeNull();
  });
});
