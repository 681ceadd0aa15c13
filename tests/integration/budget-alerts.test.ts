/**
 * Budget alerts: the month's spend (or its forecast) reaching 80 % and then 100 % of the monthly
 * budget queues one email per threshold and month to the Billing contacts, in the account's
 * language, however often the check runs and also when runs overlap (on PostgreSQL they run on
 * connections of their own, truly at once). Setting the budget is audited. PostgreSQL and PGlite.
 */
import { and, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { accounts, auditEvents, budgetAlerts, contactEmails, emailOutbox } from "@/db/schema";
import { budgetAlertsOfMonth, updateMonthlyBudget } from "@/lib/account/budget";
import { runBudgetCheck } from "@/lib/billing/budget-check";
import { resetTables, setupTestDatabase } from "../setup/db";
import { makeAccount, type UsageSpec } from "./billing-fixtures";

const { db } = await setupTestDatabase();

/** 1000 vCPU hours a day at 1.9 cents: 19.00 EUR a day, every day of October. */
const DAILY_USAGE: UsageSpec[] = Array.from({ length: 31 }, (_, i) => ({ product: "compute.vcpu", region: "sto1", quantity: "1000", usageDate: `2026-10-${String(i + 1).padStart(2, "0")}` }));

const alertEmails = () =>
  db.select({ accountId: emailOutbox.accountId, recipients: emailOutbox.recipients, subject: emailOutbox.subject, textBody: emailOutbox.textBody }).from(emailOutbox).where(eq(emailOutbox.kind, "budget_alert")).orderBy(emailOutbox.id);
const setBudget = (accountId: string, budgetMinor: bigint | null) => db.update(accounts).set({ monthlyBudgetMinor: budgetMinor }).where(eq(accounts.id, accountId));

beforeEach(async () => {
  await resetTables(db);
});

describe("the budget check", () => {
  it("tells the Billing contacts once at 80 % and once at 100 %, and nothing in a month below them", async () => {
    const id = await makeAccount(db, { name: "Budget AB", countryCode: "SE", usage: DAILY_USAGE }, "2026-10-01");
    const quiet = await makeAccount(db, { name: "No Budget AB", countryCode: "SE", usage: DAILY_USAGE }, "2026-10-01");
    // 45.00 EUR: the first two days (38.00 EUR, 84 %) reach 80 %; too early for a forecast.
    await setBudget(id, 4_500n);

    expect(await runBudgetCheck(db, { today: "2026-10-01" })).toEqual({ looked: 1, queued: { 80: 0, 100: 0 }, alreadySent: 0, noBillingAddress: 0 });
    expect(await runBudgetCheck(db, { today: "2026-10-02" })).toMatchObject({ queued: { 80: 1, 100: 0 } });
    expect(await runBudgetCheck(db, { today: "2026-10-02" })).toMatchObject({ queued: { 80: 0, 100: 0 }, alreadySent: 1 });
    expect(await runBudgetCheck(db, { today: "2026-10-03" })).toMatchObject({ queued: { 80: 0, 100: 1 }, alreadySent: 1 });
    expect(await runBudgetCheck(db, { today: "2026-10-31" })).toMatchObject({ queued: { 80: 0, 100: 0 }, alreadySent: 2 });
    // November has no usage yet: nothing reached, nothing sent.
    expect(await runBudgetCheck(db, { today: "2026-11-05" })).toMatchObject({ queued: { 80: 0, 100: 0 }, alreadySent: 0 });

    const emails = await alertEmails();
    expect(emails.map((e) => [e.accountId, e.recipients, e.subject])).toEqual([
      [id, ["billing@budget-ab.example"], "Budget alert: 80 % of your monthly budget for October 2026"],
      [id, ["billing@budget-ab.example"], "Budget alert: 100 % of your monthly budget for October 2026"],
    ]);
    expect(emails[0]!.textBody).toContain("38.00 EUR (84 % of the budget)");
    expect(emails.some((e) => e.accountId === quiet)).toBe(false);
    // Settings lists both, lowest first, waiting for the sender.
    expect((await budgetAlertsOfMonth(db, id, "2026-10-01")).map((a) => [a.thresholdPercent, a.status])).toEqual([
      [80, "pending"],
      [100, "pending"],
    ]);
    expect(await budgetAlertsOfMonth(db, id, "2026-11-01")).toEqual([]);
  });

  it("counts the forecast: a month on course to pass the budget is told before it is spent", async () => {
    const id = await makeAccount(db, { name: "Forecast AB", countryCode: "SE", usage: DAILY_USAGE }, "2026-10-01");
    // 500.00 EUR: ten days are 190.00 EUR (38 %), the month on that rate 589.00 EUR (117.8 %, shown as 117).
    await setBudget(id, 50_000n);
    expect(await runBudgetCheck(db, { today: "2026-10-10" })).toMatchObject({ queued: { 80: 1, 100: 1 } });
    const [, hundred] = await alertEmails();
    expect(hundred!.textBody).toContain("190.00 EUR (38 % of the budget)");
    expect(hundred!.textBody).toContain("589.00 EUR (117 % of the budget)");
  });

  it("writes in the account's language", async () => {
    const id = await makeAccount(db, { name: "Svensk AB", countryCode: "SE", language: "sv", usage: DAILY_USAGE }, "2026-10-01");
    await setBudget(id, 4_500n);
    await runBudgetCheck(db, { today: "2026-10-02" });
    const [email] = await alertEmails();
    expect(email!.subject).toBe("Budgetvarning: 80 % av månadsbudgeten för oktober 2026");
    expect(email!.textBody).toContain("38,00 EUR (84 % av budgeten)");
  });

  it("records nothing for a threshold reached without a verified Billing address, and sends it once one is verified", async () => {
    const id = await makeAccount(db, { name: "Unverified AB", countryCode: "SE", usage: DAILY_USAGE, contacts: [{ email: "new@unverified.example", billing: true, verified: false }] }, "2026-10-01");
    await setBudget(id, 4_500n);
    expect(await runBudgetCheck(db, { today: "2026-10-02" })).toMatchObject({ queued: { 80: 0, 100: 0 }, noBillingAddress: 1 });
    expect(await alertEmails()).toEqual([]);
    expect(await budgetAlertsOfMonth(db, id, "2026-10-01")).toEqual([]);

    await db.update(contactEmails).set({ verifiedAt: new Date("2026-10-02T12:00:00Z"), isBilling: true }).where(eq(contactEmails.accountId, id));
    expect(await runBudgetCheck(db, { today: "2026-10-02" })).toMatchObject({ queued: { 80: 1, 100: 0 }, noBillingAddress: 0 });
    expect((await alertEmails()).map((e) => e.recipients)).toEqual([["new@unverified.example"]]);
    expect((await budgetAlertsOfMonth(db, id, "2026-10-01")).map((a) => a.thresholdPercent)).toEqual([80]);
  });

  it("queues each alert once when checks overlap", async () => {
    const ids = await Promise.all(["Overlap A AB", "Overlap B AB"].map((name) => makeAccount(db, { name, countryCode: "SE", usage: DAILY_USAGE }, "2026-10-01")));
    for (const id of ids) await setBudget(id, 4_500n);
    const runs = await Promise.all(Array.from({ length: 4 }, () => runBudgetCheck(db, { today: "2026-10-31", batchSize: 1 })));
    expect(runs.reduce((sum, r) => sum + r.queued[80] + r.queued[100], 0)).toBe(4);
    expect(runs.reduce((sum, r) => sum + r.queued[80] + r.queued[100] + r.alreadySent, 0)).toBe(16);
    expect((await alertEmails()).map((e) => `${e.accountId}:${e.subject.slice(14, 19)}`).sort()).toEqual(
      ids.flatMap((id) => [`${id}:100 %`, `${id}:80 % `]).sort(),
    );
    for (const id of ids) expect(await db.select().from(budgetAlerts).where(eq(budgetAlerts.accountId, id))).toHaveLength(2);
  });
});

describe("setting the budget", () => {
  it("audits each change, writes nothing for the same amount, and clears with null", async () => {
    const id = await makeAccount(db, { name: "Audit AB", countryCode: "SE", usage: [] }, "2026-10-01");
    const changes = () => db.select({ before: auditEvents.before, after: auditEvents.after }).from(auditEvents).where(and(eq(auditEvents.accountId, id), eq(auditEvents.action, "account.monthly_budget_changed"))).orderBy(auditEvents.id);

    expect(await updateMonthlyBudget(db, id, null as unknown as string, 150_050n)).toEqual({ ok: true, changed: true });
    expect(await updateMonthlyBudget(db, id, null as unknown as string, 150_050n)).toEqual({ ok: true, changed: false });
    expect(await updateMonthlyBudget(db, id, null as unknown as string, null)).toEqual({ ok: true, changed: true });
    expect(await changes()).toEqual([
      { before: { monthlyBudgetMinor: null, currency: "EUR" }, after: { monthlyBudgetMinor: "150050", currency: "EUR" } },
      { before: { monthlyBudgetMinor: "150050", currency: "EUR" }, after: { monthlyBudgetMinor: null, currency: "EUR" } },
    ]);
  });

  it("is refused by the database when not positive", async () => {
    const id = await makeAccount(db, { name: "Zero AB", countryCode: "SE", usage: [] }, "2026-10-01");
    await expect(setBudget(id, 0n)).rejects.toThrow();
    await expect(setBudget(id, -100n)).rejects.toThrow();
  });
});
