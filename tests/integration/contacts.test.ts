/**
 * Contact addresses and roles (docs/product.md, "Contact"): verification codes (hashed, single use,
 * 8 hours, locked after 5 wrong tries), the role rules, the Billing-moved notice, audit rows,
 * Customer Info validation and its "future invoices only" rule.
 */
import { and, eq, sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { seedDemo } from "@/scripts/seed";
import { accounts, auditEvents, contactEmails, emailOutbox, invoices, users } from "@/db/schema";
import { updateCustomerInfo } from "@/lib/account/settings";
import { customerInfoSchema, phoneSchema } from "@/lib/account/validation";
import {
  addPhone,
  billingRecipients,
  createContactEmail,
  deleteContactEmail,
  listContacts,
  setContactRoles,
  verifyContactEmail,
} from "@/lib/contacts/contacts";
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
  const rows = await db.select({ subject: emailOutbox.subject, recipients: emailOutbox.recipients }).from(emailOutbox).where(eq(emailOutbox.kind, "verification"));
  const mail = rows.filter((r) => r.recipients.includes(email)).at(-1);
  return /(\d{6})/.exec(mail!.subject)![1]!;
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
    expect(await setContactRoles(db, accountId, userId, created.id, { billing: true, tech: false, dpo: false })).toMatchObject({ ok: false, message: /Verify/ });
    await expect(db.update(contactEmails).set({ isBilling: true }).where(eq(contactEmails.id, created.id))).rejects.toThrow();
  });
});

describe("role rules", () => {
  it("the only address holds every role and cannot be deleted", async () => {
    const id = await demoContactId();
    expect(await setContactRoles(db, accountId, userId, id, { billing: false, tech: true, dpo: true })).toMatchObject({ ok: false, message: /only address/ });
    expect(await deleteContactEmail(db, accountId, userId, id)).toMatchObject({ ok: false, message: /only address/ });
  });

  it("moves Billing to a new address: the line changes and the old address gets a notice", async () => {
    const oldId = await demoContactId();
    const newId = await addVerified("finance@example.com");
    expect(await billingRecipients(db, accountId)).toEqual(["demo@example.com"]);
    expect(await setContactRoles(db, accountId, userId, newId, { billing: true, tech: false, dpo: false })).toEqual({ ok: true });
    expect(await billingRecipients(db, accountId)).toEqual(["demo@example.com", "finance@example.com"]);
    expect(await setContactRoles(db, accountId, userId, oldId, { billing: false, tech: true, dpo: true })).toEqual({ ok: true });
    expect(await billingRecipients(db, accountId)).toEqual(["finance@example.com"]);
    const [notice] = await db.select().from(emailOutbox).where(eq(emailOutbox.kind, "billing_moved"));
    expect(notice!.recipients).toEqual(["demo@example.com"]);
    expect(notice!.textBody).toContain("finance@example.com");
    // Tech and DPO still only on the old address: it cannot be deleted yet.
    expect(await deleteContactEmail(db, accountId, userId, oldId)).toMatchObject({ ok: false, message: /Tech, DPO/ });
    await setContactRoles(db, accountId, userId, newId, { billing: true, tech: true, dpo: true });
    expect(await deleteContactEmail(db, accountId, userId, oldId)).toEqual({ ok: true });
    const actions = (await db.select({ action: auditEvents.action }).from(auditEvents).where(eq(auditEvents.accountId, accountId))).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(["contact.email_created", "contact.email_verified", "contact.roles_changed", "contact.email_deleted"]));
  });

  it("refuses to leave a role without a verified holder", async () => {
    const newId = await addVerified("ops@example.com");
    expect(await setContactRoles(db, accountId, userId, await demoContactId(), { billing: true, tech: false, dpo: true })).toMatchObject({ ok: false, message: /Tech must stay/ });
    expect(await setContactRoles(db, accountId, userId, newId, { billing: false, tech: true, dpo: false })).toEqual({ ok: true });
    expect(await setContactRoles(db, accountId, userId, await demoContactId(), { billing: true, tech: false, dpo: true })).toEqual({ ok: true });
  });

  it.runIf(kind === "postgres")("two people removing Billing from the last two addresses at once leave one Billing address", async () => {
    const a = await demoContactId();
    const b = await addVerified("second@example.com");
    await setContactRoles(db, accountId, userId, b, { billing: true, tech: true, dpo: true });
    for (let round = 0; round < 5; round++) {
      const results = await Promise.all([
        setContactRoles(db, accountId, userId, a, { billing: false, tech: true, dpo: true }),
        setContactRoles(db, accountId, userId, b, { billing: false, tech: true, dpo: true }),
      ]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect((await billingRecipients(db, accountId)).length).toBe(1);
      await setContactRoles(db, accountId, userId, a, { billing: true, tech: true, dpo: true });
      await setContactRoles(db, accountId, userId, b, { billing: true, tech: true, dpo: true });
    }
  });
});

describe("phones and customer info", () => {
  it("validates phone numbers as E.164", async () => {
    expect(phoneSchema.safeParse("+46 8 123 456 78").data).toBe("+4681234567" + "8");
    expect(phoneSchema.safeParse("08-123 456").success).toBe(false);
    expect(phoneSchema.safeParse("+0123456789").success).toBe(false);
    expect(await addPhone(db, accountId, userId, "+4670123456", "Mobile")).toEqual({ ok: true });
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
