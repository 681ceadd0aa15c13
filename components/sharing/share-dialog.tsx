"use client";

import { Dialog, DialogPanel, DialogTitle } from "@headlessui/react";
import { ShareIcon } from "@heroicons/react/20/solid";
import { useActionState, useState } from "react";
import { CopyButton } from "@/components/invoices/copy-button";
import { useIsClient } from "@/components/ui/use-is-client";
import { createShareLink, type ShareState } from "@/lib/actions/sharing";

const EXPIRY_CHOICES = [
  { days: 1, label: "1 day" },
  { days: 7, label: "7 days" },
  { days: 30, label: "30 days" },
] as const;

export const shareButtonClass =
  "inline-flex items-center gap-1.5 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-600";

/**
 * Creates a read-only link to these invoices with an expiry of 1, 7 or 30 days. The link is in
 * the action's answer only, so it is shown here once, with Copy link.
 */
export function ShareDialog({ numbers, title, onClose }: { numbers: number[]; title: string; onClose: () => void }) {
  const isClient = useIsClient();
  const [state, action, pending] = useActionState<ShareState, FormData>(createShareLink, {});
  if (!isClient) return null;
  return (
    <Dialog open onClose={onClose} className="fixed inset-0 z-50">
      <div className="fixed inset-0 bg-slate-900/40" aria-hidden="true" />
      <div className="fixed inset-0 overflow-y-auto sm:p-4">
        <DialogPanel className="min-h-full w-full bg-white shadow-xl sm:mx-auto sm:mt-12 sm:min-h-0 sm:max-w-lg sm:rounded-xl">
          <div className="flex items-center justify-between gap-4 border-b border-slate-200 px-4 py-4 sm:px-6">
            <DialogTitle className="text-lg font-semibold">{title}</DialogTitle>
            <button type="button" onClick={onClose} className="rounded-md px-2 py-1 text-sm text-slate-600 hover:bg-slate-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-600">
              Close
            </button>
          </div>
          <div className="space-y-4 px-4 py-5 text-sm sm:px-6">
            {state.ok && state.url ? (
              <CreatedLink url={state.url} expiresAt={state.expiresAt} message={state.message} />
            ) : (
              <form action={action} className="space-y-4" noValidate>
                <p className="text-slate-700">
                  Anyone with the link can see {numbers.length === 1 ? "this invoice and its PDF" : "these invoices, their PDFs and a ZIP of them"}, read-only, until it expires or is revoked
                  in Account settings. Nothing else of the account is reachable from it.
                </p>
                {numbers.map((n) => (
                  <input key={n} type="hidden" name="n" value={n} />
                ))}
                <fieldset aria-describedby={state.fieldErrors?.expiryDays ? "share-expiry-error" : undefined}>
                  <legend className="font-semibold">Link expires after</legend>
                  <div className="mt-2 flex flex-wrap gap-4">
                    {EXPIRY_CHOICES.map((c) => (
                      <label key={c.days} className="flex items-center gap-2">
                        <input type="radio" name="expiryDays" value={c.days} defaultChecked={c.days === 7} className="size-4" />
                        {c.label}
                      </label>
                    ))}
                  </div>
                  {state.fieldErrors?.expiryDays && (
                    <p id="share-expiry-error" className="mt-1 text-red-700">{state.fieldErrors.expiryDays}</p>
                  )}
                </fieldset>
                {state.fieldErrors?.n && <p role="alert" className="text-red-700">{state.fieldErrors.n}</p>}
                {state.ok === false && state.message && <p role="alert" className="text-red-700">{state.message}</p>}
                <button type="submit" disabled={pending} className="rounded-md bg-brand-600 px-3 py-1.5 font-medium text-white hover:bg-brand-700 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-600 focus-visible:ring-offset-2 disabled:opacity-60">
                  {pending ? "Creating…" : "Create link"}
                </button>
              </form>
            )}
          </div>
        </DialogPanel>
      </div>
    </Dialog>
  );
}

function CreatedLink({ url, expiresAt, message }: { url: string; expiresAt?: string; message?: string }) {
  return (
    <>
      <p role="status" className="rounded-md border border-green-200 bg-green-50 px-3 py-2 text-green-900">{message}</p>
      <div>
        <label htmlFor="share-link" className="block font-medium text-slate-700">Share link</label>
        <input id="share-link" readOnly value={url} onFocus={(e) => e.currentTarget.select()} className="mt-1 block w-full rounded-md border border-slate-300 bg-slate-50 px-3 py-1.5 font-mono text-xs" />
      </div>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <CopyButton value={url} what="link" />
        {expiresAt && <span className="text-slate-700">Expires {expiresAt}</span>}
      </div>
    </>
  );
}

/** Share on an invoice's page: one invoice. */
export function ShareInvoiceButton({ number }: { number: number }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)} className={shareButtonClass}>
        <ShareIcon aria-hidden="true" className="size-4" />
        Share
      </button>
      {/* Mounted while open: each opening starts with a fresh action state, as a link is shown once. */}
      {open && <ShareDialog numbers={[number]} title={`Share invoice ${number}`} onClose={() => setOpen(false)} />}
    </>
  );
}
