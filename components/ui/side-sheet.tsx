"use client";

import { Dialog, DialogBackdrop, DialogPanel } from "@headlessui/react";
import type { ReactNode } from "react";
import { useIsClient } from "./use-is-client";

const PANEL_SIDE = {
  left: "data-closed:-translate-x-full",
  right: "ml-auto data-closed:translate-x-full",
} as const;

/**
 * A modal panel that slides in from one edge over the dimmed page, full height (the navigation
 * drawer, the account settings). Rendered in the browser only: see useIsClient.
 */
export function SideSheet({
  open,
  onClose,
  side,
  dialogClassName,
  panelClassName,
  children,
}: {
  open: boolean;
  onClose: () => void;
  side: keyof typeof PANEL_SIDE;
  /** Where the dialog shows, e.g. `md:hidden`. */
  dialogClassName?: string;
  /** The panel's width. */
  panelClassName: string;
  children: ReactNode;
}) {
  const isClient = useIsClient();
  if (!isClient) return null;
  return (
    <Dialog open={open} onClose={onClose} className={`fixed inset-0 z-50 ${dialogClassName ?? ""}`}>
      <DialogBackdrop transition className="fixed inset-0 bg-slate-900/40 transition-opacity duration-200 data-closed:opacity-0" />
      <div className="fixed inset-0 flex">
        <DialogPanel
          transition
          className={`flex h-full flex-col bg-white shadow-xl transition duration-200 ease-out ${PANEL_SIDE[side]} ${panelClassName}`}
        >
          {children}
        </DialogPanel>
      </div>
    </Dialog>
  );
}
