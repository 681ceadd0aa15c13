"use client";

import { useActionState, useEffect } from "react";
import { saveTimeZone, type TimeZoneState } from "@/lib/actions/time-zone";
import { FormMessage, inputClass, primaryButton } from "./fields";

const HINT = "Due dates, reminders, card notices and automatic payments follow this zone.";

/** The account's Time zone in Settings: its own small form, changeable with invoice access Full. */
export function TimeZoneSetting({ timeZone, options, canManage, onSaved }: { timeZone: string; options: readonly string[]; canManage: boolean; onSaved: () => void }) {
  const [state, action, pending] = useActionState<TimeZoneState, FormData>(saveTimeZone, {});
  useEffect(() => {
    if (state.ok && state.done) onSaved();
  }, [state.ok, state.done, onSaved]);

  if (!canManage) {
    return (
      <section aria-labelledby="time-zone-heading" className="mt-6 space-y-1 border-t border-slate-200 pt-5">
        <h3 id="time-zone-heading" className="text-sm font-semibold">Time zone</h3>
        <p className="text-sm text-slate-700">{timeZone}</p>
        <p className="text-xs text-slate-600">{HINT}</p>
      </section>
    );
  }
  const error = state.fieldErrors?.timeZone;
  const submitted = typeof state.values?.timeZone === "string" ? state.values.timeZone : undefined;
  const describedBy = ["time-zone-note", error ? "time-zone-error" : null].filter(Boolean).join(" ");
  return (
    <section aria-labelledby="time-zone-heading" className="mt-6 border-t border-slate-200 pt-5">
      <form action={action} className="space-y-3" noValidate>
        <FormMessage ok={state.ok} message={state.message} />
        <div>
          {/* The heading names the section, as in the Read view, and its label names the field. */}
          <h3 id="time-zone-heading" className="text-sm font-semibold">
            <label htmlFor="time-zone" className="block">Time zone</label>
          </h3>
          {/* A refused value is shown again beside its message; otherwise the saved zone. */}
          <input
            key={`${state.done ?? 0}:${submitted ?? timeZone}`}
            id="time-zone"
            name="timeZone"
            list="time-zone-options"
            defaultValue={submitted ?? timeZone}
            autoComplete="off"
            spellCheck={false}
            aria-invalid={error ? true : undefined}
            aria-describedby={describedBy}
            className={inputClass}
          />
          <datalist id="time-zone-options">
            {options.map((zone) => (
              <option key={zone} value={zone} />
            ))}
          </datalist>
          <p id="time-zone-note" className="mt-1 text-xs text-slate-600">{HINT}</p>
          {error && (
            <p id="time-zone-error" className="mt-1 text-sm text-red-700">{error}</p>
          )}
        </div>
        <button type="submit" disabled={pending} className={primaryButton}>
          {pending ? "Saving…" : "Save time zone"}
        </button>
      </form>
    </section>
  );
}
