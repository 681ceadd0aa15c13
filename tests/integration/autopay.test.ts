/**
 * Automatic payment (lib/payments/autopay) against a real database, through the sandbox provider:
 * each outstanding invoice is charged once on its due date (an overdue one at the next run),
 * never one that is paid, credited in full or being paid, never another account's, never more
 * than is outstanding, once across two concurrent runs and across a run stopped half-way; soft
 * declines are retried 1, 3 and 7 days after the first attempt, hard ones end the attempts; the
 * Billing contacts get the notice, the receipt and the failure email; reminders wait; every
 * charge and refusal is audited.
 */
import crypto from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { and, eq, like, sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { rows } from "@/db/client";
import { accounts, auditEvents, autopayAttempts, emailOutbox, invoices, payments, sandboxCheckouts, savedCards } from "@/db/schema";
import { updateInvoiceSettings } from "@/lib/account/settings";
import { queueReminders } from "@/lib/billing/remind";
import { issueCreditNote } from "@/lib/billing/credit";
import { addDays, accountToday } from "@/lib/dates";
import { claimAttempt } from "@/lib/payments/autopay/charge";
import { runAutomaticPayments } from "@/lib/payments/autopay/run";
import { NEVER_SENT_REASON, NOT_RESENT_REASONS, RESUME_AFTER_SECONDS } from "@/lib/payments/autopay/resume";
import { importStatementLines } from "@/lib/payments/bank-import";
import { paymentReferenceFor } from "@/lib/reference";
import { automaticPaymentPreview, NEEDS_SAVED_CARD, SAVED_CARD_EXPIRED } from "@/lib/payments/autopay/switch";
import { failOpenPayment, reconcilePayment } from "@/lib/payments/engine";
import { decideCard, sandboxProvider, settleSandboxCheckout } from "@/lib/payments/sandbox";
import { authenticateSandboxCardSetup, retrieveSandboxCardSetup, saveSandboxCard } from "@/lib/payments/sandbox-vault";
import { cardSetupContext, storeSavedCard } from "@/lib/payments/saved-card";
import { setupTestDatabase } from "../setup/db";
import { freshDemo, invoiceFacts, outstandingOf, startSandboxCheckout } from "./helpers";

const TODAY = "2026-11-25";
const { db, kind } = await setupTestDatabase();

let accountId = "";
let otherAccountId = "";
let userId = "";
/** The demo account's outstanding invoices: two overdue (one part-paid), one due on the 30th. */
let owed: { id: string; number: number; dueDate: string; invoiceDate: string; outstandingMinor: bigint }[] = [];

beforeEach(async () => {
  const demo = await freshDemo(db, TODAY);
  ({ accountId, otherAccountId, userId } = demo);
  const facts = await invoiceFacts(db);
  owed = facts
    .filter((f) => f.account === "Example Cloud Customer AB" && f.type === "invoice" && f.outstandingMinor > 0n)
    .map((f) => ({ id: f.id, number: f.number, dueDate: f.dueDate, invoiceDate: f.invoiceDate, outstandingMinor: f.outstandingMinor }))
    .sort((a, b) => a.dueDate.localeCompare(b.dueDate));
});

/** Saves a test card for the account as its setup page would, and turns automatic payment on. */
async function turnOnWith(cardNumber: string, forAccount = accountId) {
  const { cardVersion } = (await cardSetupContext(db, forAccount, "sandbox"))!;
  const returnUrl = "http://panel.test/cards/return";
  const setup = await sandboxProvider.createCardSetup({ setupKey: crypto.randomUUID(), accountId: forAccount, currency: "EUR", customerReference: null, returnUrl, cancelUrl: returnUrl, cardVersion });
  const saved = await saveSandboxCard(setup.providerReference, decideCard(cardNumber), 12, 2030);
  if (saved.kind === "requires_action") await authenticateSandboxCardSetup(setup.providerReference, true);
  const card = (await retrieveSandboxCardSetup(setup.providerReference))!.card!;
  await storeSavedCard(db, { accountId: forAccount, actorUserId: userId, provider: "sandbox", card, setupCardVersion: cardVersion });
  await db.update(accounts).set({ automaticPayment: true }).where(eq(accounts.id, forAccount));
}

const run = (today: string) => runAutomaticPayments(db, sandboxProvider, { today });

/** The provider reference of the account's saved card (what a run reads before it claims). */
async function cardRef(forAccount = accountId) {
  const [card] = await db.select({ providerReference: savedCards.providerReference }).from(savedCards).where(eq(savedCards.accountId, forAccount));
  return card!.providerReference;
}

async function attemptsOf(invoiceId: string) {
  return db
    .select({ attempt: autopayAttempts.attempt, outcome: autopayAttempts.outcome, chargeDate: autopayAttempts.chargeDate, key: payments.idempotencyKey, state: payments.state, amountMinor: payments.amountMinor })
    .from(autopayAttempts)
    .innerJoin(payments, eq(payments.id, autopayAttempts.paymentId))
    .where(eq(autopayAttempts.invoiceId, invoiceId))
    .orderBy(autopayAttempts.attempt);
}

/** Sandbox charges (its checkouts) per payment of the account: each payment is charged at most once. */
async function chargesPerInvoice() {
  return rows<{ number: string; charges: string; succeeded: string }>(
    db,
    sql`select i.number::text as number, count(sc.id)::text as charges, count(sc.id) filter (where sc.status = 'succeeded')::text as succeeded
        from invoices i join payment_allocations pa on pa.invoice_id = i.id join payments p on p.id = pa.payment_id
        join sandbox_checkouts sc on sc.merchant_reference = p.id::text
        group by i.number order by i.number`,
  );
}

const mails = (kindOf: "notice" | "payment_receipt" | "reminder") => db.select().from(emailOutbox).where(eq(emailOutbox.kind, kindOf)).orderBy(emailOutbox.id);
const audits = (action: string) => db.select().from(auditEvents).where(eq(auditEvents.action, action));

describe("an expired card", () => {
  it("turns automatic payment off before anything is charged, and tells the Billing contacts", async () => {
    await turnOnWith("4242424242424242");
    // The card saved above expires in December 2030: the run's day is after its expiry month.
    const afterExpiry = "2031-01-02";
    const summary = await run(afterExpiry);
    expect(summary).toMatchObject({ charged: 0, declined: 0, cardNotices: { automaticPaymentTurnedOff: 1, expiredQueued: 1 } });
    for (const inv of owed) expect(await attemptsOf(inv.id)).toEqual([]);
    const [account] = await db.select({ on: accounts.automaticPayment }).from(accounts).where(eq(accounts.id, accountId));
    expect(account!.on).toBe(false);
  });
});

describe("charging on the due date", () => {
  it("charges each outstanding invoice once, overdue ones at the next run, the rest on their due date", async () => {
    await turnOnWith("4242424242424242");
    const [overdueOld, overdue, notYetDue] = owed;
    expect(notYetDue!.dueDate > TODAY && overdue!.dueDate < TODAY).toBe(true);

    expect(await run(TODAY)).toMatchObject({ charged: 2, declined: 0, skipped: 0 });
    for (const inv of [overdueOld!, overdue!]) {
      expect(await attemptsOf(inv.id)).toEqual([{ attempt: 1, outcome: "succeeded", chargeDate: TODAY, key: `autopay-${inv.id}-1`, state: "succeeded", amountMinor: inv.outstandingMinor }]);
      expect(await outstandingOf(db, inv.number)).toBe(0n);
    }
    expect(await attemptsOf(notYetDue!.id)).toEqual([]);
    expect(await run(TODAY)).toMatchObject({ charged: 0, declined: 0 });

    // Three days before the charge: the notice with the amount, the date and the card; once.
    expect((await run(addDays(notYetDue!.dueDate, -4))).noticesQueued).toBe(0);
    expect((await run(addDays(notYetDue!.dueDate, -3))).noticesQueued).toBe(1);
    expect((await run(addDays(notYetDue!.dueDate, -2))).noticesQueued).toBe(0);
    const [notice] = await mails("notice");
    expect(notice).toMatchObject({ accountId, recipients: ["demo@example.com"], dedupeKey: `autopay-notice:${notYetDue!.id}` });
    expect(notice!.textBody).toContain(`Visa •••• 4242 on ${notYetDue!.dueDate}`);
    expect(notice!.textBody).toMatch(/Amount:\s+€?[\d,.]+/);

    expect(await run(addDays(notYetDue!.dueDate, -1))).toMatchObject({ charged: 0 });
    expect(await run(notYetDue!.dueDate)).toMatchObject({ charged: 1 });
    expect(await outstandingOf(db, notYetDue!.number)).toBe(0n);
    expect((await chargesPerInvoice()).map((c) => [c.charges, c.succeeded])).toEqual([["1", "1"], ["1", "1"], ["1", "1"]]);

    // A receipt per charge to the Billing contacts, and an audit row per charge.
    const receipts = await mails("payment_receipt");
    expect(receipts).toHaveLength(3);
    expect(receipts.every((r) => r.recipients.join() === "demo@example.com" && /\/payments\/[0-9a-f-]{36}\/receipt/.test(r.textBody))).toBe(true);
    const charged = await audits("automatic_payment.charged");
    expect(charged.map((a) => a.entityId).sort()).toEqual(owed.map((o) => o.id).sort());
    expect(charged.every((a) => a.accountId === accountId && a.actorUserId === null)).toBe(true);
  });

  it("charges nothing while automatic payment is off, or without a card of the configured provider", async () => {
    await turnOnWith("4242424242424242");
    await db.update(accounts).set({ automaticPayment: false }).where(eq(accounts.id, accountId));
    expect(await run(TODAY)).toMatchObject({ charged: 0, declined: 0, skipped: 0 });
    expect(await db.$count(autopayAttempts)).toBe(0);
  });

  it("no notice for a charge it will never make: a card of another provider than the configured one", async () => {
    await turnOnWith("4242424242424242");
    const inv = owed[2]!;
    await db.update(savedCards).set({ provider: "stripe" }).where(eq(savedCards.accountId, accountId));
    expect((await run(addDays(inv.dueDate, -3))).noticesQueued).toBe(0);
    expect(await mails("notice")).toHaveLength(0);
  });

  it("the demo seed turns automatic payment on for no account", async () => {
    expect(await db.$count(accounts, eq(accounts.automaticPayment, true))).toBe(0);
  });
});

describe("what it never charges", () => {
  it("never an invoice that is paid, credited in full, or being paid right now", async () => {
    await turnOnWith("4242424242424242");
    const [paid, credited, processing] = owed;
    // Paid by hand, credited in full, and a card payment open on the provider's page.
    const byHand = await startSandboxCheckout(db, { accountId, userId }, [paid!.number], paid!.outstandingMinor);
    await settleSandboxCheckout(byHand.providerReference, decideCard("4242424242424242"));
    await reconcilePayment(db, sandboxProvider, byHand.paymentId);
    const major = `${credited!.outstandingMinor / 100n}.${String(credited!.outstandingMinor % 100n).padStart(2, "0")}`;
    expect(await issueCreditNote(db, { number: String(credited!.number), amount: major, reason: "Goodwill" }, { today: TODAY })).toMatchObject({ ok: true });
    await startSandboxCheckout(db, { accountId, userId }, [processing!.number], processing!.outstandingMinor);

    const summary = await run(processing!.dueDate);
    expect(summary).toMatchObject({ charged: 0, declined: 0 });
    expect(await db.$count(autopayAttempts)).toBe(0);
    expect(await db.$count(payments, like(payments.idempotencyKey, "autopay-%"))).toBe(0);
  });

  it("never another account's invoice, and never more than is outstanding", async () => {
    await turnOnWith("4242424242424242");
    // The other account has automatic payment on but no card: nothing of it is charged.
    await db.update(accounts).set({ automaticPayment: true }).where(eq(accounts.id, otherAccountId));
    const otherPaymentsBefore = await db.$count(payments, eq(payments.accountId, otherAccountId));
    await run(TODAY);
    expect(await db.$count(payments, eq(payments.accountId, otherAccountId))).toBe(otherPaymentsBefore);
    expect(await db.$count(autopayAttempts, eq(autopayAttempts.accountId, otherAccountId))).toBe(0);

    const [other] = await db.select({ id: invoices.id, number: invoices.number }).from(invoices).where(eq(invoices.accountId, otherAccountId)).limit(1);
    const notYetDue = owed[2]!;
    const claim = { invoiceId: other!.id, number: other!.number, outstandingMinor: 100n, attempt: 1, chargeDate: TODAY, card: { providerReference: await cardRef() } };
    // The demo account claiming the other account's invoice number: refused as not found.
    expect(await claimAttempt(db, sandboxProvider, { ...claim, accountId })).toBe("not_found");
    // More than is outstanding (or less): refused, nothing recorded.
    const over = { accountId, invoiceId: notYetDue.id, number: notYetDue.number, attempt: 1, chargeDate: TODAY, card: { providerReference: await cardRef() } };
    expect(await claimAttempt(db, sandboxProvider, { ...over, outstandingMinor: notYetDue.outstandingMinor + 1n })).toBe("amount_changed");
    expect(await db.$count(autopayAttempts, eq(autopayAttempts.invoiceId, notYetDue.id))).toBe(0);
    // The part-paid invoice was charged exactly what was outstanding.
    const partPaid = owed[0]!;
    expect((await attemptsOf(partPaid.id))[0]!.amountMinor).toBe(partPaid.outstandingMinor);
  });

  it("two runs at once charge each invoice once", async () => {
    await turnOnWith("4242424242424242");
    const results = await Promise.all([run(TODAY), run(TODAY), run(TODAY)]);
    expect(results.reduce((n, r) => n + r.charged, 0)).toBe(2);
    expect((await chargesPerInvoice()).map((c) => c.charges)).toEqual(["1", "1"]);
    expect(await db.$count(autopayAttempts)).toBe(2);
    expect(await mails("payment_receipt")).toHaveLength(2);
  });

  it.runIf(kind === "postgres")("two runs on separate connections charge each invoice once (PostgreSQL)", async () => {
    await turnOnWith("4242424242424242");
    const { createPostgresHandle } = await import("@/db/client");
    const url = (await rows<{ url: string }>(db, sql`select current_database() as url`))[0]!.url;
    const base = new URL(process.env.DATABASE_URL!);
    base.pathname = `/${url}`;
    const second = createPostgresHandle(base.toString(), 4);
    try {
      const [a, b] = await Promise.all([run(TODAY), runAutomaticPayments(second.db, sandboxProvider, { today: TODAY })]);
      expect(a.charged + b.charged).toBe(2);
    } finally {
      await second.close();
    }
    expect((await chargesPerInvoice()).map((c) => c.charges)).toEqual(["1", "1"]);
  });
});

describe("the switch or the card changed after the run read them", () => {
  /** A provider that, after the first charge, lets `change` happen (another admin, the card notices) before the run claims the next invoice. */
  const changingAfterFirstCharge = (change: () => Promise<unknown>) => {
    let charges = 0;
    return {
      ...sandboxProvider,
      chargeSavedCard: async (input: Parameters<typeof sandboxProvider.chargeSavedCard>[0]) => {
        const answer = await sandboxProvider.chargeSavedCard(input);
        if (++charges === 1) await change();
        return answer;
      },
    };
  };

  it.each([
    ["turned off", "switched_off", () => db.update(accounts).set({ automaticPayment: false }).where(eq(accounts.id, accountId))],
    ["card replaced", "card_changed", () => turnOnWith("4242424242424242")],
    ["card removed", "card_changed", () => db.delete(savedCards).where(eq(savedCards.accountId, accountId))],
  ])("%s: the next invoice of the same run is not charged, and the refusal is audited", async (_name, reason, change) => {
    await turnOnWith("4242424242424242");
    const provider = changingAfterFirstCharge(change);
    const summary = await runAutomaticPayments(db, provider, { today: TODAY, concurrency: 1 });
    expect(summary).toMatchObject({ charged: 1, skipped: 1 });
    expect(await db.$count(autopayAttempts)).toBe(1);
    expect((await chargesPerInvoice()).map((c) => c.charges)).toEqual(["1"]);
    const [skipped] = await audits("automatic_payment.skipped");
    expect(skipped!.after).toMatchObject({ reason });
  });

  it("a claim with a card other than the account's is refused, nothing recorded", async () => {
    await turnOnWith("4242424242424242");
    const inv = owed[1]!;
    const claim = { accountId, invoiceId: inv.id, number: inv.number, outstandingMinor: inv.outstandingMinor, attempt: 1, chargeDate: TODAY };
    expect(await claimAttempt(db, sandboxProvider, { ...claim, card: { providerReference: "pm_not_the_saved_one" } })).toBe("card_changed");
    expect(await db.$count(payments, like(payments.idempotencyKey, "autopay-%"))).toBe(0);
  });
});

describe("a run stopped half-way", () => {
  /** The attempt committed as a run commits it before asking the provider, then the run dies. */
  async function claimThenDie(inv: (typeof owed)[number]) {
    const claimed = await claimAttempt(db, sandboxProvider, { accountId, invoiceId: inv.id, number: inv.number, outstandingMinor: inv.outstandingMinor, attempt: 1, chargeDate: TODAY, card: { providerReference: await cardRef() } });
    if (typeof claimed === "string") throw new Error(claimed);
    return claimed;
  }
  const age = () => db.update(autopayAttempts).set({ updatedAt: sql`now() - make_interval(secs => ${RESUME_AFTER_SECONDS + 5})` });

  it("killed before the provider was asked: a later run sends it once, under the same key", async () => {
    await turnOnWith("4242424242424242");
    const inv = owed[1]!;
    await claimThenDie(inv);
    // A run at once leaves the open attempt to the run that may still be answering it.
    expect(await run(TODAY)).toMatchObject({ resumed: 0 });
    expect(await attemptsOf(inv.id)).toMatchObject([{ outcome: "open", state: "pending" }]);
    await age();
    expect(await run(TODAY)).toMatchObject({ resumed: 1 });
    expect(await attemptsOf(inv.id)).toMatchObject([{ attempt: 1, outcome: "succeeded", state: "succeeded" }]);
    expect((await chargesPerInvoice()).find((c) => Number(c.number) === inv.number)!.charges).toBe("1");
  });

  it("killed after the provider charged, before the answer was recorded: found at the provider, not charged again", async () => {
    await turnOnWith("4242424242424242");
    const inv = owed[1]!;
    const claimed = await claimThenDie(inv);
    const card = (await db.execute(sql`select provider_reference from saved_cards where account_id = ${accountId}::uuid`)) as unknown;
    const ref = (Array.isArray(card) ? card : (card as { rows: { provider_reference: string }[] }).rows)[0]!.provider_reference;
    await sandboxProvider.chargeSavedCard({ paymentId: claimed.paymentId, amountMinor: claimed.amountMinor, currency: claimed.currency, description: "x", returnUrl: "http://x/", card: { paymentMethodReference: ref, customerReference: null } });
    await age();
    await run(TODAY);
    expect(await attemptsOf(inv.id)).toMatchObject([{ outcome: "succeeded", state: "succeeded" }]);
    expect(await db.$count(sandboxCheckouts, eq(sandboxCheckouts.merchantReference, claimed.paymentId))).toBe(1);
    expect(await outstandingOf(db, inv.number)).toBe(0n);
    expect(await mails("payment_receipt")).toHaveLength(2);
  });

  const major = (minor: bigint) => `${minor / 100n}.${String(minor % 100n).padStart(2, "0")}`;
  it.each([
    ["paid by a bank transfer meanwhile", NOT_RESENT_REASONS.amount_changed, (inv: (typeof owed)[number]) =>
      importStatementLines(db, [{ line: 2, date: TODAY, amount: major(inv.outstandingMinor), reference: paymentReferenceFor(inv.number), currency: null }])],
    ["automatic payment turned off meanwhile", NOT_RESENT_REASONS.switched_off, () => db.update(accounts).set({ automaticPayment: false }).where(eq(accounts.id, accountId))],
    ["the card replaced meanwhile", NOT_RESENT_REASONS.card_changed, () => turnOnWith("4242424242424242")],
  ])("killed before the provider was asked, %s: not sent again, the payment failed as never sent", async (_name, reason, change) => {
    await turnOnWith("4242424242424242");
    const inv = owed[1]!;
    const claimed = await claimThenDie(inv);
    await change(inv);
    await age();
    expect(await run(TODAY)).toMatchObject({ resumed: 1 });
    expect(await db.$count(sandboxCheckouts, eq(sandboxCheckouts.merchantReference, claimed.paymentId))).toBe(0);
    expect(await attemptsOf(inv.id)).toMatchObject([{ attempt: 1, outcome: "not_charged", state: "failed" }]);
    const [payment] = await db.select({ reason: payments.failureReason }).from(payments).where(eq(payments.id, claimed.paymentId));
    expect(payment!.reason).toBe(reason);
  });

  it("a payment a webhook made final meanwhile: the attempt takes its state, no 'never reached' email", async () => {
    await turnOnWith("4242424242424242");
    const inv = owed[1]!;
    const claimed = await claimThenDie(inv);
    await failOpenPayment(db, claimed.paymentId, "Your card was declined.", null);
    await age();
    await run(TODAY);
    const [attempt] = await db.select({ outcome: autopayAttempts.outcome, reason: autopayAttempts.failureReason }).from(autopayAttempts).where(eq(autopayAttempts.paymentId, claimed.paymentId));
    expect(attempt).toEqual({ outcome: "hard_decline", reason: "Your card was declined." });
    expect((await mails("reminder")).filter((m) => m.textBody.includes(NEVER_SENT_REASON))).toEqual([]);
  });
});

describe("declines", () => {
  it("retries a soft decline 1, 3 and 7 days after the first attempt, then emails the Billing contacts a link to pay", async () => {
    await turnOnWith("4000000000000119");
    const inv = owed[2]!;
    const due = inv.dueDate;
    // Daily runs (twice on the due date) from the due date to well after the last retry.
    for (const day of [0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 12]) await run(addDays(due, day));
    const attempts = await attemptsOf(inv.id);
    expect(attempts.map((a) => [a.attempt, a.chargeDate, a.outcome, a.key])).toEqual([
      [1, due, "soft_decline", `autopay-${inv.id}-1`],
      [2, addDays(due, 1), "soft_decline", `autopay-${inv.id}-2`],
      [3, addDays(due, 3), "soft_decline", `autopay-${inv.id}-3`],
      [4, addDays(due, 7), "soft_decline", `autopay-${inv.id}-4`],
    ]);
    expect(attempts.every((a) => a.state === "failed")).toBe(true);
    const failed = (await mails("reminder")).filter((m) => m.invoiceId === inv.id);
    expect(failed).toHaveLength(1);
    expect(failed[0]!.recipients).toEqual(["demo@example.com"]);
    expect(failed[0]!.textBody).toContain(`/invoices/${inv.number}?pay=${inv.number}`);
    expect(failed[0]!.subject).toContain("automatic payment");
    expect((await audits("automatic_payment.declined")).filter((a) => a.entityId === inv.id)).toHaveLength(4);
  });

  it.each([
    ["a hard decline", "4000000000000341", "hard_decline", "Your card was declined.", "?pay="],
    ["an expired card", "4000000000000069", "expired_card", "Your card has expired.", "?pay="],
    ["a card that needs 3-D Secure", "4000000000003220", "needs_authentication", "3-D Secure", "/sandbox/checkout/"],
  ])("%s emails the Billing contacts at once, with a link that completes the payment, and is not tried again", async (_name, cardNumber, outcome, reason, link) => {
    await turnOnWith(cardNumber);
    const inv = owed[2]!;
    await run(inv.dueDate);
    expect(await attemptsOf(inv.id)).toMatchObject([{ attempt: 1, outcome }]);
    for (const day of [1, 3, 7]) await run(addDays(inv.dueDate, day));
    expect(await attemptsOf(inv.id)).toHaveLength(1);
    const failed = (await mails("reminder")).filter((m) => m.invoiceId === inv.id);
    expect(failed).toHaveLength(1);
    expect(failed[0]!.textBody).toContain(reason);
    expect(failed[0]!.textBody).toContain(link);
    const [declined] = (await audits("automatic_payment.declined")).filter((a) => a.entityId === inv.id);
    expect(declined!.after).toMatchObject({ outcome, attempt: 1, emailed: true });
  });
});

describe("payment reminders", () => {
  it("none for an invoice automatic payment will charge; after it gives up, its failure email takes the due reminder's place", async () => {
    await turnOnWith("4000000000000341");
    const inv = owed[2]!;
    const reminded = async (today: string) => {
      await queueReminders(db, { today });
      return (await mails("reminder")).filter((m) => m.invoiceId === inv.id).map((m) => m.dedupeKey);
    };
    expect(await reminded(addDays(inv.dueDate, -7))).toEqual([]);
    await run(inv.dueDate);
    // The failure email holds the due-date step: the reminder run adds nothing that day.
    expect(await reminded(inv.dueDate)).toEqual([`reminder:${inv.id}:due`]);
    expect(await reminded(addDays(inv.dueDate, 7))).toEqual([`reminder:${inv.id}:due`, `reminder:${inv.id}:due+7`]);
  });

  it.each([
    ["a card of another provider than the configured one", { provider: "stripe" as const }],
    ["an expired card", { expMonth: 1, expYear: 2020 }],
  ])("go out while automatic payment is on with %s, which it never charges", async (_name, card) => {
    await turnOnWith("4242424242424242");
    await db.update(savedCards).set(card).where(eq(savedCards.accountId, accountId));
    const inv = owed[2]!;
    await queueReminders(db, { today: addDays(inv.dueDate, -7) });
    expect((await mails("reminder")).filter((m) => m.invoiceId === inv.id)).toHaveLength(1);
  });

  it("go out as before without automatic payment", async () => {
    const inv = owed[2]!;
    await queueReminders(db, { today: addDays(inv.dueDate, -7) });
    expect((await mails("reminder")).filter((m) => m.invoiceId === inv.id)).toHaveLength(1);
  });
});

describe("the Settings switch", () => {
  it("turns on only with a saved card, audited; nothing else changes when refused", async () => {
    const input = { receiveInvoicesByEmail: false, language: "sv" as const, automaticPayment: true };
    expect(await updateInvoiceSettings(db, accountId, userId, input)).toEqual({ ok: false, message: NEEDS_SAVED_CARD, field: "automaticPayment" });
    const [unchanged] = await db.select({ on: accounts.automaticPayment, byEmail: accounts.receiveInvoicesByEmail }).from(accounts).where(eq(accounts.id, accountId));
    expect(unchanged).toEqual({ on: false, byEmail: true });

    await turnOnWith("4242424242424242");
    await db.update(accounts).set({ automaticPayment: false }).where(eq(accounts.id, accountId));
    expect(await updateInvoiceSettings(db, accountId, userId, input)).toEqual({ ok: true });
    expect(await updateInvoiceSettings(db, accountId, userId, { ...input, automaticPayment: false })).toEqual({ ok: true });
    const rowsOf = await db.select({ action: auditEvents.action, actor: auditEvents.actorUserId }).from(auditEvents).where(and(eq(auditEvents.accountId, accountId), like(auditEvents.action, "automatic_payment.turned_%"))).orderBy(auditEvents.id);
    expect(rowsOf).toEqual([{ action: "automatic_payment.turned_on", actor: userId }, { action: "automatic_payment.turned_off", actor: userId }]);
  });

  it("a form loaded while it was on, saved after it was turned off elsewhere, leaves it off", async () => {
    await turnOnWith("4242424242424242");
    const loadedOn = { receiveInvoicesByEmail: true, language: "en" as const, automaticPayment: true, automaticPaymentWas: true };
    // Admin B turns it off (or the expired-card run does); admin A's form still shows it on.
    expect(await updateInvoiceSettings(db, accountId, userId, { ...loadedOn, automaticPayment: false })).toEqual({ ok: true });
    expect(await updateInvoiceSettings(db, accountId, userId, { ...loadedOn, language: "sv" })).toEqual({ ok: true });
    const [after] = await db.select({ on: accounts.automaticPayment, language: accounts.language }).from(accounts).where(eq(accounts.id, accountId));
    expect(after).toEqual({ on: false, language: "sv" });
    expect(await audits("automatic_payment.turned_on")).toHaveLength(0);
  });

  it("does not turn on with an expired saved card; nothing else changes", async () => {
    await turnOnWith("4242424242424242");
    await db.update(accounts).set({ automaticPayment: false }).where(eq(accounts.id, accountId));
    await db.update(savedCards).set({ expMonth: 1, expYear: 2020 }).where(eq(savedCards.accountId, accountId));
    const input = { receiveInvoicesByEmail: true, language: "sv" as const, automaticPayment: true, automaticPaymentWas: false };
    expect(await updateInvoiceSettings(db, accountId, userId, input)).toEqual({ ok: false, message: SAVED_CARD_EXPIRED, field: "automaticPayment" });
    const [after] = await db.select({ on: accounts.automaticPayment, language: accounts.language }).from(accounts).where(eq(accounts.id, accountId));
    expect(after).toEqual({ on: false, language: "en" });
  });

  it("previews which invoices it will charge, and when", async () => {
    const preview = await automaticPaymentPreview(db, accountId, TODAY);
    expect(preview.map((p) => [p.number, p.outstandingMinor, p.chargeDate])).toEqual(
      owed.map((o) => [o.number, o.outstandingMinor, o.dueDate < TODAY ? TODAY : o.dueDate]),
    );
    expect(await automaticPaymentPreview(db, otherAccountId, TODAY)).not.toContainEqual(expect.objectContaining({ number: owed[0]!.number }));
  });

  it("previews no invoice whose attempts have ended, and a soft decline's retry day", async () => {
    const notYetDue = owed[2];
    await turnOnWith("4000000000000341");
    await run(TODAY);
    // Hard declines end the attempts: turning it on again would not charge them.
    expect((await automaticPaymentPreview(db, accountId, TODAY)).map((p) => [p.number, p.chargeDate])).toEqual([[notYetDue!.number, notYetDue!.dueDate]]);

    await turnOnWith("4000000000000119");
    await run(notYetDue!.dueDate);
    const retry = (await automaticPaymentPreview(db, accountId, notYetDue!.dueDate)).map((p) => [p.number, p.chargeDate, p.atNextRun]);
    expect(retry).toEqual([[notYetDue!.number, addDays(notYetDue!.dueDate, 1), false]]);
  });
});

describe("the cron route", () => {
  it("is called every hour; runs repeated within a day queue each email once", async () => {
    const vercel = JSON.parse(await readFile(path.join(process.cwd(), "vercel.json"), "utf8")) as { crons: { path: string; schedule: string }[] };
    expect(vercel.crons.find((c) => c.path === "/api/cron/autopay")?.schedule).toBe("0 * * * *");

    await turnOnWith("4242424242424242");
    const inv = owed[2]!;
    for (let hour = 0; hour < 3; hour++) await run(addDays(inv.dueDate, -3));
    expect(await mails("notice")).toHaveLength(1);
    expect(await mails("payment_receipt")).toHaveLength(2);
    // The card saved above expires in December 2030: its expiring notice, once however often the run goes.
    for (let hour = 0; hour < 3; hour++) await run("2030-12-05");
    expect(await db.$count(emailOutbox, eq(emailOutbox.kind, "card_notice"))).toBe(1);
    expect(await mails("payment_receipt")).toHaveLength(3);
  });

  it("runs automatic payment with the bearer secret only", async () => {
    const { resetEnvCache } = await import("@/lib/env");
    const saved = process.env.CRON_SECRET;
    process.env.CRON_SECRET = "autopay-cron-secret-0123456789";
    resetEnvCache();
    try {
      await turnOnWith("4242424242424242");
      const { GET } = await import("@/app/api/cron/autopay/route");
      const call = (authorization?: string) => GET(new Request("http://panel.test/api/cron/autopay", { headers: authorization ? { authorization } : {} }));
      expect((await call()).status).toBe(401);
      expect((await call("Bearer wrong-secret-0123456789")).status).toBe(401);
      expect(await db.$count(autopayAttempts)).toBe(0);
      const ok = await call("Bearer autopay-cron-secret-0123456789");
      expect(ok.status).toBe(200);
      // The route runs for today's real date in the account's time zone.
      const today = accountToday("Europe/Stockholm");
      expect(await ok.json()).toMatchObject({ charged: owed.filter((o) => o.dueDate <= today).length, declined: 0 });
    } finally {
      if (saved === undefined) delete process.env.CRON_SECRET;
      else process.env.CRON_SECRET = saved;
      resetEnvCache();
    }
  });
});
