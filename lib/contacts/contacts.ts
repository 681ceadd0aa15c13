/**
 * Contact email addresses and their roles (docs/product.md, "Contact"). Rules, enforced here inside
 * one transaction that locks all of the account's contact rows first:
 * - an unverified address holds no role (also a CHECK constraint);
 * - every role is held by at least one verified address, so the only address holds them all
 *   and cannot be deleted;
 * - moving Billing (add to the new, then remove from the old) never leaves no Billing address;
 *   two people removing Billing from the last two addresses at once: the second is refused.
 * Verification codes: 6 digits, stored as an HMAC, single use, valid 8 hours, locked after
 * 5 wrong tries.
 */
import crypto from "node:crypto";
import { and, asc, eq, sql } from "drizzle-orm";
import type { Database, Executor, Transaction } from "@/db/client";
import { contactEmails, contactPhones } from "@/db/schema";
import { audit } from "@/lib/audit";
import { enqueueEmail } from "@/lib/email/outbox";
import { env } from "@/lib/env";
import { ROLE_LABEL, ROLES, type Role, type Roles } from "./roles";

export const CODE_TTL_HOURS = 8;
export const MAX_CODE_ATTEMPTS = 5;
export { ROLE_DESCRIPTION, ROLE_LABEL, ROLES, type Role, type Roles } from "./roles";
type Failure = { ok: false; message: string; field?: string };
type Success<T = object> = { ok: true } & T;

function codeHash(contactId: string, code: string): string {
  const secret = env().AUTH_SECRET ?? "cumulus-development-only";
  return crypto.createHmac("sha256", secret).update(`contact-verification:${contactId}:${code}`).digest("hex");
}

function newCode(): string {
  return String(crypto.randomInt(0, 1_000_000)).padStart(6, "0");
}

export async function listContacts(db: Executor, accountId: string) {
  const [emails, phones] = await Promise.all([
    db
      .select({
        id: contactEmails.id,
        email: contactEmails.email,
        verified: sql<boolean>`${contactEmails.verifiedAt} is not null`,
        billing: contactEmails.isBilling,
        tech: contactEmails.isTech,
        dpo: contactEmails.isDpo,
        codeLocked: sql<boolean>`${contactEmails.verificationAttempts} >= ${MAX_CODE_ATTEMPTS}`,
      })
      .from(contactEmails)
      .where(eq(contactEmails.accountId, accountId))
      .orderBy(asc(contactEmails.createdAt), asc(contactEmails.email)),
    db
      .select({ id: contactPhones.id, phone: contactPhones.phone, label: contactPhones.label })
      .from(contactPhones)
      .where(eq(contactPhones.accountId, accountId))
      .orderBy(asc(contactPhones.createdAt)),
  ]);
  return { emails, phones };
}

/** Where the next invoice email goes: the one query the sender uses too. */
export { billingRecipients } from "@/lib/email/outbox";

/** Locks every contact row of the account (fixed order) and returns them. */
async function lockAll(tx: Transaction, accountId: string) {
  return tx
    .select()
    .from(contactEmails)
    .where(eq(contactEmails.accountId, accountId))
    .orderBy(asc(contactEmails.id))
    .for("update");
}

type Row = Awaited<ReturnType<typeof lockAll>>[number];

/** The roles nobody verified would hold if `rows` were the account's addresses. */
function rolesWithoutHolder(rows: Pick<Row, "verifiedAt" | "isBilling" | "isTech" | "isDpo">[]): Role[] {
  const held = (pick: (r: (typeof rows)[number]) => boolean) => rows.some((r) => r.verifiedAt !== null && pick(r));
  return ROLES.filter((role) => !held((r) => (role === "billing" ? r.isBilling : role === "tech" ? r.isTech : r.isDpo)));
}

function verificationEmail(email: string, code: string) {
  return {
    subject: `Your Cumulus verification code: ${code}`,
    textBody:
      `Someone added ${email} as a contact address of a Cumulus cloud account.\n\n` +
      `Your verification code is ${code}. It is valid for ${CODE_TTL_HOURS} hours.\n\n` +
      `If you did not expect this, you can ignore this message.`,
  };
}

