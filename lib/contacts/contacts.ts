/**
 * Contact email addresses and their roles (docs/product.md, "Contact"). Rules, enforced here inside
 * one transaction that locks all of the account's contact rows first:
 * - an unverified address holds no role (also a CHECK constraint);
 * - every role is held by at least one verified address, so the only address holds them all
 *   and cannot be deleted;
 * - moving Billing (add to the new, then remove from the old) never leaves no Billing address;
 *   two people removing Billing from the last two addresses at once: the second is refused.
 * Verification codes: 6 digits, stored as an HMAC, single use, valid 8 hours, locked after
 * 5 wrong tries; the address's budget of wrong codes and how often codes are sent to it outlive
 * the code and the row (verification-limits.ts).
 * Giving an address Billing decides where invoices go: it needs the caller's password, and
 * whether it is "giving" is read from the locked row, never from the form.
 */
import crypto from "node:crypto";
import { and, asc, eq, sql } from "drizzle-orm";
import type { Database, Executor, Transaction } from "@/db/client";
import { contactEmails, contactPhones } from "@/db/schema";
import { audit } from "@/lib/audit";
import { enqueueEmail } from "@/lib/email/outbox";
import { verificationEmail } from "@/lib/email/templates";
import { env } from "@/lib/env";
import { ROLE_LABEL, ROLES, type Role, type Roles } from "./roles";
import { BUDGET_SPENT_MESSAGE, clearFailedTries, failedTries, recordFailedTry, recordSend, sendRefusal, TRY_BUDGET } from "./verification-limits";

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

/** Stores a new code for the row, queues its email and counts the send. */
async function sendNewCode(tx: Transaction, accountId: string, id: string, email: string) {
  const code = newCode();
  await tx
    .update(contactEmails)
    .set({ verificationCodeHash: codeHash(id, code), verificationExpiresAt: sql`now() + make_interval(hours => ${CODE_TTL_HOURS})`, verificationAttempts: 0 })
    .where(and(eq(contactEmails.accountId, accountId), eq(contactEmails.id, id)));
  await enqueueEmail(tx, { accountId, kind: "verification", recipients: [email], ...verificationEmail(email, code, CODE_TTL_HOURS) });
  await recordSend(tx, accountId, email);
}

export async function createContactEmail(db: Database, accountId: string, actorUserId: string, email: string): Promise<Success<{ id: string }> | Failure> {
  return db.transaction(async (tx) => {
    const rows = await lockAll(tx, accountId);
    if (rows.some((r) => r.email === email)) return { ok: false, field: "email", message: "This address is already on the list." };
    if (rows.length >= 50) return { ok: false, field: "email", message: "An account can have at most 50 contact addresses." };
    // Deleting and re-adding an address sends it no more codes than resending would.
    const refusal = await sendRefusal(tx, accountId, email);
    if (refusal) return { ok: false, field: "email", message: refusal };
    const [row] = await tx.insert(contactEmails).values({ accountId, email }).returning({ id: contactEmails.id });
    await sendNewCode(tx, accountId, row!.id, email);
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
    if ((await failedTries(tx, accountId, row.email)) >= TRY_BUDGET) return { ok: false, message: BUDGET_SPENT_MESSAGE };
    const refusal = await sendRefusal(tx, accountId, row.email);
    if (refusal) return { ok: false, message: refusal };
    await sendNewCode(tx, accountId, id, row.email);
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
    const spent = await failedTries(tx, accountId, row.email);
    if (spent >= TRY_BUDGET) return { ok: false, field: "code", message: BUDGET_SPENT_MESSAGE };
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
      const addressTries = await recordFailedTry(tx, accountId, row.email);
      await audit(tx, { accountId, actorUserId, action: "contact.code_rejected", entityType: "contact_email", entityId: id, after: { attempts, addressTries } });
      return { ok: false, field: "code", message: wrongCodeMessage(MAX_CODE_ATTEMPTS - attempts, TRY_BUDGET - addressTries) };
    }
    // Single use: the code is gone once it has worked.
    await tx
      .update(contactEmails)
      .set({ verifiedAt: sql`now()`, verificationCodeHash: null, verificationExpiresAt: null, verificationAttempts: 0 })
      .where(eq(contactEmails.id, id));
    await clearFailedTries(tx, accountId, row.email);
    await audit(tx, { accountId, actorUserId, action: "contact.email_verified", entityType: "contact_email", entityId: id, after: { email: row.email } });
    return { ok: true };
  });
}

function wrongCodeMessage(codeTriesLeft: number, addressTriesLeft: number): string {
  if (addressTriesLeft <= 0) return BUDGET_SPENT_MESSAGE;
  if (codeTriesLeft <= 0) return "Too many wrong codes. Send a new code and try again.";
  const left = Math.min(codeTriesLeft, addressTriesLeft);
  return `That code is not right. ${left} ${left === 1 ? "try" : "tries"} left.`;
}

export const PASSWORD_NEEDED_MESSAGE = "Enter your password to give this address Billing.";

/**
 * Sets an address's roles. Giving it Billing (it does not hold it in the locked row) needs
 * `reauthenticated`: the caller confirmed their password in this request. `changed` tells
 * whether anything was written; `billingRemoved` whether the "invoices go elsewhere" notice
 * was queued.
 */
export async function setContactRoles(
  db: Database,
  accountId: string,
  actorUserId: string,
  id: string,
  roles: Roles,
  reauthenticated: boolean,
): Promise<Success<{ changed: boolean; billingRemoved: boolean }> | Failure> {
  return db.transaction(async (tx) => {
    const rows = await lockAll(tx, accountId);
    const row = rows.find((r) => r.id === id);
    if (!row) return { ok: false, message: "This address is not on the list." };
    if (!row.verifiedAt && (roles.billing || roles.tech || roles.dpo)) {
      return { ok: false, message: "Verify this address before giving it a role." };
    }
    if (roles.billing && !row.isBilling && !reauthenticated) return { ok: false, field: "password", message: PASSWORD_NEEDED_MESSAGE };
    const before = { billing: row.isBilling, tech: row.isTech, dpo: row.isDpo };
    if (ROLES.every((r) => before[r] === roles[r])) return { ok: true, changed: false, billingRemoved: false };
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
    const updated = await tx
      .update(contactEmails)
      .set({ isBilling: roles.billing, isTech: roles.tech, isDpo: roles.dpo })
      .where(and(eq(contactEmails.accountId, accountId), eq(contactEmails.id, id)))
      .returning({ id: contactEmails.id });
    if (!updated[0]) return { ok: false, message: "This address is not on the list." };
    await audit(tx, { accountId, actorUserId, action: "contact.roles_changed", entityType: "contact_email", entityId: id, before: { email: row.email, ...before }, after: { email: row.email, ...roles } });
    const billingRemoved = row.isBilling && !roles.billing;
    if (billingRemoved) {
      const now = next.filter((r) => r.verifiedAt && r.isBilling).map((r) => r.email).sort();
      await enqueueEmail(tx, {
        accountId,
        kind: "billing_moved",
        recipients: [row.email],
        subject: "Cumulus invoices now go to another address",
        textBody: `${row.email} no longer receives the invoices of your Cumulus cloud account.\n\nFrom now on, invoices go to: ${now.join(", ")}.\n\nIf you did not expect this change, contact your account's administrator.`,
      });
    }
    return { ok: true, changed: true, billingRemoved };
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
