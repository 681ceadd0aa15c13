/**
 * Payment reminders (lib/billing/remind.ts, `npm run billing:remind`): 7 days before the due
 * date, on it, 7 and 14 days after, each once per invoice (outbox dedupe key), to the verified
 * Billing addresses in the account's language; a late run sends the latest missed step once;
 * nothing for paid, credited or short-term steps before the invoice date; each account's own
 * date; two runs at once (PostgreSQL) and the command line.
 */
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { createPostgresHandle, rows } from "@/db/client";
import { invoices, paymentAllocations, payments } from "@/db/schema";
import { issueCreditNote } from "@/lib/billing/credit";
import { parsePeriod, previousPeriod } from "@/lib/billing/period";
import { queueReminders, type RemindSummary } from "@/lib/billing/remind";
import { runBilling } from "@/lib/billing/run";
import { addDays, accountToday } from "@/lib/dates";
import { resetTables, setupTestDatabase } from "../setup/db";
import { issued, makeAccount, outbox, runScript, type OutboxRow } from "./billing-fixtures";

const { db, kind, url } = await setupTestDatabase();
const OCTOBER = parsePeriod("2026-10");

beforeEach(async () => {
  await resetTables(db);
});

const reminders = async (): Promise<OutboxRow[]> => (await outbox(db)).filter((m) => m.kind === "reminder");
const queuedCount = (s: RemindSummary) => Object.values(s.queued).reduce((a, b) => a + b, 0);

/** One account's October invoice, issued 2026-11-01 with 30 days' terms: due 2026-12-01. */
async function invoiceDueDecemberFirst(spec: Partial<Parameters<typeof makeAccount>[1]> = {}) {
  const accountId = await makeAccount(db, { name: "Påminn AB", countryCode: "SE", ...spec }, OCTOBER.start);
  await runBilling(db, { period: OCTOBER, today: "2026-11-01" });
  const invoice = (await issued(db)).find((i) => i.accountId === accountId)!;
  expect(invoice.dueDate).toBe(addDays("2026-11-01", spec.paymentTermsDays ?? 30));
  return { accountId, invoice };
}