export async function createContactEmail(db: Database, accountId: string, actorUserId: string, email: string): Promise<Success<{ id: string }> | Failure> {
  return db.transaction(async (tx) => {
    const rows = await lockAll(tx, accountId);
    if (rows.some((r) => r.email === email)) return { ok: false, field: "email", message: "This address is already on the list." };
    if (rows.length >= 50) return { ok: false, field: "email", message: "An account can have at most 50 contact addresses." };
    const [row] = await tx.insert(contactEmails).values({ accountId, email }).returning({ id: contactEmails.id });
    const code = newCode();
    await tx
      .update(contactEmails)
      .set({ verificationCodeHash: codeHash(row!.id, code), verificationExpiresAt: sql`now() + make_interval(hours => ${CODE_TTL_HOURS})`, verificationAttempts: 0 })
      .where(eq(contactEmails.id, row!.id));
    await enqueueEmail(tx, { accountId, kind: "verification", recipients: [email], ...verificationEmail(email, code) });
    await audit(tx, { accountId, actorUserId, action: "contact.email_created", entityType: "contact_email", entityId: row!.id, after: { email } });
    return { ok: true, id: row!.id };
  });
}

export async function resendVerificationCode(db: Database, accountId: string, actorUserId: string, id: string): Promise<Success | Failure> {
  return db.transaction(async (tx) => {
    const rows = await lockAll(tx, accountId);
    const row = rows.find((r) => r.id === id);
    if (!row) return { ok: false, message: "This address is not on the list." };
    if (row.verifiedAt) return { ok: false, message: "This address is already verified." };
    const code = newCode();
    await tx
      .update(contactEmails)
      .set({ verificationCodeHash: codeHash(id, code), verificationExpiresAt: sql`now() + make_interval(hours => ${CODE_TTL_HOURS})`, verificationAttempts: 0 })
      .where(eq(contactEmails.id, id));
    await enqueueEmail(tx, { accountId, kind: "verification", recipients: [row.email], ...verificationEmail(row.email, code) });
    await audit(tx, { accountId, actorUserId, action: "contact.code_resent", entityType: "contact_email", entityId: id });
    return { ok: true };
  });
}

export async function verifyContactEmail(db: Database, accountId: string, actorUserId: string, id: string, code: string): Promise<Success | Failure> {
  return db.transaction(async (tx) => {
    const rows = await lockAll(tx, accountId);
    const row = rows.find((r) => r.id === id);
    if (!row) return { ok: false, field: "code", message: "This address is not on the list." };
    if (row.verifiedAt) return { ok: true };
    if (row.verificationAttempts >= MAX_CODE_ATTEMPTS) {
      return { ok: false, field: "code", message: "Too many wrong codes. Send a new code and try again." };
    }
    if (!row.verificationCodeHash || !row.verificationExpiresAt || row.verificationExpiresAt.getTime() < Date.now()) {
      return { ok: false, field: "code", message: "This code has expired. Send a new code." };
    }
    const expected = Buffer.from(row.verificationCodeHash, "hex");
    const given = Buffer.from(codeHash(id, code), "hex");
    if (!crypto.timingSafeEqual(expected, given)) {
      const attempts = row.verificationAttempts + 1;
      await tx.update(contactEmails).set({ verificationAttempts: attempts }).where(eq(contactEmails.id, id));
      await audit(tx, { accountId, actorUserId, action: "contact.code_rejected", entityType: "contact_email", entityId: id, after: { attempts } });
      const left = MAX_CODE_ATTEMPTS - attempts;
      return {
        ok: false,
        field: "code",
        message: left > 0 ? `That code is not right. ${left} ${left === 1 ? "try" : "tries"} left.` : "Too many wrong codes. Send a new code and try again.",
      };
    }
    // Single use: the code is gone once it has worked.
    await tx
      .update(contactEmails)
      .set({ verifiedAt: sql`now()`, verificationCodeHash: null, verificationExpiresAt: null, verificationAttempts: 0 })
      .where(eq(contactEmails.id, id));
    await audit(tx, { accountId, actorUserId, action: "contact.email_verified", entityType: "contact_email", entityId: id, after: { email: row.email } });
    return { ok: true };
  });
}

