/**
 * The reconcile job (`npm run payments:reconcile`): the safety net for lost callbacks.
 * - Open payments (pending, processing, requires_action) of the configured provider older than
 *   a few minutes are looked up at the provider and its answer is applied (reconcilePayment →
 *   applyOutcome: once, amount and currency checked).
 * - Open payments whose checkout never got a provider reference (the process died between
 *   recording the attempt and creating or recording the checkout) are failed after 30 minutes,
 *   so their invoices can be paid again. No provider knows them, so nothing can be charged: and
 *   a Stripe session created but never recorded was never shown to anyone. Not an off-session
 *   charge sent without an answer: it may have gone through, so it stays open until Pay with the
 *   saved card asks the provider again under the same key.
 * - Such an off-session charge (no provider reference) is looked for at the provider by the
 *   payment id it carries (Stripe: PaymentIntent search on metadata.paymentId); found, its answer
 *   is recorded and applied; not found, it stays open.
 */
import { and, asc, eq, inArray, isNotNull, isNull, lt, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { audit } from "@/lib/audit";
import { payments, type PaymentState } from "@/db/schema";
import { applyOutcome, attachCheckout, OPEN_STATES, reconcilePayment, type ApplyResult } from "./engine";
import type { PaymentProvider } from "./provider";

export const NEVER_CREATED_REASON = "The checkout was never created.";

export type ReconcileOptions = {
  /** Only payments created at least this long ago (the callback normally arrives within seconds). */
  olderThanMinutes?: number;
  /** Open payments without a provider reference are failed after this long. */
  abandonAfterMinutes?: number;
  /** At most this many payments per run (oldest first). */
  limit?: number;
};

export type ReconcileEntry = {
  paymentId: string;
  providerReference: string | null;
  before: PaymentState;
  after: PaymentState;
  result: ApplyResult | "not_open" | "never_created" | "not_found" | "error";
  error?: string;
};

export type ReconcileReport = {
  checked: number;
  changed: ReconcileEntry[];
  unchanged: ReconcileEntry[];
  errors: ReconcileEntry[];
};

const minutesAgo = (minutes: number) => sql`now() - (${String(minutes)} || ' minutes')::interval`;

export async function reconcileOpenPayments(db: Database, provider: PaymentProvider, opts: ReconcileOptions = {}): Promise<ReconcileReport> {
  const olderThan = opts.olderThanMinutes ?? 2;
  const abandonAfter = opts.abandonAfterMinutes ?? 30;
  const limit = opts.limit ?? 500;
  if (!(olderThan >= 0) || !(abandonAfter >= 0) || !Number.isInteger(limit) || limit < 1) throw new RangeError("invalid reconcile options");

  const report: ReconcileReport = { checked: 0, changed: [], unchanged: [], errors: [] };
  const stateOf = async (id: string) => (await db.select({ state: payments.state }).from(payments).where(eq(payments.id, id)))[0]!.state;
  const file = (e: ReconcileEntry) => (e.result === "error" ? report.errors : e.before !== e.after ? report.changed : report.unchanged).push(e);

  const open = await db
    .select({ id: payments.id, state: payments.state, providerReference: payments.providerReference })
    .from(payments)
    .where(
      and(
        eq(payments.provider, provider.name),
        inArray(payments.state, [...OPEN_STATES]),
        isNotNull(payments.providerReference),
        lt(payments.createdAt, minutesAgo(olderThan)),
      ),
    )
    .orderBy(asc(payments.createdAt))
    .limit(limit);
  for (const p of open) {
    report.checked++;
    try {
      const result = await reconcilePayment(db, provider, p.id);
      file({ paymentId: p.id, providerReference: p.providerReference, before: p.state, after: await stateOf(p.id), result });
    } catch (err) {
      // One unreachable lookup does not stop the run; the next run tries again.
      file({ paymentId: p.id, providerReference: p.providerReference, before: p.state, after: p.state, result: "error", error: err instanceof Error ? err.message : String(err) });
    }
  }

  for (const p of await unansweredOffSession(db, provider, olderThan, limit)) {
    report.checked++;
    try {
      const result = await findOffSessionAnswer(db, provider, p.id);
      file({ paymentId: p.id, providerReference: null, before: p.state, after: await stateOf(p.id), result });
    } catch (err) {
      file({ paymentId: p.id, providerReference: null, before: p.state, after: p.state, result: "error", error: err instanceof Error ? err.message : String(err) });
    }
  }

  // Any card provider: a payment no provider knows of is stuck whatever the configuration is now.
  const neverCreated = await db
    .select({ id: payments.id, state: payments.state })
    .from(payments)
    .where(
      and(
        inArray(payments.state, [...OPEN_STATES]),
        isNull(payments.providerReference),
        sql`${payments.channel} is distinct from 'off_session'`,
        lt(payments.createdAt, minutesAgo(abandonAfter)),
      ),
    )
    .orderBy(asc(payments.createdAt))
    .limit(limit);
  for (const p of neverCreated) {
    report.checked++;
    await failNeverCreated(db, p.id, p.state);
    file({ paymentId: p.id, providerReference: null, before: p.state, after: await stateOf(p.id), result: "never_created" });
  }
  return report;
}

/** Like failOpenPayment, but only while the payment still has no provider reference (a checkout recorded meanwhile wins). */
async function failNeverCreated(db: Database, paymentId: string, before: PaymentState): Promise<void> {
  await db.transaction(async (tx) => {
    const [updated] = await tx
      .update(payments)
      .set({ state: "failed", failureReason: NEVER_CREATED_REASON, updatedAt: sql`now()` })
      .where(and(eq(payments.id, paymentId), inArray(payments.state, [...OPEN_STATES]), isNull(payments.providerReference)))
      .returning({ accountId: payments.accountId });
    if (updated) {
      await audit(tx, {
        accountId: updated.accountId,
        actorUserId: null,
        action: "payment.failed",
        entityType: "payment",
        entityId: paymentId,
        before: { state: before },
        after: { state: "failed", reason: NEVER_CREATED_REASON, by: "reconcile" },
      });
    }
  });
}

/** Open off-session charges of the provider sent without an answer recorded (no provider reference). */
function unansweredOffSession(db: Database, provider: PaymentProvider, olderThanMinutes: number, limit: number) {
  return db
    .select({ id: payments.id, state: payments.state })
    .from(payments)
    .where(
      and(
        eq(payments.provider, provider.name),
        eq(payments.channel, "off_session"),
        inArray(payments.state, [...OPEN_STATES]),
        isNull(payments.providerReference),
        lt(payments.createdAt, minutesAgo(olderThanMinutes)),
      ),
    )
    .orderBy(asc(payments.createdAt))
    .limit(limit);
}

/** The provider's charge for the payment, found by its id, recorded and applied; `not_found` when it has none. */
async function findOffSessionAnswer(db: Database, provider: PaymentProvider, paymentId: string): Promise<ApplyResult | "not_found"> {
  const found = await provider.findOffSessionCharge(paymentId);
  if (!found) return "not_found";
  await attachCheckout(db, paymentId, found.providerReference);
  return applyOutcome(db, provider.name, found);
}
