/**
 * The saved card's notices: in the expiry month one email, after it automatic payment off
 * (audited) and one email, each once however often the daily run goes; a removed card turns
 * automatic payment off and tells the Billing contacts in the removal's transaction. The emails
 * go to the account's verified Billing addresses only, and no other account is touched.
 */
import { and, eq } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { accounts, auditEvents, contactEmails, emailOutbox, savedCards } from "@/db/schema";
import { runCardNotices } from "@/lib/payments/card-notices";
import { removeSavedCard } from "@/lib/payments/saved-card";
import { setupTestDatabase } from "../setup/db";
import { freshDemo } from "./helpers";

const { db, kind, url } = await setupTestDatabase();
// Connections of their own, beside the pool, to hold a lock while a removal waits (PostgreSQL only).
const holder = kind === "postgres" ? postgres(url!, { max: 1, onnotice: () => {} }) : undefined;
const observer = kind === "postgres" ? postgres(url!, { max: 1, onnotice: () => {} }) : undefined;
afterAll(async () => {
  await Promise.all([holder?.end({ timeout: 1 }), observer?.end({ timeout: 1 })]);
});

let accountId = "";
let otherAccountId = "";
let userId = "";

async function saveCard(account: string, expiry: { month: number; year: number }, reference = `pm_${account.slice(0, 8)}`) {
  const row = { provider: "sandbox" as const, providerReference: reference, brand: "Visa", last4: "4242", expMonth: expiry.month, expYear: expiry.year };
  await db.insert(savedCards).values({ accountId: account, ...row }).onConflictDoUpdate({ target: savedCards.accountId, set: row });
}

const setAutomaticPayment = (account: string, on: boolean) => db.update(accounts).set({ automaticPayment: on }).where(eq(accounts.id, account));
const automaticPaymentOf = async (account: string) => (await db.select({ on: accounts.automaticPayment }).from(accounts).where(eq(accounts.id, account)))[0]!.on;
const notices = () =>
  db.select({ accountId: emailOutbox.accountId, recipients: emailOutbox.recipients, subject: emailOutbox.subject }).from(emailOutbox).where(eq(emailOutbox.kind, "card_notice")).orderBy(emailOutbox.id);
const switchOffs = () => db.select().from(auditEvents).where(eq(auditEvents.action, "automatic_payment.turned_off")).orderBy(auditEvents.id);

beforeEach(async () => {
  ({ accountId, otherAccountId, userId } = await freshDemo(db, "2026-11-25"));
  // Beside demo@example.com (Billing, Tech, DPO): a verified Tech-only address and an unverified one.
  await db.insert(contactEmails).values([
    { accountId, email: "tech@example.com", verifiedAt: new Date(), isTech: true },
    { accountId, email: "pending@example.com" },
  ]);
  await saveCard(accountId, { month: 12, year: 2026 });
  await saveCard(otherAccountId, { month: 12, year: 2030 });
  await setAutomaticPayment(otherAccountId, true);
});

describe("a card in its expiry month", () => {
  it("is announced once, in the expiry month, to the Billing contacts only", async () => {
    expect(await runCardNotices(db, { today: "2026-11-30" })).toMatchObject({ expiringQueued: 0, looked: 0 });
    expect(await notices()).toEqual([]);

    expect(await runCardNotices(db, { today: "2026-12-01" })).toMatchObject({ expiringQueued: 1, looked: 1 });
    await runCardNotices(db, { today: "2026-12-01" });
    expect(await runCardNotices(db, { today: "2026-12-20" })).toMatchObject({ expiringQueued: 0, alreadyDone: 1 });
    expect(await notices()).toEqual([{ accountId, recipients: ["demo@example.com"], subject: "Your saved card Visa •••• 4242 expires this month" }]);
    expect(await automaticPaymentOf(otherAccountId)).toBe(true);
  });

  it("a new card with the same expiry is announced again: once per card", async () => {
    await runCardNotices(db, { today: "2026-12-01" });
    await saveCard(accountId, { month: 12, year: 2026 }, "pm_new");
    expect(await runCardNotices(db, { today: "2026-12-02" })).toMatchObject({ expiringQueued: 1 });
    expect(await notices()).toHaveLength(2);
  });

  it("two runs at once queue one email", async () => {
    const [a, b] = await Promise.all([runCardNotices(db, { today: "2026-12-01" }), runCardNotices(db, { today: "2026-12-01" })]);
    expect(a.expiringQueued + b.expiringQueued).toBe(1);
    expect(await notices()).toHaveLength(1);
  });
});

