/**
 * Share links for the accountant: a read-only link to one invoice or a bundle, with an expiry
 * of 1, 7 or 30 days. The token is shown once and only its hash is kept; a link answers while
 * it is neither revoked nor expired and its creator still has invoice access Full.
 */
import { and, desc, eq, gt, isNull } from "drizzle-orm";
import type { Database, Executor } from "@/db/client";
import { accounts, shareLinks, users } from "@/db/schema";
import { audit } from "@/lib/audit";
import { hashSecretToken, newSecretToken } from "@/lib/auth/secret-token";
import { invoicesByNumbers } from "@/lib/invoices/list";

export const SHARE_EXPIRY_DAYS = [1, 7, 30] as const;
export type ShareExpiryDays = (typeof SHARE_EXPIRY_DAYS)[number];
export const DEFAULT_SHARE_EXPIRY_DAYS: ShareExpiryDays = 7;
/** Bundles as large as Download selected allows. */
export const MAX_SHARED_INVOICES = 500;
const TOKEN_PREFIX = "cus_share";
const DAY_MS = 24 * 60 * 60 * 1000;

/** The path of a link (the caller puts the configured panel address in front). */
export const sharePath = (token: string) => `/share/${token}`;

export type NewShareLink = { accountId: string; userId: string; numbers: number[]; expiryDays: ShareExpiryDays; today: string; now?: Date };

/** Creates the link, or null when any number is not the account's (nothing is written then). */
export async function createShareLink(db: Database, input: NewShareLink): Promise<{ token: string; expiresAt: Date } | null> {
  const numbers = [...new Set(input.numbers)];
  if (numbers.length === 0 || numbers.length > MAX_SHARED_INVOICES) return null;
  const { token, hash } = newSecretToken(TOKEN_PREFIX);
  const expiresAt = new Date((input.now ?? new Date()).getTime() + input.expiryDays * DAY_MS);
  return db.transaction(async (tx) => {
    if (!(await invoicesByNumbers(tx, input.accountId, numbers, input.today))) return null;
    const [row] = await tx
      .insert(shareLinks)
      .values({ accountId: input.accountId, createdByUserId: input.userId, tokenHash: hash, isBundle: numbers.length > 1, invoiceNumbers: numbers, expiresAt })
      .returning({ id: shareLinks.id });
    await audit(tx, {
      accountId: input.accountId,
      actorUserId: input.userId,
      action: "share_link.created",
      entityType: "share_link",
      entityId: row!.id,
      after: { invoiceNumbers: numbers, expiresAt: expiresAt.toISOString() },
    });
    return { token, expiresAt };
  });
}

const live = (now: Date) => and(isNull(shareLinks.revokedAt), gt(shareLinks.expiresAt, now));

export type ActiveShareLink = { id: string; invoiceNumbers: number[]; isBundle: boolean; createdAt: Date; expiresAt: Date; createdBy: string };

/** The account's links that still answer, newest first. */
export async function listActiveShareLinks(db: Executor, accountId: string, now = new Date()): Promise<ActiveShareLink[]> {
  const rows = await db
    .select({
      id: shareLinks.id,
      invoiceNumbers: shareLinks.invoiceNumbers,
      isBundle: shareLinks.isBundle,
      createdAt: shareLinks.createdAt,
      expiresAt: shareLinks.expiresAt,
      createdBy: users.name,
    })
    .from(shareLinks)
    .innerJoin(users, eq(users.id, shareLinks.createdByUserId))
    .where(and(eq(shareLinks.accountId, accountId), live(now)))
    .orderBy(desc(shareLinks.createdAt));
  return rows.map((r) => ({ ...r, invoiceNumbers: r.invoiceNumbers.map(Number) }));
}

/** Revokes one of the account's live links; false when it is foreign, unknown or no longer live. */
export async function revokeShareLink(db: Database, accountId: string, actorUserId: string, linkId: string, now = new Date()): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(shareLinks)
      .set({ revokedAt: now })
      .where(and(eq(shareLinks.id, linkId), eq(shareLinks.accountId, accountId), live(now)))
      .returning({ id: shareLinks.id, invoiceNumbers: shareLinks.invoiceNumbers });
    if (!row) return false;
    await audit(tx, { accountId, actorUserId, action: "share_link.revoked", entityType: "share_link", entityId: row.id, before: { invoiceNumbers: row.invoiceNumbers } });
    return true;
  });
}

export type SharedLink = {
  id: string;
  accountId: string;
  isBundle: boolean;
  invoiceNumbers: number[];
  expiresAt: Date;
  account: { language: "en" | "sv"; timeZone: string };
};

/**
 * The live link behind a token, or null: unknown, tampered, revoked and expired tokens, and
 * links whose creator no longer has Full, are all the same null.
 */
export async function findSharedLink(db: Executor, token: string, now = new Date()): Promise<SharedLink | null> {
  if (!token.startsWith(`${TOKEN_PREFIX}_`) || token.length > 100) return null;
  const [row] = await db
    .select({
      id: shareLinks.id,
      accountId: shareLinks.accountId,
      isBundle: shareLinks.isBundle,
      invoiceNumbers: shareLinks.invoiceNumbers,
      expiresAt: shareLinks.expiresAt,
      language: accounts.language,
      timeZone: accounts.timeZone,
    })
    .from(shareLinks)
    .innerJoin(users, and(eq(users.id, shareLinks.createdByUserId), eq(users.invoiceAccess, "full")))
    .innerJoin(accounts, eq(accounts.id, shareLinks.accountId))
    .where(and(eq(shareLinks.tokenHash, hashSecretToken(token)), live(now)))
    .limit(1);
  if (!row) return null;
  const { language, timeZone, ...link } = row;
  return { ...link, invoiceNumbers: link.invoiceNumbers.map(Number), account: { language, timeZone } };
}

/** What a use of a link fetched: its page, one PDF or the ZIP. */
export type SharedFetch = { what: "page" } | { what: "pdf"; invoiceNumber: number } | { what: "zip" };

/** The audit row of one use: when (the row's time), from which address, what was fetched. */
export function recordShareUse(db: Executor, link: SharedLink, clientAddress: string | null, fetched: SharedFetch): Promise<void> {
  return audit(db, {
    accountId: link.accountId,
    actorUserId: null,
    action: "share_link.used",
    entityType: "share_link",
    entityId: link.id,
    after: { address: clientAddress, ...fetched },
  });
}

/** Revokes every live link the user created: called when the user loses invoice access Full. */
export async function revokeShareLinksOf(tx: Executor, accountId: string, userId: string, now: Date): Promise<number> {
  const revoked = await tx
    .update(shareLinks)
    .set({ revokedAt: now })
    .where(and(eq(shareLinks.accountId, accountId), eq(shareLinks.createdByUserId, userId), isNull(shareLinks.revokedAt)))
    .returning({ id: shareLinks.id });
  return revoked.length;
}
