import { cookies } from "next/headers";
import { NAV_COOKIE } from "@/components/shell/nav-cookie";
import { SideNav } from "@/components/shell/side-nav";
import { TopBar } from "@/components/shell/top-bar";
import { canReadInvoices, requireViewer } from "@/lib/dal/session";

export default async function PanelLayout({ children }: { children: React.ReactNode }) {
  const [viewer, cookieStore] = await Promise.all([requireViewer(), cookies()]);
  const showInvoices = canReadInvoices(viewer);
  return (
    <div className="flex min-h-screen flex-col">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2">
        Skip to content
      </a>
      <TopBar email={viewer.email} accountName={viewer.account.name} showInvoices={showInvoices} />
      <div className="flex flex-1">
        <SideNav initiallyCollapsed={cookieStore.get(NAV_COOKIE)?.value === "collapsed"} showInvoices={showInvoices} />
        <main id="main" className="min-w-0 flex-1 px-4 py-6 sm:px-6 lg:px-8">
          {children}
        </main>
      </div>
    </div>
  );
}