describe("an expired card", () => {
  it("turns automatic payment off with an audit row and tells the Billing contacts, once", async () => {
    await setAutomaticPayment(accountId, true);
    await runCardNotices(db, { today: "2026-12-01" });
    expect(await runCardNotices(db, { today: "2027-01-01" })).toMatchObject({ expiredQueued: 1, automaticPaymentTurnedOff: 1 });
    expect(await automaticPaymentOf(accountId)).toBe(false);
    expect(await switchOffs()).toEqual([
      expect.objectContaining({ accountId, actorUserId: null, before: { automaticPayment: true }, after: { automaticPayment: false, reason: "card_expired" } }),
    ]);
    expect(await runCardNotices(db, { today: "2027-01-02" })).toMatchObject({ expiredQueued: 0, automaticPaymentTurnedOff: 0, alreadyDone: 1 });
    const sent = await notices();
    expect(sent.map((n) => n.subject)).toEqual(["Your saved card Visa •••• 4242 expires this month", "Your saved card Visa •••• 4242 has expired"]);
    expect(sent.every((n) => n.recipients.join() === "demo@example.com")).toBe(true);
    expect(await switchOffs()).toHaveLength(1);
    // Another account's automatic payment and card stay as they were.
    expect(await automaticPaymentOf(otherAccountId)).toBe(true);
    expect(sent.every((n) => n.accountId === accountId)).toBe(true);
  });

  it("turned on again with the expired card, automatic payment is turned off again, without a second email", async () => {
    await runCardNotices(db, { today: "2027-01-01" });
    await setAutomaticPayment(accountId, true);
    expect(await runCardNotices(db, { today: "2027-01-02" })).toMatchObject({ expiredQueued: 0, automaticPaymentTurnedOff: 1 });
    expect(await automaticPaymentOf(accountId)).toBe(false);
    expect(await switchOffs()).toHaveLength(1);
    expect(await notices()).toHaveLength(1);
  });

  it("a late first run sends only the latest notice, and says nothing of automatic payment that was off", async () => {
    expect(await runCardNotices(db, { today: "2027-03-10" })).toMatchObject({ expiringQueued: 0, expiredQueued: 1, automaticPaymentTurnedOff: 0 });
    const [only, ...rest] = await db.select().from(emailOutbox).where(eq(emailOutbox.kind, "card_notice"));
    expect(rest).toEqual([]);
    expect(only!.subject).toBe("Your saved card Visa •••• 4242 has expired");
    expect(only!.textBody).not.toContain("Automatic payment is now off");
    expect(await switchOffs()).toEqual([]);
  });

  it("an account without a verified Billing address gets automatic payment turned off and no email", async () => {
    await db.update(contactEmails).set({ isBilling: false }).where(eq(contactEmails.accountId, accountId));
    await setAutomaticPayment(accountId, true);
    expect(await runCardNotices(db, { today: "2027-01-01" })).toMatchObject({ expiredQueued: 0, automaticPaymentTurnedOff: 1, noBillingAddress: 1 });
    expect(await notices()).toEqual([]);
    expect(await automaticPaymentOf(accountId)).toBe(false);
  });
});

describe("removing the card", () => {
  it("turns automatic payment off and tells the Billing contacts, in the removal's transaction", async () => {
    await setAutomaticPayment(accountId, true);
    expect(await removeSavedCard(db, accountId, userId)).toMatchObject({ removed: true, automaticPaymentTurnedOff: true });
    expect(await automaticPaymentOf(accountId)).toBe(false);
    expect(await switchOffs()).toEqual([expect.objectContaining({ accountId, actorUserId: userId, after: { automaticPayment: false, reason: "card_removed" } })]);
    const [notice] = await db.select().from(emailOutbox).where(eq(emailOutbox.kind, "card_notice"));
    expect(notice).toMatchObject({ accountId, recipients: ["demo@example.com"], subject: "Your saved card Visa •••• 4242 was removed" });
    expect(notice!.textBody).toContain("Automatic payment is now off");
    // The removed card has no more notices.
    expect(await runCardNotices(db, { today: "2027-01-01" })).toMatchObject({ looked: 0 });
    expect(await automaticPaymentOf(otherAccountId)).toBe(true);
  });

  it("with automatic payment off, tells the Billing contacts without a switch-off; a failed removal writes nothing", async () => {
    await removeSavedCard(db, accountId, userId);
    expect(await switchOffs()).toEqual([]);
    expect(await notices()).toHaveLength(1);
    expect(await removeSavedCard(db, accountId, userId)).toEqual({ removed: false });
    expect(await notices()).toHaveLength(1);
  });

  it("a removal whose email cannot be queued is rolled back: card, switch and audit stay", async () => {
    await setAutomaticPayment(accountId, true);
    // A Billing address the outbox refuses makes the notice (the last write) throw.
    await db.update(contactEmails).set({ email: "not an address" }).where(and(eq(contactEmails.accountId, accountId), eq(contactEmails.isBilling, true)));
    await expect(removeSavedCard(db, accountId, userId)).rejects.toThrow(/Not an email address/);
    expect(await db.select().from(savedCards).where(eq(savedCards.accountId, accountId))).toHaveLength(1);
    expect(await automaticPaymentOf(accountId)).toBe(true);
    expect(await switchOffs()).toEqual([]);
  });
});

describe.skipIf(kind !== "postgres")("a removal beside the daily run", () => {
  it("takes the account row before it touches the card, so a run holding the account never sees a card half removed", async () => {
    let removal: ReturnType<typeof removeSavedCard> | undefined;
    await holder!.begin(async (run) => {
      // The daily run's applyNotice holds the account row while it decides on an "expired" notice.
      await run`select id from accounts where id = ${accountId} for update`;
      removal = removeSavedCard(db, accountId, userId);
      for (let i = 0; ; i++) {
        const [waiting] = await observer!<{ n: number }[]>`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`;
        if (waiting!.n === 1) break;
        if (i > 500) throw new Error("the removal never waited for the account row");
        await new Promise((r) => setTimeout(r, 10));
      }
      // The card is untouched (no delete under way holds it): the removal waits its turn.
      const cards = await observer!`select id from saved_cards where account_id = ${accountId} for update nowait`;
      expect(cards).toHaveLength(1);
    });
    expect(await removal).toMatchObject({ removed: true });
    expect(await db.select().from(savedCards).where(eq(savedCards.accountId, accountId))).toEqual([]);
  });
});
