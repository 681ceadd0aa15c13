"use client";

import { useActionState, useState } from "react";
import { saveUserAccess, type AccessState } from "@/lib/actions/users";
import { FormMessage, inputClass, primaryButton, secondaryButton } from "@/components/account-settings/fields";

/** "Change access" for one user: a small form that opens in the row (one island per row, no form until opened). */
export function AccessForm({ userId, name, invoiceAccess, isAdmin }: { userId: string; name: string; invoiceAccess: string; isAdmin: boolean }) {
  const [open, setOpen] = useState(false);
  const [state, action, pending] = useActionState<AccessState, FormData>(saveUserAccess, {});
  if (!open) {
    return (
      <>
        <button type="button" onClick={() => setOpen(true)} aria-label={`Change access of ${name}`} className="text-sm font-medium text-brand-700 underline">
          Change access
        </button>
        {state.ok && <FormMessage ok message={state.message} />}
      </>
    );
  }
  return (
    <form action={action} className="flex flex-wrap items-end gap-3" aria-label={`Access of ${name}`} noValidate>
      <input type="hidden" name="userId" value={userId} />
      <div>
        <label htmlFor={`access-${userId}`} className="block text-xs font-medium text-slate-700">Invoice access</label>
        <select id={`access-${userId}`} name="invoiceAccess" defaultValue={invoiceAccess} className={inputClass}>
          <option value="none">None</option>
          <option value="read">Read</option>
          <option value="full">Full</option>
        </select>
      </div>
      <label className="flex items-center gap-2 pb-2 text-sm">
        <input type="checkbox" name="isAdmin" defaultChecked={isAdmin} className="size-4 rounded border-slate-400" />
        Admin
      </label>
      <button type="submit" disabled={pending} className={primaryButton}>Save</button>
      <button type="button" onClick={() => setOpen(false)} className={secondaryButton}>Cancel</button>
      <div className="basis-full">
        <FormMessage ok={state.ok} message={state.message} />
      </div>
    </form>
  );
}
