import Link from "next/link";
import { Suspense } from "react";
import { AccountSettings } from "@/components/account-settings/slide-over";
import { Logo } from "@/components/ui/logo";

export function TopBar({ email, accountName }: { email: string; accountName: string }) {
  return (
    <header className="no-print flex h-14 items-center justify-between bg-brand-900 px-4 text-white">
      <Link href="/" className="rounded focus:outline-none focus-visible:ring-2 focus-visible:ring-white">
        <Logo className="text-lg" />
      </Link>
      <div className="flex items-center gap-3">
        <span className="hidden text-sm text-brand-100 sm:inline">{accountName}</span>
        <Suspense>
          <AccountSettings email={email} />
        </Suspense>
      </div>
    </header>
  );
}
