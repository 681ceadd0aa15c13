/** The pieces every filtered, keyset-paged list shares: status pills, field errors and page links. */
import Link from "next/link";
import { plural } from "@/lib/plural";

// The lists' controls are drawn by classes of their own (globals.css): a list page is a server
// component, whose class lists travel twice, in the HTML and again in the RSC payload.
export const FILTER_INPUT_CLASS = "filter-input";
export const FILTER_BUTTON_CLASS = "filter-button";
export const SECONDARY_BUTTON_CLASS = "secondary-button";

export function FieldError({ id, message }: { id: string; message?: string }) {
  return message ? (
    <p id={id} className="mt-1 text-sm text-red-700">
      {message}
    </p>
  ) : null;
}

export type SearchParamsRecord = Record<string, string | string[] | undefined>;

/** What was typed into a filter field, kept as typed even when it was refused. */
export function typedValue(raw: SearchParamsRecord, key: string): string {
  const value = raw[key];
  return (Array.isArray(value) ? value[0] : value) ?? "";
}

/** The attributes tying a field to its error message. */
export function errorProps(id: string, message?: string) {
  return { "aria-invalid": message ? true : undefined, "aria-describedby": message ? `${id}-error` : undefined } as const;
}

export function FilterPills({ label, pills }: { label: string; pills: { key: string; label: string; href: string; current: boolean }[] }) {
  return (
    <nav aria-label={label}>
      <ul className="flex flex-wrap gap-2">
        {pills.map((p) => (
          <li key={p.key}>
            <Link
              href={p.href}
              aria-current={p.current ? "page" : undefined}
              className="filter-pill"
            >
              {p.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** Where a page link goes: the list with an `after` (older) or `before` (newer) cursor and the page number shown. */
export type PageHref = (change: { after?: string; before?: string; page: string }) => string;

/** "Page 2 of 9 · 210 invoices" and the links to the newer and older pages of a keyset list. */
export function PageLinks(props: {
  page: number;
  pageSize: number;
  total: number;
  noun: { one: string; other: string };
  cursors: { prev: string | null; next: string | null };
  href: PageHref;
}) {
  const { page, cursors, href } = props;
  const pages = Math.max(1, Math.ceil(props.total / props.pageSize));
  const link = "rounded-md border border-slate-300 bg-white px-3 py-1.5 font-medium hover:bg-slate-50";
  return (
    <nav aria-label="Pagination" className="mt-4 flex flex-wrap items-center justify-between gap-4 text-sm">
      <p className="text-slate-700">
        Page {Math.min(page, pages)} of {pages} · {plural(props.total, props.noun)}
      </p>
      <div className="flex gap-2">
        {cursors.prev ? (
          <Link href={href({ before: cursors.prev, page: String(Math.max(1, page - 1)) })} className={link}>
            Previous page
          </Link>
        ) : null}
        {cursors.next ? (
          <Link href={href({ after: cursors.next, page: String(page + 1) })} className={link}>
            Next page
          </Link>
        ) : null}
      </div>
    </nav>
  );
}
