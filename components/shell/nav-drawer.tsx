"use client";

import { DialogTitle } from "@headlessui/react";
import { XMarkIcon } from "@heroicons/react/24/outline";
import { useEffect, useState } from "react";
import { Logo } from "@/components/ui/logo";
import { SideSheet } from "@/components/ui/side-sheet";
import { NavLinks } from "./side-nav";

/** Below `md`, the left pane is this drawer: the same Main navigation, behind "Open navigation". */
export function NavDrawer({ showInvoices }: { showInvoices: boolean }) {
  const [open, setOpen] = useState(false);
  const close = () => setOpen(false);
  // Widened to `md` while open (a turned tablet): the pane is back, so the drawer goes.
  useEffect(() => {
    const wide = window.matchMedia("(min-width: 48rem)");
    const onChange = () => wide.matches && setOpen(false);
    wide.addEventListener("change", onChange);
    return () => wide.removeEventListener("change", onChange);
  }, []);
  return (
    <>
      <button
        type="button"
        onClick={() => setOpen(true)}
        aria-label="Open navigation"
        aria-haspopup="dialog"
        className="-ml-1 rounded-md p-1.5 text-white hover:bg-white/10 focus:outline-none focus-visible:ring-2 focus-visible:ring-white md:hidden"
      >
        <span aria-hidden="true" className="icon icon-menu size-6" />
      </button>
      <SideSheet open={open} onClose={close} side="left" dialogClassName="md:hidden" panelClassName="w-72 max-w-[85vw]">
        <div className="flex h-14 items-center justify-between border-b border-slate-200 px-4">
          <DialogTitle className="text-brand-700">
            <Logo className="text-lg" />
            <span className="sr-only"> navigation</span>
          </DialogTitle>
          <button
            type="button"
            onClick={close}
            aria-label="Close navigation"
            className="rounded-md p-1.5 text-slate-600 hover:bg-slate-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-600"
          >
            <XMarkIcon aria-hidden="true" className="size-5" />
          </button>
        </div>
        <nav aria-label="Main" className="flex-1 overflow-y-auto">
          <NavLinks showInvoices={showInvoices} onNavigate={close} />
        </nav>
      </SideSheet>
    </>
  );
}
