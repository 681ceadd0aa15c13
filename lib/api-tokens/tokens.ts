/**
 * Personal API tokens: created, listed and revoked by their user, and found by the hash of the
 * bearer token an API request brings. A token reads as its user, with the invoice access the user
 * has at each request (lib/dal/api.ts); it never writes.
 */
import { and, count, desc, eq, gt, isNull, ne, sql } from "drizzle-orm";
import type { Database, Executor } from "@/db/client";
import { accounts, apiTokens, users } from "@/db/schema";
import { audit } from "@/lib/audit";
import { hashSecretToken, newSecretToken } from "@/lib/auth/secret-token";
import { accountToday } from "@/lib/dates";
import { apiTokenNoticeEmail } from "@/lib/email/api-token-templates";
import { enqueueEmail } from "@/lib/email/outbox";
import { providerDetails } from "@/lib/provider";
import { viewerColumns } from "@/lib/users/viewer-columns";
import { API_TOKENS_LIVE_MAX, type ApiTokenExpiryDays } from "./limits";

/** What a token starts with: tells a leaked secret apart in logs and secret scanners. */
export const API_TOKEN_PREFIX = "cumulus_pat";
export const API_TOKEN_ACCESS_REQUIRED = "An API token needs invoice access Read or Full.";
export const API_TOKEN_CAP_REACHED = `You have ${API_TOKENS_LIVE_MAX} active tokens: revoke one first.`;

export type ApiTokenListItem = { id: string; name: string; createdAt: Date; expiresAt: Date; lastUsedAt: Date | null };

/** The user's tokens that are not revoked, newest first (expired ones too, so they can be seen and removed). */
export function listApiTokens(db: Executor, userId: string): Promise<ApiTokenListItem[]> {
  return db
    .select({ id: apiTokens.id, name: apiTokens.name, createdAt: apiTokens.createdAt, expiresAt: apiTokens.expiresAt, lastUsedAt: apiTokens.lastUsedAt })
    .from(apiTokens)
    .where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
    .orderBy(desc(apiTokens.createdAt), desc(apiTokens.id));
}

export type ApiTokenCreation = { ok: true; id: string; token: string; expiresAt: Date } | { ok: false; message: string; field?: "name" };

/**
 * Creates a token for a user who (still) has invoice access and fewer than API_TOKENS_LIVE_MAX
 * live ones (counted under the lock on the user's row, so parallel creations cannot pass the cap
 * together), with its audit row and the notice email to the user in one transaction. The token is returned once; only its hash is kept.
 */
export async function createApiToken(
  db: Database,
  m: { accountId: string; userId: string; name: string; expiresInDays: ApiTokenExpiryDays },
): Promise<ApiTokenCreation> {
  const { token, hash } = newSecretToken(API_TOKEN_PREFIX);
  return db.transaction(async (tx) => {
    const [owner] = await tx
      .select({ email: users.email, accountName: accounts.name, language: accounts.language, timeZone: accounts.timeZone })
      .from(users)
      .innerJoin(accounts, eq(accounts.id, users.accountId))
      .where(and(eq(users.id, m.userId), eq(users.accountId, m.accountId), ne(users.invoiceAccess, "none")))
      .for("update", { of: users });
    if (!owner) return { ok: false as const, message: API_TOKEN_ACCESS_REQUIRED };
    const [held] = await tx
      .select({ live: count() })
      .from(apiTokens)
      .where(and(eq(apiTokens.userId, m.userId), isNull(apiTokens.revokedAt), gt(apiTokens.expiresAt, sql`now()`)));
    if (held!.live >= API_TOKENS_LIVE_MAX) return { ok: false as const, message: API_TOKEN_CAP_REACHED, field: "name" as const };
    const [row] = await tx
      .insert(apiTokens)
      .values({ userId: m.userId, name: m.name, tokenHash: hash, expiresAt: sql`now() + make_interval(days => ${m.expiresInDays})` })
      .returning({ id: apiTokens.id, expiresAt: apiTokens.expiresAt });
    const after = { name: m.name, expiresAt: row!.expiresAt.toISOString() };
    await audit(tx, { accountId: m.accountId, actorUserId: m.userId, action: "api_token.created", entityType: "api_token", entityId: row!.id, after });
    const content = apiTokenNoticeEmail({
      language: owner.language,
      tokenName: m.name,
      expiresOn: accountToday(owner.timeZone, row!.expiresAt),
      userEmail: owner.email,
      accountName: owner.accountName,
      providerName: providerDetails().name,
    });
    await enqueueEmail(tx, { accountId: m.accountId, kind: "notice", recipients: [owner.email], ...content });
    return { ok: true as const, id: row!.id, token, expiresAt: row!.expiresAt };
  });
}

/** Revokes one of the user's own tokens; false when it is not theirs or already revoked (nothing changes). */
export async function revokeApiToken(db: Database, m: { accountId: string; userId: string; tokenId: string }): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [revoked] = await tx
      .update(apiTokens)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(apiTokens.id, m.tokenId), eq(apiTokens.userId, m.userId), isNull(apiTokens.revokedAt)))
      .returning({ id: apiTokens.id, name: apiTokens.name });
    if (!revoked) return false;
    await audit(tx, { accountId: m.accountId, actorUserId: m.userId, action: "api_token.revoked", entityType: "api_token", entityId: revoked.id, before: { name: revoked.name } });
    return true;
  });
}

/**
 * The token a bearer secret names, with its user and account as a session's viewer has them, and
 * whether it is live (neither revoked nor expired, by the database's clock); null when unknown.
 */
export async function findApiToken(db: Executor, bearerToken: string) {
  const [row] = await db
    .select({
      tokenId: apiTokens.id,
      live: sql<boolean>`(${apiTokens.revokedAt} is null and ${apiTokens.expiresAt} > now())`,
      ...viewerColumns,
    })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .innerJoin(accounts, eq(accounts.id, users.accountId))
    .where(eq(apiTokens.tokenHash, hashSecretToken(bearerToken)))
    .limit(1);
  return row ? { ...row, live: row.live === true || String(row.live) === "t" } : null;
}

/** When the token was last used, shown beside it in Settings. */
export async function markApiTokenUsed(db: Executor, tokenId: string): Promise<void> {
  await db.update(apiTokens).set({ lastUsedAt: sql`now()` }).where(eq(apiTokens.id, tokenId));
}
