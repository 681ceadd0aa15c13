"use client";

import { useActionState, useId, useState } from "react";
import { changePassword, logOutEverywhere, type SettingsState } from "@/lib/actions/account";
import { logout } from "@/lib/actions/session";
import { CurrentPasswordField, Field, FormMessage, primaryButton, secondaryButton } from "./fields";

/**
 * The top of the Account settings slide-over, the same for every user whatever their access:
 * Log out (this session), Log out everywhere (every session of the user, this one included)
 * and Change password (which ends the user's other sessions).
 */
export function SessionControls() {
  const [changing, setChanging] = useState(false);
  const [everywhere, logOutEverywhereAction, endingAll] = useActionState<SettingsState, FormData>(logOutEverywhere, {});
  const formId = useId();
  return (
    <div className="mt-3">
      <div className="flex flex-wrap items-center gap-2">
        <form action={logout}>
          <button type="submit" className={secondaryButton}>
            Log out
          </button>
        </form>
        <form action={logOutEverywhereAction}>
          <input type="hidden" name="scope" value="everywhere" />
          <button type="submit" disabled={endingAll} className={secondaryButton}>
            Log out everywhere
          </button>
        </form>
        <button type="button" aria-expanded={changing} aria-controls={formId} onClick={() => setChanging((v) => !v)} className={secondaryButton}>
          Change password
        </button>
      </div>
      <FormMessage ok={everywhere.ok} message={everywhere.message ?? everywhere.fieldErrors?.scope} />
      {changing && <ChangePasswordForm id={formId} onClose={() => setChanging(false)} />}
    </div>
  );
}

function ChangePasswordForm({ id, onClose }: { id: string; onClose: () => void }) {
  const [state, action, pending] = useActionState<SettingsState, FormData>(changePassword, {});
  return (
    <form id={id} action={action} aria-label="Change password" noValidate className="mt-3 space-y-3 rounded-md border border-slate-200 p-3">
      <CurrentPasswordField id={`${id}-current`} label="Current password" error={state.fieldErrors?.password} />
      <Field
        id={`${id}-new`}
        name="newPassword"
        type="password"
        label="New password"
        note="At least 12 characters. Your other sessions end when it is changed."
        error={state.fieldErrors?.newPassword}
        autoComplete="new-password"
      />
      <Field id={`${id}-repeat`} name="confirmPassword" type="password" label="Repeat new password" error={state.fieldErrors?.confirmPassword} autoComplete="new-password" />
      <FormMessage ok={state.ok} message={state.message} />
      <div className="flex gap-2">
        <button type="submit" disabled={pending} className={primaryButton}>
          {pending ? "Saving…" : "Save new password"}
        </button>
        <button type="button" onClick={onClose} className={secondaryButton}>
          Close
        </button>
      </div>
    </form>
  );
}
