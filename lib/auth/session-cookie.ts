/**
 * Finds the Auth.js session cookie among a request's cookies, without decoding it: the proxy
 * uses it to send visitors without a session to the login page, and lib/auth/session-token.ts
 * decodes what it finds.
 */
/** Auth.js's cookie names: `__Secure-` over HTTPS; a large token is split into `.0`, `.1`… */
const SESSION_COOKIE = /^(__Secure-)?authjs\.session-token(\.(\d+))?$/;

export type Cookie = { name: string; value: string };

/** The session token and the cookie name it was stored under (its salt), or null. */
export function sessionTokenFrom(cookies: Cookie[]): { token: string; salt: string } | null {
  const found = new Map<string, { index: number; value: string }[]>();
  for (const c of cookies) {
    const m = SESSION_COOKIE.exec(c.name);
    if (!m) continue;
    const base = `${m[1] ?? ""}authjs.session-token`;
    const parts = found.get(base) ?? [];
    parts.push({ index: m[3] === undefined ? -1 : Number(m[3]), value: c.value });
    found.set(base, parts);
  }
  // Prefer the secure cookie when both are present (as Auth.js does over HTTPS).
  const salt = found.has("__Secure-authjs.session-token") ? "__Secure-authjs.session-token" : found.has("authjs.session-token") ? "authjs.session-token" : null;
  if (!salt) return null;
  const parts = found.get(salt)!.sort((a, b) => a.index - b.index);
  const token = parts.map((p) => p.value).join("");
  return token ? { token, salt } : null;
}