describe("the reminder steps", () => {
  it("queues each step on its day, once, to the verified Billing addresses, in the account's language", async () => {
    const { invoice } = await invoiceDueDecemberFirst({
      language: "sv",
      contacts: [
        { email: "ekonomi@paminn.example", billing: true },
        { email: "cfo@paminn.example", billing: true },
        { email: "drift@paminn.example", tech: true, dpo: true },
        { email: "ny@paminn.example", verified: false },
      ],
    });
    const run = (today: string) => queueReminders(db, { today });

    expect(queuedCount(await run("2026-11-23"))).toBe(0);
    const first = await run("2026-11-24");
    expect(first.queued).toEqual({ "due-7": 1, due: 0, "due+7": 0, "due+14": 0 });
    let sent = await reminders();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      recipients: ["cfo@paminn.example", "ekonomi@paminn.example"],
      subject: `Påminnelse: faktura ${invoice.number} från Cumulus förfaller 2026-12-01`,
      invoiceId: invoice.id, // the sender attaches the invoice's PDF
      dedupeKey: `reminder:${invoice.id}:due-7`,
    });
    expect(sent[0]!.textBody).toContain("om 7 dagar");

    // The same day again, and the days until the next step: nothing new.
    const again = await run("2026-11-24");
    expect(queuedCount(again)).toBe(0);
    expect(again.alreadySent).toBe(1);
    expect(queuedCount(await run("2026-11-30"))).toBe(0);

    expect((await run("2026-12-01")).queued.due).toBe(1);
    expect((await run("2026-12-08")).queued["due+7"]).toBe(1);
    expect((await run("2026-12-14")).queued["due+14"]).toBe(0);
    expect((await run("2026-12-15")).queued["due+14"]).toBe(1);
    expect(queuedCount(await run("2027-01-30"))).toBe(0); // no more after 14 days

    sent = await reminders();
    expect(sent.map((m) => m.dedupeKey!.split(":")[2])).toEqual(["due-7", "due", "due+7", "due+14"]);
    expect(sent[1]!.subject).toBe(`Påminnelse: faktura ${invoice.number} från Cumulus förfaller i dag`);
    expect(sent[3]!.subject).toBe(`Förfallen: faktura ${invoice.number} från Cumulus förföll 2026-12-01`);
    expect(sent[3]!.textBody).toContain("för 14 dagar sedan");
    for (const m of sent) expect(m.recipients).toEqual(["cfo@paminn.example", "ekonomi@paminn.example"]);
  });

  it("sends a missed step once when the run is late, never every missed step, and no earlier step after a later one", async () => {
    const { invoice } = await invoiceDueDecemberFirst();
    // Nothing ran for three weeks: only the latest step that has come is sent.
    const late = await queueReminders(db, { today: "2026-12-12" });
    expect(late.queued).toEqual({ "due-7": 0, due: 0, "due+7": 1, "due+14": 0 });
    const [m] = await reminders();
    expect(m!.dedupeKey).toBe(`reminder:${invoice.id}:due+7`);
    expect(m!.subject).toBe(`Overdue: invoice ${invoice.number} from Cumulus was due on 2026-12-01`);
    expect(m!.textBody).toContain("11 days ago"); // the real distance, not the step's 7 days
    expect(queuedCount(await queueReminders(db, { today: "2026-12-13" }))).toBe(0);
    // A run for an earlier day (an operator's --today) does not go back to an earlier step.
    expect(queuedCount(await queueReminders(db, { today: "2026-12-01" }))).toBe(0);
    expect(await reminders()).toHaveLength(1);
  });

  it("puts no step on or before the invoice date: with 3 days' terms the first reminder is on the due date", async () => {
    const { invoice } = await invoiceDueDecemberFirst({ paymentTermsDays: 3 });
    expect(invoice.dueDate).toBe("2026-11-04");
    expect(queuedCount(await queueReminders(db, { today: "2026-11-01" }))).toBe(0);
    expect(queuedCount(await queueReminders(db, { today: "2026-11-03" }))).toBe(0);
    expect((await queueReminders(db, { today: "2026-11-04" })).queued.due).toBe(1);
  });
});

