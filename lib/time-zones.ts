/**
 * The time zones an account may choose: any IANA name the runtime's Intl accepts, spelled as
 * IANA spells it. `Intl.supportedValuesOf` (plus UTC, which it leaves out) is only the list of
 * suggestions: on Node 20 it misses current names such as Asia/Kolkata, Europe/Kyiv and Etc/UTC,
 * which ICU still knows by their old ones.
 */
let zones: readonly string[] | null = null;

export function timeZoneOptions(): readonly string[] {
  zones ??= [...new Set([...Intl.supportedValuesOf("timeZone"), "UTC"])].sort();
  return zones;
}

/** The name ICU resolves a zone to, or null when it knows no such zone. */
function resolvedTimeZone(value: string): string | null {
  try {
    return new Intl.DateTimeFormat("en", { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** IANA's spelling of each part: a capital first ("Asia/Kolkata", "Etc/GMT+1"), never all capitals past three letters ("ASIA"). */
function ianaSpelling(value: string): boolean {
  return value.split("/").every((part) => /^[A-Z][A-Za-z0-9_+-]*$/.test(part) && (part.length <= 3 || /[a-z]/.test(part)));
}

export function isTimeZone(value: string): boolean {
  const resolved = resolvedTimeZone(value);
  if (resolved === null) return false;
  if (resolved === value || timeZoneOptions().includes(value)) return true;
  // Intl matches names without regard to case: "europe/stockholm" is Europe/Stockholm misspelt, not another name.
  if (resolved.toLowerCase() === value.toLowerCase()) return false;
  return ianaSpelling(value);
}
