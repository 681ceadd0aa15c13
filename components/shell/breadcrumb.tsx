import Link from "next/link";

export type Crumb = { label: string; href?: string };

/** Home / Invoices / Invoice 100023 — the last crumb is the current page. */
export function Breadcrumb({ items }: { items: Crumb[] }) {
  return (
    <nav aria-label="Breadcrumb" className="no-print mb-4 text-sm text-slate-600">
      <ol className="flex flex-wrap items-center gap-1">
        <li>
          <Link href="/" className="inline-flex items-center gap-1 rounded hover:text-slate-900 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-600">
            <span aria-hidden="true" className="icon icon-home size-4" />
            Home
          </Link>
        </li>
        {items.map((c, i) => (
          <li key={`${c.label}-${i}`} className="flex items-center gap-1">
            <span aria-hidden="true">/</span>
            {c.href && i < items.length - 1 ? (
              <Link href={c.href} className="rounded hover:text-slate-900 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-600">
                {c.label}
              </Link>
            ) : (
              <span aria-current={i === items.length - 1 ? "page" : undefined} className="font-medium text-slate-900">
                {c.label}
              </span>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}
