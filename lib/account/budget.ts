/** The account's Monthly budget in Settings, and the alerts it has sent this month. */
import { and, asc, eq, sql } from "drizzle-orm";
import type { Database, Executor } from "@/db/client";
import { accounts, budgetAlerts, emailOutbox } from "@/db/schema";
import { audit } from "@/lib/audit";
import type { BudgetThreshold } from "@/lib/billing/budget";

export type BudgetChange = { ok: true; changed: boolean } | { ok: false; message: string };

/**
 * Sets (or, with null, clears) the account's monthly budget, with an audit row (before and
 * after) in the same transaction; the same amount again writes nothing. The caller has parsed
 * the amount in the account's currency; the database refuses anything not positive.
 */
export async function updateMonthlyBudget(db: Database, accountId: string, actorUserId: string, budgetMinor: bigint | null): Promise<BudgetChange> {
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select({ monthlyBudgetMinor: accounts.monthlyBudgetMinor, currency: accounts.currency })
      .from(accounts)
      .where(eq(accounts.id, accountId))
      .for("update");
    if (!before) return { ok: false as const, message: "Account not found." };
    const changed = await tx
      .update(accounts)
      .set({ monthlyBudgetMinor: budgetMinor, updatedAt: sql`now()` })
      .where(and(eq(accounts.id, accountId), sql`${accounts.monthlyBudgetMinor} is distinct from ${budgetMinor?.toString() ?? null}::bigint`))
      .returning({ id: accounts.id });
    if (changed.length === 0) return { ok: true as const, changed: false };
    await audit(tx, {
      accountId,
      actorUserId,
      action: "account.monthly_budget_changed",
      entityType: "account",
      entityId: accountId,
      before: { monthlyBudgetMinor: before.monthlyBudgetMinor?.toString() ?? null, currency: before.currency },
      after: { monthlyBudgetMinor: budgetMinor?.toString() ?? null, currency: before.currency },
    });
    return { ok: true as const, changed: true };
  });
}

export type BudgetAlertSent = {
  thresholdPercent: BudgetThreshold;
  /** When the check queued the alert. */
  queuedAt: Date;
  /** When the outbox handed it to the mail server; null while it waits, or when it could not go (see status). */
  sentAt: Date | null;
  status: "pending" | "sending" | "sent" | "failed" | "no_billing_address";
};

/** The account's monthly budget in minor units, or null when none is set. */
export async function monthlyBudgetOf(db: Executor, accountId: string): Promise<bigint | null> {
  const [account] = await db.select({ monthlyBudgetMinor: accounts.monthlyBudgetMinor }).from(accounts).where(eq(accounts.id, accountId));
  return account?.monthlyBudgetMinor ?? null;
}

/** The account's budget with the alerts of the month starting `month`; null for an unknown account. */
export async function budgetOfMonth(db: Executor, accountId: string, month: string) {
  const [[account], alerts] = await Promise.all([
    db.select({ monthlyBudgetMinor: accounts.monthlyBudgetMinor, currency: accounts.currency }).from(accounts).where(eq(accounts.id, accountId)),
    budgetAlertsOfMonth(db, accountId, month),
  ]);
  return account ? { ...account, alerts } : null;
}

/** The alerts of the month starting `month` (an ISO date, first of the month), lowest threshold first. */
export async function budgetAlertsOfMonth(db: Executor, accountId: string, month: string): Promise<BudgetAlertSent[]> {
  const rows = await db
    .select({ thresholdPercent: budgetAlerts.thresholdPercent, queuedAt: budgetAlerts.createdAt, sentAt: emailOutbox.sentAt, status: emailOutbox.status })
    .from(budgetAlerts)
    .leftJoin(emailOutbox, eq(emailOutbox.id, budgetAlerts.outboxId))
    .where(and(eq(budgetAlerts.accountId, accountId), eq(budgetAlerts.month, month)))
    .orderBy(asc(budgetAlerts.thresholdPercent));
  return rows.map((r) => ({
    thresholdPercent: r.thresholdPercent as BudgetThreshold,
    queuedAt: r.queuedAt,
    sentAt: r.sentAt,
    status: r.status ?? "no_billing_address",
  }));
}
