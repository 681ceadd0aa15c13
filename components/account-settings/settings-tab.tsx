"use client";

import Link from "next/link";
import { useActionState, useEffect, useState } from "react";
import { saveInvoiceSettings, type SettingsState } from "@/lib/actions/account";
import type { BillingSettingsView } from "@/lib/dal/account";
import { ApiTokens } from "./api-tokens";
import { AutomaticPaymentField } from "./automatic-payment";
import { FormMessage, primaryButton } from "./fields";
import { MonthlyBudgetSetting } from "./monthly-budget";
import { ReceiveInvoicesBy } from "./receive-invoices-by";
import { SavedCard } from "./saved-card";
import { TimeZoneSetting } from "./time-zone";

export function SettingsTab({ view, onSaved }: { view: BillingSettingsView; onSaved: () => void }) {
  const [state, action, pending] = useActionState<SettingsState, FormData>(saveInvoiceSettings, {});
  // The save the confirm step began after: a later save ends it.
  const [confirmingAfter, setConfirmingAfter] = useState<number | null>(null);
  const confirmingAutopay = confirmingAfter === (state.done ?? 0);
  useEffect(() => {
    if (state.ok && state.done) onSaved();
  }, [state.ok, state.done, onSaved]);
  const s = view.settings;
  const readOnly = !view.canManage;
  const card = s.savedCard;
  return (
    <>
      <form action={action} className="space-y-5" noValidate>
        {readOnly && <p className="text-sm text-slate-700">You can see the settings; a user with invoice access Full can change them.</p>}
        <FormMessage ok={state.ok} message={state.message} />
        <ReceiveInvoicesBy settings={s} state={state} readOnly={readOnly} />
        <fieldset>
          <legend className="text-sm font-semibold">Language and number format of invoices</legend>
          <div className="mt-2 space-y-1 text-sm">
            <label className="flex items-center gap-2">
              <input type="radio" name="language" value="en" defaultChecked={s.language === "en"} disabled={readOnly} className="size-4" />
              English (1,234.56)
            </label>
            <label className="flex items-center gap-2">
              <input type="radio" name="language" value="sv" defaultChecked={s.language === "sv"} disabled={readOnly} className="size-4" />
              Svenska (1 234,56)
            </label>
          </div>
        </fieldset>
        <AutomaticPaymentField
          // Remounted with the saved value after each save, so the confirm step starts from what is stored.
          key={`${s.automaticPayment}-${state.done ?? 0}`}
          defaultOn={s.automaticPayment}
          hasCard={card !== null}
          readOnly={readOnly}
          preview={view.autopayPreview}
          error={state.fieldErrors?.automaticPayment}
          onConfirmingChange={(confirming) => setConfirmingAfter(confirming ? (state.done ?? 0) : null)}
        />
        {!readOnly && !confirmingAutopay && (
          <button type="submit" disabled={pending} className={`${primaryButton} sticky bottom-3 shadow-md`}>
            {pending ? "Saving…" : "Save settings"}
          </button>
        )}
      </form>
      {/* Its own forms (Add card leaves for the provider's page): outside the settings form. */}
      <SavedCard card={card} canManage={view.canManage} onSaved={onSaved} />
      <TimeZoneSetting timeZone={s.timeZone} options={view.timeZones} canManage={view.canManage} onSaved={onSaved} />
      {view.budget && <MonthlyBudgetSetting budget={view.budget} canManage={view.canManage} onSaved={onSaved} />}
      {view.canManage && (
        <p className="mt-6 border-t border-slate-200 pt-4 text-sm">
          <Link href="/sharing" className="font-medium text-brand-700 underline underline-offset-2">Share links and calendar feed</Link>: revoke links to
          your invoices, and subscribe to their due dates.
        </p>
      )}
      {/* The viewer's own tokens: Read creates them too (they only read). */}
      <ApiTokens />
    </>
  );
}
