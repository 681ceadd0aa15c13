/**
 * Contact addresses and roles (docs/product.md, "Contact"): verification codes (hashed, single use,
 * 8 hours, locked after 5 wrong tries), the role rules, the Billing-moved notice, audit rows,
 * Customer Info validation and its "future invoices only" rule.
 */
import { and, asc, eq, sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { seedDemo } from "@/scripts/seed";
import { accounts, auditEvents, contactEmails, contactVerificationBudgets, contactVerificationSends, emailOutbox, invoices, users } from "@/db/schema";
import { updateCustomerInfo } from "@/lib/account/settings";
import { customerInfoSchema, phoneSchema } from "@/lib/account/validation";
import {
  addPhone,
  billingRecipients,
  createContactEmail,
  deleteContactEmail,
  listContacts,
  PASSWORD_NEEDED_MESSAGE,
  resendVerificationCode,
  setContactRoles,
  verifyContactEmail,
} from "@/lib/contacts/contacts";
import { BUDGET_SPENT_MESSAGE, SENDS_PER_DAY, SENDS_PER_HOUR, TRY_BUDGET, TRY_BUDGET_RESET_HOURS } from "@/lib/contacts/verification-limits";
import { getInvoiceDetail } from "@/lib/invoices/detail";
import { resetTables, setupTestDatabase } from "../setup/db";

const TODAY = "2026-11-25";
const { db, kind } = await setupTestDatabase();
let accountId = "";
let userId = "";

beforeEach(async () => {
  await resetTables(db);
  await seedDemo(db, TODAY);
  const [a] = await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.name, "Example Cloud Customer AB"));
  accountId = a!.id;
  const [u] = await db.select({ id: users.id }).from(users).where(eq(users.email, "demo@example.com"));
  userId = u!.id;
});

/** The 6-digit code from the verification email in the outbox. */
async function codeSentTo(email: string): Promise<string> {
  const rows = await db
    .select({ body: emailOutbox.textBody, recipients: emailOutbox.recipients })
    .from(emailOutbox)
    .where(eq(emailOutbox.kind, "verification"))
    .orderBy(asc(emailOutbox.id));
  const mail = rows.filter((r) => r.recipients.includes(email)).at(-1);
  return /verification code is (\d{6})/.exec(mail!.body)![1]!;
}

async function addVerified(email: string) {
  const created = await createContactEmail(db, accountId, userId, email);
  if (!created.ok) throw new Error(created.message);
  expect(await verifyContactEmail(db, accountId, userId, created.id, await codeSentTo(email))).toEqual({ ok: true });
  return created.id;
}

const demoContactId = async () => (await db.select({ id: contactEmails.id }).from(contactEmails).where(eq(contactEmails.email, "demo@example.com")))[0]!.id;

describe("verification codes", () => {
  it("emails a code that is stored hashed, works once, and is refused after 5 wrong tries", async () => {
    const created = await createContactEmail(db, accountId, userId, "new@example.com");
    expect(created.ok).toBe(true);
    const id = (created as { id: string }).id;
    const code = await codeSentTo("new@example.com");
    const [row] = await db.select().from(contactEmails).where(eq(contactEmails.id, id));
    expect(row!.verificationCodeHash).not.toContain(code);
    expect(row!.verifiedAt).toBeNull();
    const wrong = code === "000000" ? "111111" : "000000";
    for (let i = 0; i < 4; i++) expect(await verifyContactEmail(db, accountId, userId, id, wrong)).toMatchObject({ ok: false });
    expect(await verifyContactEmail(db, accountId, userId, id, wrong)).toMatchObject({ ok: false, message: /Too many wrong codes/ });
    // Locked: even the right code no longer works.
    expect(await verifyContactEmail(db, accountId, userId, id, code)).toMatchObject({ ok: false, message: /Too many wrong codes/ });
  });

  it("refuses an expired code", async () => {
    const created = (await createContactEmail(db, accountId, userId, "late@example.com")) as { id: string };
    const code = await codeSentTo("late@example.com");
    await db.update(contactEmails).set({ verificationExpiresAt: sql`now() - interval '1 minute'` }).where(eq(contactEmails.id, created.id));
    expect(await verifyContactEmail(db, accountId, userId, created.id, code)).toMatchObject({ ok: false, message: /expired/ });
  });

  it("an unverified address cannot hold a role", async () => {
    const created = (await createContactEmail(db, accountId, userId, "unverified@example.com")) as { id: string };
    expect(await setContactRoles(db, accountId, userId, created.id, { billing: true, tech: false, dpo: false }, true)).toMatchObject({ ok: false, message: /Verify/ });
    await expect(db.update(contactEmails).set({ isBilling: true }).where(eq(contactEmails.id, created.id))).rejects.toThrow();
  });
});

