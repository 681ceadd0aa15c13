"use server";

/**
 * Personal API tokens in Settings: a user with invoice access Read or Full creates, lists and
 * revokes their own (a forged request from a user with None is audited and answers 403). The
 * new token is in the answer to its creation only; nothing else ever shows it again.
 */
import { after } from "next/server";
import { redirect } from "next/navigation";
import { z } from "zod";
import { API_TOKEN_EXPIRY_DAYS, API_TOKEN_NAME_MAX, type ApiTokenExpiryDays } from "@/lib/api-tokens/limits";
import { defineAction, type ActionState } from "@/lib/dal/action";
import { createViewerApiToken, getViewerApiTokens, revokeViewerApiToken } from "@/lib/dal/api-tokens";
import { canReadInvoices, getViewer } from "@/lib/dal/session";
import { formatDateTime } from "@/lib/dates";
import { sendOutboxSoon } from "@/lib/email/sender";

export type ApiTokenRow = { id: string; name: string; createdAt: string; expiresAt: string; lastUsedAt: string | null; expired: boolean };

/** The viewer's tokens as plain props (instants formatted in the account's time zone), or null for invoice access None. */
export async function loadApiTokens(): Promise<ApiTokenRow[] | null> {
  const viewer = await getViewer();
  if (!viewer) redirect("/login");
  const tokens = await getViewerApiTokens(viewer);
  const now = Date.now();
  const when = (instant: Date) => formatDateTime(instant, viewer.account.timeZone, "en");
  return (
    tokens?.map((t) => ({
      id: t.id,
      name: t.name,
      createdAt: when(t.createdAt),
      expiresAt: when(t.expiresAt),
      lastUsedAt: t.lastUsedAt ? when(t.lastUsedAt) : null,
      expired: t.expiresAt.getTime() <= now,
    })) ?? null
  );
}

export type CreateApiTokenState = ActionState<"name" | "expiresInDays"> & { token?: string; tokenName?: string; done?: number };

const createSchema = z.object({
  name: z
    .string({ error: "Give the token a name." })
    .trim()
    .min(1, "Give the token a name.")
    .max(API_TOKEN_NAME_MAX, `Keep the name to ${API_TOKEN_NAME_MAX} characters.`),
  expiresInDays: z.preprocess(
    (v) => (typeof v === "string" && /^\d{1,4}$/.test(v) ? Number(v) : v),
    z.union(API_TOKEN_EXPIRY_DAYS.map((d) => z.literal(d)) as [z.ZodLiteral<ApiTokenExpiryDays>, ...z.ZodLiteral<ApiTokenExpiryDays>[]], {
      error: `Choose an expiry of ${API_TOKEN_EXPIRY_DAYS.join(", ")} days.`,
    }),
  ),
});

export const createApiToken = defineAction<typeof createSchema, CreateApiTokenState>({
  name: "api_tokens.create",
  schema: createSchema,
  authorize: canReadInvoices,
  async handler(viewer, input) {
    const created = await createViewerApiToken(viewer, input);
    if (!created.ok) return created.field ? { ok: false, fieldErrors: { [created.field]: created.message } } : { ok: false, message: created.message };
    // The notice is in the outbox: send it now rather than at the sender's next tick.
    after(sendOutboxSoon);
    return { ok: true, message: `Token created: ${input.name}. Copy it now: it is not shown again.`, token: created.token, tokenName: input.name, done: Date.now() };
  },
});

export type RevokeApiTokenState = ActionState & { done?: number };

export const revokeApiToken = defineAction<z.ZodObject<{ id: z.ZodUUID }>, RevokeApiTokenState>({
  name: "api_tokens.revoke",
  schema: z.object({ id: z.uuid("This token is not on the list.") }),
  authorize: canReadInvoices,
  async handler(viewer, input) {
    const revoked = await revokeViewerApiToken(viewer, input.id);
    return revoked
      ? { ok: true, message: "Token revoked: it no longer works.", done: Date.now() }
      : { ok: false, message: "This token was already revoked or is not yours." };
  },
});
