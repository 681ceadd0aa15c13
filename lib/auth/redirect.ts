/** Only same-site paths are followed after login: never another origin (open redirect). */
export function safeCallbackPath(value: unknown): string {
  if (typeof value !== "string" || value.length > 2048) return "/";
  if (!value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return "/";
  if (/[\u0000-\u001f]/.test(value)) return "/";
  if (value.startsWith("/login") || value.startsWith("/api/auth")) return "/";
  return value;
}
