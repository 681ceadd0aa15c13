"use client";

import { Dialog, DialogBackdrop, DialogPanel, DialogTitle } from "@headlessui/react";
import { UserCircleIcon, XMarkIcon } from "@heroicons/react/24/outline";
import { usePathname, useSearchParams } from "next/navigation";
import { useCallback } from "react";
import { useIsClient } from "@/components/ui/use-is-client";
import { logout } from "@/app/(panel)/actions";

/**
 * The Account settings slide-over. Its open state lives in the URL (`?settings=…`), so a link
 * or a reload opens it; Next keeps useSearchParams in step with history.replaceState.
 */
export function AccountSettings({ email }: { email: string }) {
  const params = useSearchParams();
  const pathname = usePathname();
  const open = params.has("settings");
  const isClient = useIsClient();

  const setOpen = useCallback(
    (next: boolean) => {
      const p = new URLSearchParams(params.toString());
      if (next) p.set("settings", p.get("settings") || "customer-info");
      else p.delete("settings");
      const query = p.toString();
      window.history.replaceState(null, "", `${pathname}${query ? `?${query}` : ""}`);
    },
    [params, pathname],
  );

  return (
    <>
      <button
        type="button"
        onClick={() => setOpen(true)}
        aria-label="Account settings"
        aria-haspopup="dialog"
        className="rounded-full p-1 text-white hover:bg-white/10 focus:outline-none focus-visible:ring-2 focus-visible:ring-white"
      >
        <UserCircleIcon aria-hidden="true" className="size-8" />
      </button>
      {isClient && (
      <Dialog open={open} onClose={() => setOpen(false)} className="fixed inset-0 z-50">
        <DialogBackdrop transition className="fixed inset-0 bg-slate-900/40 transition-opacity duration-200 data-closed:opacity-0" />
        <div className="fixed inset-0 flex justify-end">
          <DialogPanel
            transition
            className="flex h-full w-full max-w-lg flex-col bg-white shadow-xl transition duration-200 ease-out data-closed:translate-x-full"
          >
            <div className="flex items-start justify-between border-b border-slate-200 px-6 py-4">
              <div>
                <DialogTitle className="text-lg font-semibold">Account settings</DialogTitle>
                <p className="mt-1 text-sm text-slate-600">
                  Current user: <span className="font-medium text-slate-900">{email}</span>
                </p>
              </div>
              <div className="flex items-center gap-2">
                <form action={logout}>
                  <button
                    type="submit"
                    className="rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-600"
                  >
                    Log out
                  </button>
                </form>
                <button
                  type="button"
                  onClick={() => setOpen(false)}
                  aria-label="Close account settings"
                  className="rounded-md p-1.5 text-slate-500 hover:bg-slate-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-600"
                >
                  <XMarkIcon aria-hidden="true" className="size-5" />
                </button>
              </div>
            </div>
          </DialogPanel>
        </div>
      </Dialog>
      )}
    </>
  );
}