describe("verification limits that outlive the code and the row", () => {
  const wrongFor = (code: string) => (code === "000000" ? "111111" : "000000");

  /** Spends `n` wrong codes on the address, sending a new code whenever one is locked. */
  async function spendWrongCodes(id: string, email: string, n: number) {
    for (let i = 0; i < n; i++) {
      const r = await verifyContactEmail(db, accountId, userId, id, wrongFor(await codeSentTo(email)));
      expect(r.ok).toBe(false);
      if (r.ok === false && /Send a new code/.test(r.message)) {
        // Sends are limited per hour: age them so that only the try budget is under test here.
        await db.update(contactVerificationSends).set({ sentAt: sql`now() - interval '2 days'` });
        expect(await resendVerificationCode(db, accountId, userId, id)).toMatchObject({ ok: true });
      }
    }
  }

  it("a new code does not give more tries: the address's budget is counted across resends", async () => {
    const { id } = (await createContactEmail(db, accountId, userId, "guess@example.com")) as { id: string };
    await spendWrongCodes(id, "guess@example.com", TRY_BUDGET - 1);
    await db.update(contactVerificationSends).set({ sentAt: sql`now() - interval '2 days'` });
    expect(await resendVerificationCode(db, accountId, userId, id)).toMatchObject({ ok: true });
    const code = await codeSentTo("guess@example.com");
    expect(await verifyContactEmail(db, accountId, userId, id, wrongFor(code))).toMatchObject({ ok: false, field: "code", message: BUDGET_SPENT_MESSAGE });
    // Spent: even the right code of a fresh resend is refused, and no new code is sent.
    expect(await verifyContactEmail(db, accountId, userId, id, code)).toMatchObject({ ok: false, message: BUDGET_SPENT_MESSAGE });
    expect(await resendVerificationCode(db, accountId, userId, id)).toMatchObject({ ok: false, message: BUDGET_SPENT_MESSAGE });
    const [row] = await db.select().from(contactEmails).where(eq(contactEmails.id, id));
    expect(row!.verifiedAt).toBeNull();
  });

  it("deleting and re-adding the address does not give more tries", async () => {
    const first = (await createContactEmail(db, accountId, userId, "again@example.com")) as { id: string };
    await spendWrongCodes(first.id, "again@example.com", TRY_BUDGET);
    expect(await deleteContactEmail(db, accountId, userId, first.id)).toMatchObject({ ok: true });
    await db.update(contactVerificationSends).set({ sentAt: sql`now() - interval '2 days'` });
    const second = (await createContactEmail(db, accountId, userId, "again@example.com")) as { id: string };
    const code = await codeSentTo("again@example.com");
    expect(await verifyContactEmail(db, accountId, userId, second.id, code)).toMatchObject({ ok: false, message: BUDGET_SPENT_MESSAGE });
    // Another account's budget for the same address is its own.
    const [other] = await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.name, "Other Tenant Oy"));
    const [otherUser] = await db.select({ id: users.id }).from(users).where(eq(users.email, "other@example.com"));
    const elsewhere = (await createContactEmail(db, other!.id, otherUser!.id, "again@example.com")) as { id: string };
    expect(await verifyContactEmail(db, other!.id, otherUser!.id, elsewhere.id, await codeSentTo("again@example.com"))).toEqual({ ok: true });
  });

  it("a day after the last wrong code the budget starts again; a verified address clears it", async () => {
    const { id } = (await createContactEmail(db, accountId, userId, "later@example.com")) as { id: string };
    await spendWrongCodes(id, "later@example.com", TRY_BUDGET);
    await db.update(contactVerificationBudgets).set({ updatedAt: sql`now() - make_interval(hours => ${TRY_BUDGET_RESET_HOURS}) - interval '1 minute'` });
    await db.update(contactVerificationSends).set({ sentAt: sql`now() - interval '2 days'` });
    expect(await resendVerificationCode(db, accountId, userId, id)).toMatchObject({ ok: true });
    expect(await verifyContactEmail(db, accountId, userId, id, await codeSentTo("later@example.com"))).toEqual({ ok: true });
    expect(await db.select().from(contactVerificationBudgets)).toEqual([]);
  });

  it("codes are sent at most 3 times an hour and 10 times a day per address, re-adding included", async () => {
    const { id } = (await createContactEmail(db, accountId, userId, "spam@example.com")) as { id: string };
    expect(await resendVerificationCode(db, accountId, userId, id)).toMatchObject({ ok: true });
    expect(await resendVerificationCode(db, accountId, userId, id)).toMatchObject({ ok: true });
    const refused = await resendVerificationCode(db, accountId, userId, id);
    expect(refused).toMatchObject({ ok: false, message: /3 codes to this address in the last hour\. You can send another in (60|59) minutes\./ });
    const sent = async () => (await db.select().from(emailOutbox).where(eq(emailOutbox.kind, "verification"))).filter((m) => m.recipients.includes("spam@example.com")).length;
    expect(await sent()).toBe(SENDS_PER_HOUR);
    // Deleting and adding it again sends no code either: the refusal stands next to the address field.
    expect(await deleteContactEmail(db, accountId, userId, id)).toMatchObject({ ok: true });
    expect(await createContactEmail(db, accountId, userId, "spam@example.com")).toMatchObject({ ok: false, field: "email", message: /last hour/ });
    expect(await sent()).toBe(SENDS_PER_HOUR);
    // An hour later, more, up to the day's limit.
    await db.update(contactVerificationSends).set({ sentAt: sql`now() - interval '61 minutes'` });
    const again = (await createContactEmail(db, accountId, userId, "spam@example.com")) as { id: string };
    expect(again.id).toBeTruthy();
    for (let i = SENDS_PER_HOUR + 1; i < SENDS_PER_DAY; i++) {
      if (i % SENDS_PER_HOUR === 0) await db.update(contactVerificationSends).set({ sentAt: sql`now() - interval '61 minutes'` });
      expect(await resendVerificationCode(db, accountId, userId, again.id)).toMatchObject({ ok: true });
    }
    await db.update(contactVerificationSends).set({ sentAt: sql`now() - interval '61 minutes'` });
    expect(await resendVerificationCode(db, accountId, userId, again.id)).toMatchObject({ ok: false, message: /10 codes to this address today\. You can send another in 23 hours\./ });
    expect(await sent()).toBe(SENDS_PER_DAY);
  });

  it("the code is in the email's body, not in its subject", async () => {
    await createContactEmail(db, accountId, userId, "subject@example.com");
    const [mail] = await db.select().from(emailOutbox).where(eq(emailOutbox.kind, "verification"));
    const code = await codeSentTo("subject@example.com");
    expect(mail!.subject).toBe("Your Cumulus verification code");
    expect(mail!.subject).not.toMatch(/\d/);
    expect(mail!.textBody).toContain(code);
  });
});

