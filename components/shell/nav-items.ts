/** `icon`: the class of its CSS-drawn icon (globals.css), so the icon is no SVG in the page. */
export type NavItem = { href: string; label: string; icon: string };

/** The Main navigation's links, in their order: Invoices and Payments right below Users, and not at all without invoice access. */
export function navItems(showInvoices: boolean): NavItem[] {
  return [
    { href: "/", label: "Dashboard", icon: "icon-nav-home" },
    { href: "/users", label: "Users", icon: "icon-nav-users" },
    ...(showInvoices
      ? [
          { href: "/invoices", label: "Invoices", icon: "icon-nav-invoices" },
          { href: "/payments", label: "Payments", icon: "icon-nav-payments" },
        ]
      : []),
  ];
}

export function isCurrent(href: string, pathname: string): boolean {
  return href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`);
}
