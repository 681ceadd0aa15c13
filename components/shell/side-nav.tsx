"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useState } from "react";

import { NAV_COOKIE } from "./nav-cookie";
import { isCurrent, navItems } from "./nav-items";

/**
 * Collapsed, a link's name stays its accessible name and shows as a tooltip on hover and on
 * focus: clipped away (not hidden, which would drop it from the name) until then.
 */
const tooltip =
  "pointer-events-none absolute left-full top-1/2 z-30 ml-3 -translate-y-1/2 whitespace-nowrap rounded-md bg-slate-800 px-2 py-1 text-xs text-slate-50 shadow-md [clip-path:inset(50%)] group-hover:[clip-path:none] group-focus-visible:[clip-path:none]";

/** The Main navigation's links; `onNavigate` lets the phone drawer close itself. */
export function NavLinks({ showInvoices, collapsed = false, onNavigate }: { showInvoices: boolean; collapsed?: boolean; onNavigate?: () => void }) {
  const pathname = usePathname();
  return (
    <ul className="flex-1 space-y-1 p-2">
      {navItems(showInvoices).map(({ href, label, icon }) => {
        const current = isCurrent(href, pathname);
        return (
          <li key={href}>
            <Link
              href={href}
              onClick={onNavigate}
              aria-current={current ? "page" : undefined}
              className="nav-link group"
            >
              <span aria-hidden="true" className={`icon ${icon} size-5`} />
              <span className={collapsed ? tooltip : undefined}>{label}</span>
            </Link>
          </li>
        );
      })}
    </ul>
  );
}

/** The left pane from `md` up (below it, the drawer in the top bar stands in for it). */
export function SideNav({ initiallyCollapsed, showInvoices }: { initiallyCollapsed: boolean; showInvoices: boolean }) {
  const [collapsed, setCollapsed] = useState(initiallyCollapsed);
  const toggle = () => {
    const next = !collapsed;
    setCollapsed(next);
    // A cookie, so the server renders the same state after a reload (no flash).
    document.cookie = `${NAV_COOKIE}=${next ? "collapsed" : "expanded"}; path=/; max-age=31536000; samesite=lax`;
  };
  return (
    <nav
      aria-label="Main"
      className={`no-print hidden shrink-0 flex-col border-r border-slate-200 bg-white transition-[width] md:flex ${collapsed ? "w-16" : "w-56"}`}
    >
      <NavLinks showInvoices={showInvoices} collapsed={collapsed} />
      <div className="border-t border-slate-200 p-2">
        <button
          type="button"
          onClick={toggle}
          aria-expanded={!collapsed}
          className="group relative flex w-full items-center gap-3 rounded-md px-3 py-2 text-sm text-slate-600 hover:bg-slate-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-600"
        >
          <span aria-hidden="true" className={`icon ${collapsed ? "icon-expand" : "icon-collapse"} size-5`} />
          <span className={collapsed ? tooltip : undefined}>{collapsed ? "Expand navigation" : "Collapse navigation"}</span>
        </button>
      </div>
    </nav>
  );
}
