"use client";

import { useActionState, useEffect, useState } from "react";
import { saveCustomerInfo, type SettingsState } from "@/lib/actions/account";
import type { BillingSettingsView } from "@/lib/dal/account";
import { Field, FormMessage, inputClass, primaryButton } from "./fields";

export function CustomerInfoTab({ view, onSaved }: { view: BillingSettingsView; onSaved: () => void }) {
  const [state, action, pending] = useActionState<SettingsState, FormData>(saveCustomerInfo, {});
  const s = view.settings;
  const v = (key: string, fallback: string | null | undefined) => {
    const submitted = state.values?.[key];
    return typeof submitted === "string" ? submitted : (fallback ?? "");
  };
  const [separate, setSeparate] = useState(Boolean(s.billingAddress));
  useEffect(() => {
    if (state.ok && state.done) onSaved();
  }, [state.ok, state.done, onSaved]);
  const e = state.fieldErrors ?? {};
  const readOnly = !view.canManage;

  return (
    <form action={action} className="space-y-4" noValidate>
      {readOnly && <p className="text-sm text-slate-700">You can see the customer info; a user with invoice access Full can change it.</p>}
      <FormMessage ok={state.ok} message={state.message} />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id="ci-first" name="firstName" label="First name" defaultValue={v("firstName", s.firstName)} error={e.firstName} readOnly={readOnly} autoComplete="given-name" />
        <Field id="ci-last" name="lastName" label="Last name" defaultValue={v("lastName", s.lastName)} error={e.lastName} readOnly={readOnly} autoComplete="family-name" />
      </div>
      <Field id="ci-company" name="companyName" label="Company name" defaultValue={v("companyName", s.name)} error={e.companyName} readOnly={readOnly} autoComplete="organization" />
      <Field id="ci-street" name="street" label="Address" defaultValue={v("street", s.street)} error={e.street} readOnly={readOnly} autoComplete="street-address" />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id="ci-city" name="city" label="City" defaultValue={v("city", s.city)} error={e.city} readOnly={readOnly} autoComplete="address-level2" />
        <Field id="ci-zip" name="zipCode" label="Zip code" defaultValue={v("zipCode", s.zipCode)} error={e.zipCode} readOnly={readOnly} autoComplete="postal-code" />
      </div>
      <div>
        <label htmlFor="ci-country" className="block text-sm font-medium text-slate-700">Country</label>
        <select id="ci-country" name="countryCode" defaultValue={v("countryCode", s.countryCode)} disabled={readOnly} aria-invalid={e.countryCode ? true : undefined} aria-describedby={e.countryCode ? "ci-country-error" : undefined} className={inputClass}>
          {view.countries.map((c) => (
            <option key={c.code} value={c.code}>{c.name}</option>
          ))}
        </select>
        {e.countryCode && <p id="ci-country-error" className="mt-1 text-sm text-red-700">{e.countryCode}</p>}
      </div>
      <Field
        id="ci-org"
        name="organisationNumber"
        label="Organisation number"
        defaultValue={s.organisationNumber}
        readOnly
        note="The organisation number can only be changed by our support: contact billing support to change it."
      />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id="ci-vat" name="vatNumber" label="VAT number" defaultValue={v("vatNumber", s.vatNumber)} error={e.vatNumber} readOnly={readOnly} />
        <Field id="ci-po" name="purchaseOrder" label="Purchase order" defaultValue={v("purchaseOrder", s.purchaseOrder)} error={e.purchaseOrder} readOnly={readOnly} />
      </div>
      <Field id="ci-co" name="careOf" label="Care of" defaultValue={v("careOf", s.careOf)} error={e.careOf} readOnly={readOnly} />

      <div className="rounded-md border border-slate-200 p-3">
        <label className="flex items-center gap-2 text-sm font-medium">
          <input type="checkbox" name="separateBilling" checked={separate} disabled={readOnly} onChange={(ev) => setSeparate(ev.target.checked)} className="size-4 rounded border-slate-400" />
          Separate billing address
        </label>
        {separate && (
          <div className="mt-3 space-y-3">
            <Field id="ci-bname" name="billingName" label="Billing name" defaultValue={v("billingName", s.billingAddress?.name)} error={e.billingName} readOnly={readOnly} />
            <Field id="ci-bstreet" name="billingStreet" label="Billing address" defaultValue={v("billingStreet", s.billingAddress?.street)} error={e.billingStreet} readOnly={readOnly} />
            <div className="grid gap-3 sm:grid-cols-2">
              <Field id="ci-bcity" name="billingCity" label="Billing city" defaultValue={v("billingCity", s.billingAddress?.city)} error={e.billingCity} readOnly={readOnly} />
              <Field id="ci-bzip" name="billingZipCode" label="Billing zip code" defaultValue={v("billingZipCode", s.billingAddress?.zipCode)} error={e.billingZipCode} readOnly={readOnly} />
            </div>
          </div>
        )}
      </div>
      <p className="text-xs text-slate-600">Changes apply to invoices issued from now on; issued invoices keep the address they were issued with.</p>
      {!readOnly && (
        <button type="submit" disabled={pending} className={`${primaryButton} sticky bottom-3 shadow-md`}>
          {pending ? "Saving…" : "Update"}
        </button>
      )}
    </form>
  );
}