describe("Billing needs the password, decided from the address's row", () => {
  it("giving Billing without a confirmed password is refused and nothing changes", async () => {
    const id = await addVerified("billing@example.com");
    expect(await setContactRoles(db, accountId, userId, id, { billing: true, tech: false, dpo: false }, false)).toEqual({ ok: false, field: "password", message: PASSWORD_NEEDED_MESSAGE });
    expect(await billingRecipients(db, accountId)).toEqual(["demo@example.com"]);
    expect(await setContactRoles(db, accountId, userId, id, { billing: true, tech: false, dpo: false }, true)).toEqual({ ok: true, changed: true, billingRemoved: false });
    expect(await billingRecipients(db, accountId)).toEqual(["billing@example.com", "demo@example.com"]);
  });

  it("an address that already holds Billing keeps it without the password; other roles need none", async () => {
    const id = await addVerified("keeps@example.com");
    expect(await setContactRoles(db, accountId, userId, id, { billing: false, tech: true, dpo: false }, false)).toMatchObject({ ok: true, changed: true });
    await setContactRoles(db, accountId, userId, id, { billing: true, tech: true, dpo: false }, true);
    expect(await setContactRoles(db, accountId, userId, id, { billing: true, tech: true, dpo: true }, false)).toMatchObject({ ok: true, changed: true });
    expect(await setContactRoles(db, accountId, userId, id, { billing: true, tech: true, dpo: true }, false)).toEqual({ ok: true, changed: false, billingRemoved: false });
  });
});

