/**
 * The time zones an account may choose: the IANA zones the runtime knows
 * (`Intl.supportedValuesOf`), plus UTC, which that list leaves out.
 */
let zones: readonly string[] | null = null;

export function timeZoneOptions(): readonly string[] {
  zones ??= [...new Set([...Intl.supportedValuesOf("timeZone"), "UTC"])].sort();
  return zones;
}

export function isTimeZone(value: string): boolean {
  return timeZoneOptions().includes(value);
}