describe("which invoices get reminders", () => {
  it("none for a paid invoice, a fully credited one or a credit note; a partly paid one says what is left", async () => {
    const paid = await makeAccount(db, { name: "Betald AB", countryCode: "SE" }, OCTOBER.start);
    const credited = await makeAccount(db, { name: "Krediterad AB", countryCode: "SE" }, OCTOBER.start);
    const partly = await makeAccount(db, { name: "Delvis AB", countryCode: "SE" }, OCTOBER.start);
    await runBilling(db, { period: OCTOBER, today: "2026-11-01" });
    const byAccount = new Map((await issued(db)).map((i) => [i.accountId, i]));
    const pay = async (accountId: string, amountMinor: bigint) => {
      const inv = byAccount.get(accountId)!;
      const [p] = await db
        .insert(payments)
        .values({ accountId, provider: "bank_transfer", method: "bank_transfer", state: "succeeded", amountMinor, currency: inv.currency, settledAt: new Date() })
        .returning({ id: payments.id });
      await db.insert(paymentAllocations).values({ paymentId: p!.id, invoiceId: inv.id, amountMinor });
    };
    await pay(paid, byAccount.get(paid)!.totalMinor);
    await pay(partly, 10_000n); // 100.00 of 278.13 EUR
    const full = byAccount.get(credited)!;
    const credit = await issueCreditNote(db, { number: String(full.number), amount: "278.13", reason: "Goodwill" }, { today: "2026-11-02" });
    expect(credit.ok).toBe(true);

    const s = await queueReminders(db, { today: "2026-11-24" });
    expect(s.queued["due-7"]).toBe(1);
    const sent = await reminders();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.invoiceId).toBe(byAccount.get(partly)!.id);
    expect(sent[0]!.textBody).toMatch(/Amount to pay:\s+178\.13 EUR/);
    expect(sent[0]!.textBody).toMatch(/Invoice total:\s+278\.13 EUR/);
  });

  it("sends none to an account without a verified Billing address, and counts it", async () => {
    await invoiceDueDecemberFirst({ contacts: [{ email: "drift@tyst.example", tech: true }] });
    const s = await queueReminders(db, { today: "2026-11-24" });
    expect(queuedCount(s)).toBe(0);
    expect(s.noBillingAddress).toBe(1);
    expect(await reminders()).toEqual([]);
  });

  it("goes by each account's own date in its time zone", async () => {
    // Kiritimati (UTC+14) is always a day or more ahead of Pago Pago (UTC−11).
    const ahead = accountToday("Pacific/Kiritimati");
    const behind = accountToday("Pacific/Pago_Pago");
    expect(ahead > behind).toBe(true);
    const issueDay = addDays(behind, -20);
    const period = previousPeriod(issueDay);
    const a = await makeAccount(db, { name: "Ahead Ltd", countryCode: "KI", timeZone: "Pacific/Kiritimati" }, period.start);
    await makeAccount(db, { name: "Behind Ltd", countryCode: "AS", timeZone: "Pacific/Pago_Pago" }, period.start);
    await runBilling(db, { period, today: issueDay });
    // Both due 7 days after Kiritimati's today: its first reminder day is today there, not yet in Pago Pago.
    await db.update(invoices).set({ dueDate: addDays(ahead, 7) });
    const s = await queueReminders(db);
    expect(s.queued["due-7"]).toBe(1);
    const [m] = await reminders();
    const [aInvoice] = await db.select({ id: invoices.id }).from(invoices).where(eq(invoices.accountId, a));
    expect(m!.invoiceId).toBe(aInvoice!.id);
    expect(s.looked).toBe(2); // Pago Pago's invoice was looked at: its day has not come there
  });
});

describe.runIf(kind === "postgres")("reminders from several places (PostgreSQL)", () => {
  const others: { close: () => Promise<void> }[] = [];
  afterAll(async () => {
    for (const o of others) await o.close();
  });

  it("two runs at once queue each step once", async () => {
    for (let i = 0; i < 12; i++) await makeAccount(db, { name: `Kund ${i} AB`, countryCode: "SE" }, OCTOBER.start);
    await runBilling(db, { period: OCTOBER, today: "2026-11-01" });
    const h = createPostgresHandle(url!, 4);
    others.push(h);
    const [x, y] = await Promise.all([
      queueReminders(db, { today: "2026-12-01", batchSize: 3 }),
      queueReminders(h.db, { today: "2026-12-01", batchSize: 3 }),
    ]);
    expect(queuedCount(x) + queuedCount(y)).toBe(12);
    const sent = await reminders();
    expect(sent).toHaveLength(12);
    expect(new Set(sent.map((m) => m.dedupeKey)).size).toBe(12);
  });

  it("npm run billing:remind queues them and says what it did; a bad --today exits 2", async () => {
    const { invoice } = await invoiceDueDecemberFirst();
    const ok = await runScript("scripts/billing-remind.ts", ["--today", "2026-12-08"], url!);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain("Reminders for 2026-12-08: 1 queued");
    expect((await reminders()).map((m) => m.dedupeKey)).toEqual([`reminder:${invoice.id}:due+7`]);
    const twice = await runScript("scripts/billing-remind.ts", ["--today", "2026-12-08"], url!);
    expect(twice.stdout).toContain("0 queued");
    expect(twice.stdout).toContain("1 already sent");
    const bad = await runScript("scripts/billing-remind.ts", ["--today", "2026-13-01"], url!);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--today must be a date like 2026-11-01");
    const [n] = await rows<{ n: string }>(db, sql`select count(*)::text as n from email_outbox where kind = 'reminder'`);
    expect(n!.n).toBe("1");
  }, 60_000);
});