describe("role rules", () => {
  it("the only address holds every role and cannot be deleted", async () => {
    const id = await demoContactId();
    expect(await setContactRoles(db, accountId, userId, id, { billing: false, tech: true, dpo: true }, true)).toMatchObject({ ok: false, message: /only address/ });
    expect(await deleteContactEmail(db, accountId, userId, id)).toMatchObject({ ok: false, message: /only address/ });
  });

  it("moves Billing to a new address: the line changes and the old address gets a notice", async () => {
    const oldId = await demoContactId();
    const newId = await addVerified("finance@example.com");
    expect(await billingRecipients(db, accountId)).toEqual(["demo@example.com"]);
    expect(await setContactRoles(db, accountId, userId, newId, { billing: true, tech: false, dpo: false }, true)).toMatchObject({ ok: true });
    expect(await billingRecipients(db, accountId)).toEqual(["demo@example.com", "finance@example.com"]);
    expect(await setContactRoles(db, accountId, userId, oldId, { billing: false, tech: true, dpo: true }, true)).toMatchObject({ ok: true });
    expect(await billingRecipients(db, accountId)).toEqual(["finance@example.com"]);
    const [notice] = await db.select().from(emailOutbox).where(eq(emailOutbox.kind, "billing_moved"));
    expect(notice!.recipients).toEqual(["demo@example.com"]);
    expect(notice!.textBody).toContain("finance@example.com");
    // Tech and DPO still only on the old address: it cannot be deleted yet.
    expect(await deleteContactEmail(db, accountId, userId, oldId)).toMatchObject({ ok: false, message: /Tech, DPO/ });
    await setContactRoles(db, accountId, userId, newId, { billing: true, tech: true, dpo: true }, true);
    expect(await deleteContactEmail(db, accountId, userId, oldId)).toMatchObject({ ok: true });
    const actions = (await db.select({ action: auditEvents.action }).from(auditEvents).where(eq(auditEvents.accountId, accountId))).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(["contact.email_created", "contact.email_verified", "contact.roles_changed", "contact.email_deleted"]));
  });

  it("refuses to leave a role without a verified holder", async () => {
    const newId = await addVerified("ops@example.com");
    expect(await setContactRoles(db, accountId, userId, await demoContactId(), { billing: true, tech: false, dpo: true }, true)).toMatchObject({ ok: false, message: /Tech must stay/ });
    expect(await setContactRoles(db, accountId, userId, newId, { billing: false, tech: true, dpo: false }, true)).toMatchObject({ ok: true });
    expect(await setContactRoles(db, accountId, userId, await demoContactId(), { billing: true, tech: false, dpo: true }, true)).toMatchObject({ ok: true });
  });

  it.runIf(kind === "postgres")("two people removing Billing from the last two addresses at once leave one Billing address", async () => {
    const a = await demoContactId();
    const b = await addVerified("second@example.com");
    await setContactRoles(db, accountId, userId, b, { billing: true, tech: true, dpo: true }, true);
    for (let round = 0; round < 5; round++) {
      const results = await Promise.all([
        setContactRoles(db, accountId, userId, a, { billing: false, tech: true, dpo: true }, true),
        setContactRoles(db, accountId, userId, b, { billing: false, tech: true, dpo: true }, true),
      ]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect((await billingRecipients(db, accountId)).length).toBe(1);
      await setContactRoles(db, accountId, userId, a, { billing: true, tech: true, dpo: true }, true);
      await setContactRoles(db, accountId, userId, b, { billing: true, tech: true, dpo: true }, true);
    }
  });
});

