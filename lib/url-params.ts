/**
 * Reading a list's filters from the URL: each parameter is validated with zod, and a broken one
 * is reported against its own field while the list shows without it. Shared by every list page
 * and its CSV export, so a filter means the same on screen and in the file.
 */
import { z } from "zod";
import { isIsoDate } from "@/lib/dates";

/** A repeated parameter (`?a=1&a=2`) counts as its first value. */
export const firstValue = (v: unknown) => (Array.isArray(v) ? v[0] : v);

/** Text typed into a search field: trimmed; empty counts as not given. */
export const optionalText = z.preprocess((v) => {
  const s = firstValue(v);
  return typeof s === "string" && s.trim() !== "" ? s.trim() : undefined;
}, z.string().max(64).optional());

export const optionalIsoDate = optionalText.pipe(z.string().refine(isIsoDate, { error: "Enter a date as YYYY-MM-DD." }).optional());

/** A keyset cursor parameter, valid when `decode` can read it. */
export const optionalCursor = (decode: (value: string) => unknown) =>
  optionalText.pipe(z.string().refine((v) => decode(v) !== null, { error: "Invalid page." }).optional());

/** The page number shown beside keyset links ("Page 2 of 9"); the cursor, not this, picks the rows. */
export const pageNumber = z.preprocess((v) => firstValue(v) ?? "1", z.coerce.number({ error: "Invalid page." }).int().min(1).max(1_000_000));

/** One of `values`, `absent` (by default "all") when not given. */
export const filterChoice = <const T extends readonly [string, ...string[]]>(values: T, message: string, absent: T[number] = "all") =>
  z.preprocess((v) => firstValue(v) ?? absent, z.enum(values, { error: message }));

/** The date range's own check: a range that ends before it starts is reported against `to`. */
export function endNotBeforeStart(p: { from?: string; to?: string }): boolean {
  return !(p.from && p.to && p.from > p.to);
}

/** Paging forward and back at once is no page. */
export function oneDirection(p: { after?: string; before?: string }): boolean {
  return !(p.after && p.before);
}

/**
 * A keyset-paged list's parameters: its own filters, an invoice-style date range, the cursors
 * (read by `decodeCursor`) and the page number shown.
 */
export function keysetListSchema<const Filters extends z.ZodRawShape>(filters: Filters, decodeCursor: (value: string) => unknown) {
  return z
    .object({
      ...filters,
      from: optionalIsoDate,
      to: optionalIsoDate,
      after: optionalCursor(decodeCursor),
      before: optionalCursor(decodeCursor),
      page: pageNumber,
    })
    .refine((p) => endNotBeforeStart(p as { from?: string; to?: string }), { error: "The end date is before the start date.", path: ["to"] })
    .refine((p) => oneDirection(p as { after?: string; before?: string }), { error: "Invalid page.", path: ["page"] });
}

export type FieldErrors<T> = Partial<Record<keyof T, string>>;

export type ParsedParams<T> = { ok: true; params: T } | { ok: false; errors: FieldErrors<T>; params: T };

/**
 * Parses the URL's parameters with `schema`. On failure each field's first message is kept, and
 * the list is read again without the broken fields (a broken date drops the whole range), or as
 * `fallback` if that fails too.
 */
export function parseSearchParams<T extends object>(schema: z.ZodType<T>, raw: Record<string, unknown>, fallback: T): ParsedParams<T> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, params: parsed.data };
  const errors: FieldErrors<T> = {};
  for (const issue of parsed.error.issues) {
    const key = issue.path[0] as keyof T | undefined;
    if (key !== undefined && !errors[key]) errors[key] = issue.message;
  }
  const cleaned = { ...raw };
  for (const key of Object.keys(errors)) delete cleaned[key];
  if ("from" in errors || "to" in errors) {
    delete cleaned.from;
    delete cleaned.to;
  }
  const again = schema.safeParse(cleaned);
  return { ok: false, errors, params: again.success ? again.data : fallback };
}

/**
 * A list's URL from its parameters: empty ones and those at their default (`status=all`,
 * `page=1`) are left out, so the plain list has the plain address.
 */
export function listUrl(path: string, values: Record<string, string | undefined>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    if (value && value !== "all" && !(key === "page" && value === "1")) query.set(key, value);
  }
  const text = query.toString();
  return `${path}${text ? `?${text}` : ""}`;
}
