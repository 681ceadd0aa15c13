import Link from "next/link";
import { AccountSettings } from "@/components/account-settings/slide-over";
import { Logo } from "@/components/ui/logo";
import { NavDrawer } from "./nav-drawer";

export function TopBar({ email, accountName, showInvoices }: { email: string; accountName: string; showInvoices: boolean }) {
  return (
    <header className="no-print flex h-14 items-center justify-between gap-3 bg-brand-900 px-4 text-white">
      <div className="flex min-w-0 items-center gap-2">
        <NavDrawer showInvoices={showInvoices} />
        <Link href="/" className="rounded focus:outline-none focus-visible:ring-2 focus-visible:ring-white">
          <Logo className="text-lg" />
        </Link>
      </div>
      <div className="flex min-w-0 items-center gap-3">
        <span className="hidden truncate text-sm text-brand-100 sm:inline">{accountName}</span>
        {/* No Suspense: every panel page is rendered per request (the layout reads the session), so
            useSearchParams needs no boundary, and one would stream the button in with a script. */}
        <AccountSettings email={email} />
      </div>
    </header>
  );
}
