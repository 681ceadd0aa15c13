/**
 * Reads the session from its cookie for the data-access layer, without Auth.js's per-call work.
 * The JWT is encrypted and authenticated with AUTH_SECRET (Auth.js's own `decode`), so a given
 * cookie value always decodes to the same claims: each server process keeps the claims of the
 * cookies it has seen (bounded, and never past the token's own expiry) instead of deriving the
 * key and decrypting again on every request, which costs more than the rest of the check. The
 * claims only name the user and session version; privileges are read from the database on
 * every request (lib/dal/session.ts), and so is whether the session (`sid`, its row in
 * user_sessions) is still on: a logged-out cookie keeps decoding here, and is refused there.
 */
import "server-only";
import { decode } from "next-auth/jwt";
import { env } from "@/lib/env";
import { sessionTokenFrom, type Cookie } from "./session-cookie";

export type SessionClaims = { uid: string; sv: number; sid: string };

const MAX_ENTRIES = 10_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isUuid = (v: unknown): v is string => typeof v === "string" && UUID.test(v);
const cache = new Map<string, { claims: SessionClaims; expiresAt: number }>();

/** The session's claims, or null for a missing, forged, expired or foreign token. */
export async function sessionClaims(cookies: Cookie[], now = Date.now()): Promise<SessionClaims | null> {
  const found = sessionTokenFrom(cookies);
  if (!found) return null;
  const key = `${found.salt}\u0000${found.token}`;
  const hit = cache.get(key);
  if (hit) {
    if (hit.expiresAt > now) return hit.claims;
    cache.delete(key);
    return null;
  }
  const secret = env().AUTH_SECRET ?? "";
  let payload: { uid?: unknown; sv?: unknown; sid?: unknown; exp?: unknown } | null;
  try {
    payload = await decode({ token: found.token, secret, salt: found.salt });
  } catch {
    return null; // not ours, tampered with, or made with another secret
  }
  // decode checks `exp` itself; keep it to stop serving the cached claims at the same moment.
  // A token without a session id predates server-side sessions: nothing could revoke it.
  if (!payload || typeof payload.uid !== "string" || typeof payload.sv !== "number" || !isUuid(payload.sid) || typeof payload.exp !== "number") return null;
  const claims = { uid: payload.uid, sv: payload.sv, sid: payload.sid };
  if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!); // oldest first
  cache.set(key, { claims, expiresAt: payload.exp * 1000 });
  return claims;
}
