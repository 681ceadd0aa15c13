/** The viewer's own personal API tokens: listed, created and revoked with invoice access Read or Full. */
import "server-only";
import { getDb } from "@/db/client";
import { API_TOKEN_ACCESS_REQUIRED, createApiToken, listApiTokens, revokeApiToken, type ApiTokenCreation, type ApiTokenListItem } from "@/lib/api-tokens/tokens";
import type { ApiTokenExpiryDays } from "@/lib/api-tokens/limits";
import { canReadInvoices, type Viewer } from "./session";

export async function getViewerApiTokens(viewer: Viewer): Promise<ApiTokenListItem[] | null> {
  if (!canReadInvoices(viewer)) return null;
  return listApiTokens(getDb(), viewer.userId);
}

export async function createViewerApiToken(viewer: Viewer, input: { name: string; expiresInDays: ApiTokenExpiryDays }): Promise<ApiTokenCreation> {
  if (!canReadInvoices(viewer)) return { ok: false, message: API_TOKEN_ACCESS_REQUIRED };
  return createApiToken(getDb(), { accountId: viewer.account.id, userId: viewer.userId, ...input });
}

export async function revokeViewerApiToken(viewer: Viewer, tokenId: string): Promise<boolean> {
  if (!canReadInvoices(viewer)) return false;
  return revokeApiToken(getDb(), { accountId: viewer.account.id, userId: viewer.userId, tokenId });
}
