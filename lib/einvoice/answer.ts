/** How an access point's HTTP answer to a hand-over is treated: pure, so it is tested on its own. */

/** 4xx answers that say "not now" rather than "never": timeout, conflict, too early, too many requests. */
const RETRYABLE_4XX = new Set([408, 409, 425, 429]);

/** A refusal that will not change on a retry: any other 4xx. */
export function isPermanentRefusal(status: number): boolean {
  return status >= 400 && status < 500 && !RETRYABLE_4XX.has(status);
}

/** The longest wait a Retry-After header can ask for; a longer one is read as this. */
export const MAX_RETRY_AFTER_MS = 24 * 60 * 60_000;

/** The wait a Retry-After header asks for (seconds or an HTTP date), or null when absent or unreadable. */
export function retryAfterMs(header: string | null, nowMs: number): number | null {
  if (!header) return null;
  const value = header.trim();
  const ms = /^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value) - nowMs;
  if (Number.isNaN(ms)) return null;
  return Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS);
}
