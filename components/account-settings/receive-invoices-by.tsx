"use client";

import type { SettingsState } from "@/lib/actions/account";
import type { BillingSettingsView } from "@/lib/dal/account";
import { PARTICIPANT_SCHEMES } from "@/lib/einvoice/participant";
import { Field } from "./fields";

const SCHEMES_NOTE = `Scheme and identifier, e.g. 0007:5567321707 (Swedish organisation number). Schemes: ${Object.entries(PARTICIPANT_SCHEMES)
  .map(([code, s]) => `${code} ${s.label}`)
  .join(", ")}.`;

/**
 * Settings → Receive invoices by: Email, E-invoice (Peppol) with the participant id, or both.
 * After a refused save the boxes and the id show what was submitted, with the message beside them.
 */
export function ReceiveInvoicesBy({ settings, state, readOnly }: { settings: BillingSettingsView["settings"]; state: SettingsState; readOnly: boolean }) {
  const submitted = state.values;
  const checked = (name: string, stored: boolean) => (submitted ? submitted[name] === "on" : stored);
  const typedId = submitted?.peppolParticipantId;
  const e = state.fieldErrors ?? {};
  return (
    <fieldset aria-describedby={e.receiveInvoicesByEmail ? "receive-by-error" : undefined}>
      <legend className="text-sm font-semibold">Receive invoices by</legend>
      <label className="mt-2 flex items-center gap-2 text-sm">
        <input type="checkbox" name="receiveInvoicesByEmail" defaultChecked={checked("receiveInvoicesByEmail", settings.receiveInvoicesByEmail)} disabled={readOnly} className="size-4 rounded border-slate-400" />
        Email, to the Billing contacts
      </label>
      <label className="mt-1 flex items-center gap-2 text-sm">
        <input type="checkbox" name="receiveInvoicesByPeppol" defaultChecked={checked("receiveInvoicesByPeppol", settings.receiveInvoicesByPeppol)} disabled={readOnly} className="size-4 rounded border-slate-400" />
        E-invoice (Peppol)
      </label>
      {e.receiveInvoicesByEmail && (
        <p id="receive-by-error" className="mt-1 text-sm text-red-700">
          {e.receiveInvoicesByEmail}
        </p>
      )}
      <div className="mt-3">
        <Field
          id="peppol-participant"
          name="peppolParticipantId"
          label="Peppol participant id"
          defaultValue={typeof typedId === "string" ? typedId : settings.peppolParticipantId}
          error={e.peppolParticipantId}
          readOnly={readOnly}
          note={SCHEMES_NOTE}
        />
      </div>
    </fieldset>
  );
}