/** Sets an address's roles. Adding Billing needs the caller to have re-authenticated. */
export async function setContactRoles(db: Database, accountId: string, actorUserId: string, id: string, roles: Roles): Promise<Success | Failure> {
  return db.transaction(async (tx) => {
    const rows = await lockAll(tx, accountId);
    const row = rows.find((r) => r.id === id);
    if (!row) return { ok: false, message: "This address is not on the list." };
    if (!row.verifiedAt && (roles.billing || roles.tech || roles.dpo)) {
      return { ok: false, message: "Verify this address before giving it a role." };
    }
    const next = rows.map((r) => (r.id === id ? { ...r, isBilling: roles.billing, isTech: roles.tech, isDpo: roles.dpo } : r));
    const orphaned = rolesWithoutHolder(next);
    if (orphaned.length > 0) {
      const names = orphaned.map((r) => ROLE_LABEL[r]).join(", ");
      return {
        ok: false,
        message:
          rows.filter((r) => r.verifiedAt).length === 1
            ? `The only address holds every role. Add and verify another address first.`
            : `${names} must stay with at least one verified address. Give ${orphaned.length === 1 ? "it" : "them"} to another address first.`,
      };
    }
    const before = { billing: row.isBilling, tech: row.isTech, dpo: row.isDpo };
    await tx.update(contactEmails).set({ isBilling: roles.billing, isTech: roles.tech, isDpo: roles.dpo }).where(eq(contactEmails.id, id));
    await audit(tx, { accountId, actorUserId, action: "contact.roles_changed", entityType: "contact_email", entityId: id, before: { email: row.email, ...before }, after: { email: row.email, ...roles } });
    if (row.isBilling && !roles.billing) {
      const now = next.filter((r) => r.verifiedAt && r.isBilling).map((r) => r.email).sort();
      await enqueueEmail(tx, {
        accountId,
        kind: "billing_moved",
        recipients: [row.email],
        subject: "Cumulus invoices now go to another address",
        textBody: `${row.email} no longer receives the invoices of your Cumulus cloud account.\n\nFrom now on, invoices go to: ${now.join(", ")}.\n\nIf you did not expect this change, contact your account's administrator.`,
      });
    }
    return { ok: true };
  });
}

export async function deleteContactEmail(db: Database, accountId: string, actorUserId: string, id: string): Promise<Success | Failure> {
  return db.transaction(async (tx) => {
    const rows = await lockAll(tx, accountId);
    const row = rows.find((r) => r.id === id);
    if (!row) return { ok: false, message: "This address is not on the list." };
    if (rows.length === 1) return { ok: false, message: "The only address cannot be deleted." };
    const orphaned = rolesWithoutHolder(rows.filter((r) => r.id !== id));
    if (orphaned.length > 0) {
      return { ok: false, message: `Give ${orphaned.map((r) => ROLE_LABEL[r]).join(", ")} to another verified address before deleting this one.` };
    }
    await tx.delete(contactEmails).where(eq(contactEmails.id, id));
    await audit(tx, { accountId, actorUserId, action: "contact.email_deleted", entityType: "contact_email", entityId: id, before: { email: row.email, billing: row.isBilling, tech: row.isTech, dpo: row.isDpo } });
    return { ok: true };
  });
}

export async function addPhone(db: Database, accountId: string, actorUserId: string, phone: string, label: string | null): Promise<Success | Failure> {
  return db.transaction(async (tx) => {
    const inserted = await tx.insert(contactPhones).values({ accountId, phone, label }).onConflictDoNothing().returning({ id: contactPhones.id });
    if (!inserted[0]) return { ok: false, field: "phone", message: "This number is already on the list." };
    await audit(tx, { accountId, actorUserId, action: "contact.phone_added", entityType: "contact_phone", entityId: inserted[0].id, after: { phone, label } });
    return { ok: true };
  });
}

export async function removePhone(db: Database, accountId: string, actorUserId: string, id: string): Promise<Success | Failure> {
  return db.transaction(async (tx) => {
    const removed = await tx
      .delete(contactPhones)
      .where(and(eq(contactPhones.accountId, accountId), eq(contactPhones.id, id)))
      .returning({ phone: contactPhones.phone });
    if (!removed[0]) return { ok: false, message: "This number is not on the list." };
    await audit(tx, { accountId, actorUserId, action: "contact.phone_removed", entityType: "contact_phone", entityId: id, before: { phone: removed[0].phone } });
    return { ok: true };
  });
}
