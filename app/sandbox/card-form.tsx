"use client";

import { useActionState } from "react";
import type { CardState } from "@/lib/payments/sandbox-card-form";

const input = "mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 shadow-sm focus:border-indigo-600 focus:outline-none focus:ring-2 focus:ring-indigo-600/30";

/** The sandbox's card form, on its payment page and on its "save a card" page. */
export function CardForm({ submit, submitLabel }: { submit: (prev: CardState, formData: FormData) => Promise<CardState>; submitLabel: string }) {
  const [state, action, pending] = useActionState<CardState, FormData>(submit, {});
  const err = state.fieldErrors ?? {};
  return (
    <form action={action} className="space-y-4" noValidate>
      {state.message && <p role="alert" className="text-sm text-red-700">{state.message}</p>}
      <div>
        <label htmlFor="card" className="block text-sm font-medium">Card number</label>
        <input id="card" name="card" inputMode="numeric" autoComplete="cc-number" placeholder="4242 4242 4242 4242" aria-invalid={err.card ? true : undefined} aria-describedby={err.card ? "card-error" : undefined} className={input} />
        {err.card && <p id="card-error" className="mt-1 text-sm text-red-700">{err.card}</p>}
      </div>
      <div className="grid grid-cols-2 gap-4">
        <div>
          <label htmlFor="expiry" className="block text-sm font-medium">Expiry</label>
          <input id="expiry" name="expiry" autoComplete="cc-exp" placeholder="MM/YY" aria-invalid={err.expiry ? true : undefined} aria-describedby={err.expiry ? "expiry-error" : undefined} className={input} />
          {err.expiry && <p id="expiry-error" className="mt-1 text-sm text-red-700">{err.expiry}</p>}
        </div>
        <div>
          <label htmlFor="cvc" className="block text-sm font-medium">CVC</label>
          <input id="cvc" name="cvc" inputMode="numeric" autoComplete="cc-csc" placeholder="123" aria-invalid={err.cvc ? true : undefined} aria-describedby={err.cvc ? "cvc-error" : undefined} className={input} />
          {err.cvc && <p id="cvc-error" className="mt-1 text-sm text-red-700">{err.cvc}</p>}
        </div>
      </div>
      <button type="submit" disabled={pending} className="w-full rounded-md bg-indigo-700 px-4 py-2 font-medium text-white hover:bg-indigo-800 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-700 focus-visible:ring-offset-2 disabled:opacity-60">
        {pending ? "Processing…" : submitLabel}
      </button>
    </form>
  );
}
