"use client";

import { ChevronDoubleLeftIcon, ChevronDoubleRightIcon, DocumentTextIcon, HomeIcon, UsersIcon } from "@heroicons/react/24/outline";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useState } from "react";

import { NAV_COOKIE } from "./nav-cookie";

type Item = { href: string; label: string; icon: typeof HomeIcon };

export function SideNav({ initiallyCollapsed, showInvoices }: { initiallyCollapsed: boolean; showInvoices: boolean }) {
  const pathname = usePathname();
  const [collapsed, setCollapsed] = useState(initiallyCollapsed);
  // Invoices sits right below Users; it is not shown at all without invoice access.
  const items: Item[] = [
    { href: "/", label: "Dashboard", icon: HomeIcon },
    { href: "/users", label: "Users", icon: UsersIcon },
    ...(showInvoices ? [{ href: "/invoices", label: "Invoices", icon: DocumentTextIcon }] : []),
  ];
  const toggle = () => {
    const next = !collapsed;
    setCollapsed(next);
    // A cookie, so the server renders the same state after a reload (no flash).
    document.cookie = `${NAV_COOKIE}=${next ? "collapsed" : "expanded"}; path=/; max-age=31536000; samesite=lax`;
  };
  return (
    <nav
      aria-label="Main"
      className={`no-print flex shrink-0 flex-col border-r border-slate-200 bg-white transition-[width] ${collapsed ? "w-16" : "w-56"}`}
    >
      <ul className="flex-1 space-y-1 p-2">
        {items.map(({ href, label, icon: Icon }) => {
          const current = href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`);
          return (
            <li key={href}>
              <Link
                href={href}
                aria-current={current ? "page" : undefined}
                title={collapsed ? label : undefined}
                className={`flex items-center gap-3 rounded-md px-3 py-2 text-sm font-medium focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-600 ${
                  current ? "bg-brand-50 text-brand-800" : "text-slate-700 hover:bg-slate-100"
                }`}
              >
                <Icon aria-hidden="true" className="size-5 shrink-0" />
                <span className={collapsed ? "sr-only" : undefined}>{label}</span>
              </Link>
            </li>
          );
        })}
      </ul>
      <div className="border-t border-slate-200 p-2">
        <button
          type="button"
          onClick={toggle}
          aria-expanded={!collapsed}
          className="flex w-full items-center gap-3 rounded-md px-3 py-2 text-sm text-slate-600 hover:bg-slate-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-600"
        >
          {collapsed ? (
            <ChevronDoubleRightIcon aria-hidden="true" className="size-5 shrink-0" />
          ) : (
            <ChevronDoubleLeftIcon aria-hidden="true" className="size-5 shrink-0" />
          )}
          <span className={collapsed ? "sr-only" : undefined}>{collapsed ? "Expand navigation" : "Collapse navigation"}</span>
        </button>
      </div>
    </nav>
  );
}
