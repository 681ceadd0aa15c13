/** Only same-site paths are followed after login: never another origin (open redirect). */
const BASE = "http://cumulus.invalid";

/**
 * The path to go to after login: a path on this origin, percent-encoded as a URL parser writes
 * it (a redirect header carries ASCII only: "/€" once answered 500 after the session cookie
 * was set), or "/" for anything else.
 */
export function safeCallbackPath(value: unknown): string {
  if (typeof value !== "string" || value.length > 2048) return "/";
  if (!value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return "/";
  if (/[\u0000-\u001f\u007f]/.test(value)) return "/";
  let url: URL;
  try {
    url = new URL(value, BASE);
  } catch {
    return "/";
  }
  const path = `${url.pathname}${url.search}${url.hash}`;
  // Checked again after parsing: "/.//evil.example" resolves to "//evil.example".
  if (url.origin !== BASE || path.startsWith("//") || path.startsWith("/\\") || path.length > 2048) return "/";
  if (url.pathname === "/login" || url.pathname.startsWith("/login/") || url.pathname.startsWith("/api/auth")) return "/";
  return path;
}
