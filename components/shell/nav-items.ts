import { BanknotesIcon, DocumentTextIcon, HomeIcon, UsersIcon } from "@heroicons/react/24/outline";

export type NavItem = { href: string; label: string; icon: typeof HomeIcon };

/** The Main navigation's links, in their order: Invoices and Payments right below Users, and not at all without invoice access. */
export function navItems(showInvoices: boolean): NavItem[] {
  return [
    { href: "/", label: "Dashboard", icon: HomeIcon },
    { href: "/users", label: "Users", icon: UsersIcon },
    ...(showInvoices
      ? [
          { href: "/invoices", label: "Invoices", icon: DocumentTextIcon },
          { href: "/payments", label: "Payments", icon: BanknotesIcon },
        ]
      : []),
  ];
}

export function isCurrent(href: string, pathname: string): boolean {
  return href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`);
}
