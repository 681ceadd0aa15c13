"use client";

import { DialogTitle, Tab, TabGroup, TabList, TabPanel, TabPanels } from "@headlessui/react";
import { XMarkIcon } from "@heroicons/react/24/outline";
import { usePathname, useSearchParams } from "next/navigation";
import { useCallback, useEffect, useState } from "react";
import { loadAccountSettings } from "@/lib/actions/account";
import { SideSheet } from "@/components/ui/side-sheet";
import type { AccountSettingsView } from "@/lib/dal/account";
import { ContactTab } from "./contact-tab";
import { CustomerInfoTab } from "./customer-info-tab";
import { SessionControls } from "./session-controls";
import { SettingsTab } from "./settings-tab";

const TABS = [
  { key: "customer-info", label: "Customer Info" },
  { key: "contact", label: "Contact" },
  { key: "settings", label: "Settings" },
] as const;

/**
 * The Account settings slide-over. Its state lives in the URL (`?settings=contact`), so a link
 * or a reload opens it on the right tab; Next keeps useSearchParams in step with
 * history.replaceState. Its data is loaded when it opens and again after every change.
 */
export function AccountSettings({ email }: { email: string }) {
  const params = useSearchParams();
  const pathname = usePathname();
  const requested = params.get("settings");
  const open = requested !== null;
  const tabIndex = Math.max(0, TABS.findIndex((t) => t.key === requested));
  const [view, setView] = useState<AccountSettingsView | null>(null);
  const [loadError, setLoadError] = useState(false);

  const setUrl = useCallback(
    (settings: string | null) => {
      const p = new URLSearchParams(params.toString());
      if (settings) p.set("settings", settings);
      else p.delete("settings");
      const query = p.toString();
      window.history.replaceState(null, "", `${pathname}${query ? `?${query}` : ""}`);
    },
    [params, pathname],
  );

  const reload = useCallback(() => {
    loadAccountSettings()
      .then((v) => {
        setView(v);
        setLoadError(false);
      })
      .catch(() => setLoadError(true));
  }, []);

  useEffect(() => {
    if (open) reload();
  }, [open, reload]);

  return (
    <>
      <button
        type="button"
        onClick={() => setUrl(TABS[0].key)}
        aria-label="Account settings"
        aria-haspopup="dialog"
        className="rounded-full p-1 text-white hover:bg-white/10 focus:outline-none focus-visible:ring-2 focus-visible:ring-white"
      >
        <span aria-hidden="true" className="icon icon-account size-8" />
      </button>
      <SideSheet open={open} onClose={() => setUrl(null)} side="right" panelClassName="w-full max-w-xl">
        <div className="border-b border-slate-200 px-4 py-4 sm:px-6">
          <div className="flex items-start justify-between gap-2">
            <div className="min-w-0 flex-1">
              <DialogTitle className="text-lg font-semibold">Account settings</DialogTitle>
              <p className="mt-1 text-sm [overflow-wrap:anywhere] text-slate-600">
                Current user: <span className="font-medium text-slate-900">{email}</span>
              </p>
            </div>
            <button
              type="button"
              onClick={() => setUrl(null)}
              aria-label="Close account settings"
              className="shrink-0 rounded-md p-1.5 text-slate-500 hover:bg-slate-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-600"
            >
              <XMarkIcon aria-hidden="true" className="size-5" />
            </button>
          </div>
          <SessionControls />
        </div>
        {/* Invoice access None: no billing data is loaded, and no tabs are shown. */}
        {view?.billing !== null && (
        <TabGroup selectedIndex={tabIndex} onChange={(i) => setUrl(TABS[i]!.key)} className="flex min-h-0 flex-1 flex-col">
          <TabList className="flex gap-1 border-b border-slate-200 px-4 sm:px-6">
            {TABS.map((t) => (
              <Tab
                key={t.key}
                className="-mb-px border-b-2 border-transparent px-3 py-2 text-sm font-medium text-slate-600 hover:text-slate-900 focus:outline-none data-focus:ring-2 data-focus:ring-brand-600 data-selected:border-brand-600 data-selected:text-brand-800"
              >
                {t.label}
              </Tab>
            ))}
          </TabList>
          <TabPanels className="min-h-0 flex-1 overflow-y-auto px-4 py-4 sm:px-6">
            {TABS.map((t) => (
              <TabPanel key={t.key} className="focus:outline-none">
                {loadError ? (
                  <p role="alert" className="text-sm text-red-800">The settings could not be loaded. Close and open them again.</p>
                ) : !view?.billing ? (
                  <p className="text-sm text-slate-600">Loading…</p>
                ) : t.key === "customer-info" ? (
                  <CustomerInfoTab view={view.billing} onSaved={reload} />
                ) : t.key === "contact" ? (
                  <ContactTab view={view.billing} onSaved={reload} />
                ) : (
                  <SettingsTab view={view.billing} onSaved={reload} />
                )}
              </TabPanel>
            ))}
          </TabPanels>
        </TabGroup>
        )}
      </SideSheet>
    </>
  );
}
