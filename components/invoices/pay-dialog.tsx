"use client";

import { Dialog, DialogPanel, DialogTitle, Radio, RadioGroup } from "@headlessui/react";
import { BanknotesIcon, CreditCardIcon } from "@heroicons/react/24/outline";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useActionState, useEffect, useState } from "react";
import { payInvoices, type PayState } from "@/lib/actions/payments";
import { payWithSavedCard, type SavedCardPayState } from "@/lib/actions/cards";
import { useIsClient } from "@/components/ui/use-is-client";
import { BankTransferDetails, type BankAccount, type BankTransferInvoice } from "./bank-transfer";
import { focusPayOpener, payOpenerKey, rememberPayOpener } from "./pay-opener";

/** Amounts arrive formatted by the server (one formatting, the account's language). */
export type PayDialogInvoice = {
  number: number;
  lines: { label: string; amount: string }[];
  sum: string;
  vat: string;
  total: string;
  paid: string;
  outstanding: string;
};

export type PayDialogProps = {
  invoices: PayDialogInvoice[];
  currency: string;
  totalOutstanding: string;
  /** Minor units, as a string: what the person agrees to pay. */
  totalOutstandingMinor: string;
  canPay: boolean;
  bank: BankAccount;
  /** Per invoice: what a bank transfer quotes, with its payment QR code. */
  transfers: BankTransferInvoice[];
  /** The account's saved card ("Visa •••• 4242"), offered first; null without one. */
  savedCardLabel: string | null;
};

type Method = "saved_card" | "card" | "bank_transfer";

const PAY_PARAMS = ["pay", "n"];