describe("phones and customer info", () => {
  it("validates phone numbers as E.164", async () => {
    expect(phoneSchema.safeParse("+46 8 123 456 78").data).toBe("+4681234567" + "8");
    expect(phoneSchema.safeParse("08-123 456").success).toBe(false);
    expect(phoneSchema.safeParse("+0123456789").success).toBe(false);
    expect(await addPhone(db, accountId, userId, "+4670123456", "Mobile")).toMatchObject({ ok: true });
    expect(await addPhone(db, accountId, userId, "+4670123456", null)).toMatchObject({ ok: false });
    expect((await listContacts(db, accountId)).phones.map((p) => p.phone)).toContain("+4670123456");
  });

  const base = {
    firstName: "Ada",
    lastName: "Lindqvist",
    companyName: "Example Cloud Customer AB",
    street: "Drottninggatan 1",
    city: "Stockholm",
    zipCode: "111 51",
    countryCode: "SE",
    vatNumber: "SE556677889901",
    purchaseOrder: "",
    careOf: "",
    separateBilling: "",
  };

  it("checks VAT numbers and zip codes per country, with messages per field", () => {
    expect(customerInfoSchema.safeParse(base).success).toBe(true);
    const bad = customerInfoSchema.safeParse({ ...base, zipCode: "1234", vatNumber: "SE123", companyName: "x".repeat(200) });
    expect(bad.success).toBe(false);
    const fields = new Set(bad.error!.issues.map((i) => i.path[0]));
    expect(fields).toEqual(new Set(["zipCode", "vatNumber", "companyName"]));
    expect(customerInfoSchema.safeParse({ ...base, countryCode: "FI", zipCode: "00100", vatNumber: "FI12345678" }).success).toBe(true);
    expect(customerInfoSchema.safeParse({ ...base, vatNumber: "FI12345678" }).success).toBe(false);
    expect(customerInfoSchema.safeParse({ ...base, companyName: "<script>alert(1)</script>" }).success).toBe(false);
  });

  it("changes apply to future invoices only: an issued invoice keeps its address", async () => {
    const [inv] = await db.select({ number: invoices.number }).from(invoices).where(eq(invoices.accountId, accountId)).limit(1);
    const before = await getInvoiceDetail(db, accountId, inv!.number, TODAY);
    const input = customerInfoSchema.parse(base);
    await updateCustomerInfo(db, accountId, userId, input);
    const [acc] = await db.select({ street: accounts.street }).from(accounts).where(eq(accounts.id, accountId));
    expect(acc!.street).toBe("Drottninggatan 1");
    const after = await getInvoiceDetail(db, accountId, inv!.number, TODAY);
    expect(after!.customer).toEqual(before!.customer);
    expect(after!.customer.street).toBe("Kungsgatan 12");
    const [audit] = await db.select().from(auditEvents).where(and(eq(auditEvents.accountId, accountId), eq(auditEvents.action, "customer_info.updated")));
    expect(audit!.before).toMatchObject({ street: "Kungsgatan 12" });
    expect(audit!.after).toMatchObject({ street: "Drottninggatan 1" });
  });
});