export function PayDialog(props: PayDialogProps) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const [method, setMethod] = useState<Method>(props.savedCardLabel ? "saved_card" : "card");
  // One key per attempt: a double submit or a retried request returns the first result. After an
  // answer that certainly charged nothing, Pay again is a new attempt; after an unknown one it is not.
  const [idempotencyKey, setIdempotencyKey] = useState(() => crypto.randomUUID());
  const newKeyIfNothingCharged = <S extends { nothingCharged?: true }>(action: (prev: S, form: FormData) => Promise<S>) => async (prev: S, form: FormData) => {
    const next = await action(prev, form);
    if (next.nothingCharged) setIdempotencyKey(crypto.randomUUID());
    return next;
  };
  const [checkoutState, checkoutAction, checkoutPending] = useActionState<PayState, FormData>(newKeyIfNothingCharged(payInvoices), {});
  const [savedState, savedAction, savedPending] = useActionState<SavedCardPayState, FormData>(newKeyIfNothingCharged(payWithSavedCard), {});
  const state = method === "saved_card" ? savedState : checkoutState;
  const pending = checkoutPending || savedPending;
  // The provider's hosted page: a checkout, or the 3-D Secure step of a saved-card charge.
  const providerUrl = checkoutState.checkoutUrl ?? savedState.redirectUrl;
  const isClient = useIsClient();
  const [open, setOpen] = useState(true);
  const opener = () => {
    const key = payOpenerKey(pathname, new URLSearchParams(params.toString()));
    return key ? { key, numbers: props.invoices.map((i) => i.number) } : null;
  };
  const withoutPay = () => {
    const next = new URLSearchParams(params.toString());
    for (const p of PAY_PARAMS) next.delete(p);
    const q = next.toString();
    return `${pathname}${q ? `?${q}` : ""}`;
  };
  // The provider's page is another site (or plays one): a full navigation, not a client route.
  // Coming back (Back, or cancelled there), focus returns to the control that opened the dialog,
  // and Back shows the page without the dialog: its payment is under way now.
  useEffect(() => {
    if (!providerUrl) return;
    const o = opener();
    if (o) rememberPayOpener(o);
    window.history.replaceState(null, "", withoutPay());
    window.location.assign(providerUrl);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per provider URL
  }, [providerUrl]);
  // Back from the provider's page to a copy kept by the browser (back/forward cache) would show this
  // dialog still "opening the payment page": load the page afresh instead.
  useEffect(() => {
    const onShow = (e: PageTransitionEvent) => {
      if (e.persisted && providerUrl) window.location.reload();
    };
    window.addEventListener("pageshow", onShow);
    return () => window.removeEventListener("pageshow", onShow);
  }, [providerUrl]);
  const leaving = Boolean(providerUrl);
  const single = props.invoices.length === 1 ? props.invoices[0]! : null;
  const title = single ? `Invoice no: ${single.number}` : `Pay ${props.invoices.length} invoices`;

  const close = () => {
    const o = opener();
    setOpen(false);
    router.replace(withoutPay(), { scroll: false });
    // After the dialog has gone (Headless UI restores focus as it unmounts): the opener, by its key,
    // also when the dialog was opened by a reload or a link rather than a click.
    if (o) requestAnimationFrame(() => focusPayOpener(o));
  };

  const row = "flex justify-between gap-6 py-1";
  if (!isClient) return null;
  return (
    <Dialog open={open} onClose={close} className="fixed inset-0 z-50">
      <div className="fixed inset-0 bg-slate-900/40" aria-hidden="true" />
      <div className="fixed inset-0 overflow-y-auto sm:p-4">
        <DialogPanel className="min-h-full w-full bg-white shadow-xl sm:mx-auto sm:mt-12 sm:min-h-0 sm:max-w-3xl sm:rounded-xl">
          <div className="sticky top-0 z-10 flex items-center justify-between gap-4 border-b border-slate-200 bg-white px-4 py-4 sm:rounded-t-xl sm:px-6">
            <DialogTitle className="text-lg font-semibold">{title}</DialogTitle>
            <button type="button" onClick={close} className="rounded-md px-2 py-1 text-sm text-slate-600 hover:bg-slate-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-600">
              Close
            </button>
          </div>
          <form action={method === "saved_card" ? savedAction : checkoutAction} className="grid gap-6 px-4 py-5 sm:px-6 md:grid-cols-2">
            {props.invoices.map((i) => (
              <input key={i.number} type="hidden" name="n" value={i.number} />
            ))}
            <input type="hidden" name="amount" value={props.totalOutstandingMinor} />
            <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
            <input type="hidden" name="method" value="card" />

            <section aria-labelledby="spec-heading">
              <h3 id="spec-heading" className="mb-2 font-semibold">Specification</h3>
              {single ? (
                <dl className="text-sm">
                  {single.lines.map((l, i) => (
                    <div key={i} className={row}>
                      <dt>{l.label}</dt>
                      <dd className="tabular-nums">{l.amount}</dd>
                    </div>
                  ))}
                  <div className={`${row} mt-1 border-t border-slate-200 pt-2`}><dt>Sum</dt><dd className="tabular-nums">{single.sum}</dd></div>
                  <div className={row}><dt>VAT</dt><dd className="tabular-nums">{single.vat}</dd></div>
                  <div className={`${row} border-t border-slate-200 font-semibold`}><dt>Total Sum</dt><dd className="tabular-nums">{single.total} {props.currency}</dd></div>
                  <div className={row}><dt>Already paid</dt><dd className="tabular-nums">{single.paid} {props.currency}</dd></div>
                  <div className={`${row} font-semibold`}><dt>Outstanding Amount</dt><dd className="tabular-nums">{single.outstanding} {props.currency}</dd></div>
                </dl>
              ) : (
                <dl className="text-sm">
                  {props.invoices.map((i) => (
                    <div key={i.number} className={row}>
                      <dt>Invoice {i.number} <span className="text-slate-600">(total {i.total}, paid {i.paid})</span></dt>
                      <dd className="tabular-nums">{i.outstanding}</dd>
                    </div>
                  ))}
                  <div className={`${row} mt-1 border-t border-slate-200 pt-2 font-semibold`}>
                    <dt>Outstanding Amount</dt>
                    <dd className="tabular-nums">{props.totalOutstanding} {props.currency}</dd>
                  </div>
                </dl>
              )}
            </section>

            <section aria-labelledby="method-heading">
              <h3 id="method-heading" className="mb-2 font-semibold">Choose payment method</h3>
              <RadioGroup value={method} onChange={setMethod} aria-labelledby="method-heading" className="space-y-2">
                {[
                  ...(props.savedCardLabel
                    ? [{ value: "saved_card" as const, label: `Pay with ${props.savedCardLabel}`, icon: CreditCardIcon, text: "Your saved card is charged now, without leaving the panel. Your bank may ask you to confirm." }]
                    : []),
                  { value: "card" as const, label: "Card payment", icon: CreditCardIcon, text: "Visa or Mastercard. You are sent to our payment provider's page to pay, then back here." },
                  { value: "bank_transfer" as const, label: "Bank transfer", icon: BanknotesIcon, text: "Pay from your bank. The invoice stays outstanding until the transfer arrives." },
                ].map((m) => (
                  <Radio
                    key={m.value}
                    value={m.value}
                    aria-label={m.label}
                    className="group flex cursor-pointer gap-3 rounded-lg border border-slate-300 p-3 focus:outline-none data-checked:border-brand-600 data-checked:bg-brand-50 data-focus:ring-2 data-focus:ring-brand-600"
                  >
                    <m.icon aria-hidden="true" className="size-6 shrink-0 text-slate-700" />
                    <span>
                      <span className="block font-medium">{m.label}</span>
                      <span className="block text-sm text-slate-700">{m.text}</span>
                    </span>
                  </Radio>
                ))}
              </RadioGroup>

              {method === "bank_transfer" && (
                <div className="mt-4">
                  <BankTransferDetails bank={props.bank} invoices={props.transfers} totalOutstanding={props.totalOutstanding} currency={props.currency} />
                </div>
              )}

              {state.message && (
                <div role="alert" className="mt-4 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-900">
                  {state.message}
                  {state.inProgressUrl && (
                    <> <a href={state.inProgressUrl} className="font-medium underline">Continue that payment</a></>
                  )}
                </div>
              )}
              {state.fieldErrors && Object.values(state.fieldErrors).length > 0 && (
                <ul role="alert" className="mt-4 text-sm text-red-800">
                  {Object.values(state.fieldErrors).map((e) => (<li key={e}>{e}</li>))}
                </ul>
              )}

              {props.canPay ? (
                method !== "bank_transfer" && (
                  <button type="submit" disabled={pending || leaving} className="sticky bottom-4 mt-5 w-full rounded-md shadow-lg bg-brand-600 px-4 py-2.5 font-semibold text-white hover:bg-brand-700 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-600 focus-visible:ring-offset-2 disabled:opacity-60">
                    {leaving ? "Opening the payment page…" : pending ? "Starting payment…" : `Pay ${props.totalOutstanding} ${props.currency}`}
                  </button>
                )
              ) : (
                <p className="mt-5 text-sm text-slate-700">Your user can see invoices but not pay them. Ask a user with invoice access Full.</p>
              )}
            </section>
          </form>
        </DialogPanel>
      </div>
    </Dialog>
  );
}
