"use client";

import { useState } from "react";
import type { AutopayPreviewItem } from "@/lib/dal/autopay";
import { primaryButton, secondaryButton } from "./fields";

type Props = {
  defaultOn: boolean;
  hasCard: boolean;
  readOnly: boolean;
  preview: AutopayPreviewItem[];
  error?: string;
  /** While turning it on waits for the confirm step, the form's own Save button steps aside. */
  onConfirmingChange: (confirming: boolean) => void;
};

/**
 * The Automatic payment switch of the Settings form. Turning it on first shows what it will
 * charge and when; the confirm step's button saves the form. Turning it off needs no preview.
 */
export function AutomaticPaymentField({ defaultOn, hasCard, readOnly, preview, error, onConfirmingChange }: Props) {
  const [on, setOn] = useState(defaultOn);
  const confirming = on && !defaultOn;
  const toggle = (next: boolean) => {
    setOn(next);
    onConfirmingChange(next && !defaultOn);
  };
  const noteId = "automatic-payment-note";
  const errorId = "automatic-payment-error";
  return (
    <fieldset>
      <legend className="text-sm font-semibold">Automatic payment</legend>
      {/* What the form was loaded with: the server leaves the switch alone unless it was changed here. */}
      <input type="hidden" name="automaticPaymentWas" value={String(defaultOn)} />
      <label className="mt-2 flex items-center gap-2 text-sm">
        <input
          type="checkbox"
          role="switch"
          name="automaticPayment"
          checked={on}
          onChange={(e) => toggle(e.target.checked)}
          // Without a card it cannot be turned on; once on, it can always be turned off.
          disabled={readOnly || (!hasCard && !on)}
          aria-describedby={[noteId, error ? errorId : null].filter(Boolean).join(" ")}
          aria-invalid={error ? true : undefined}
          className="size-4 rounded border-slate-400"
        />
        Pay invoices automatically with the saved card
      </label>
      <p id={noteId} className="mt-1 text-xs text-slate-600">
        {hasCard
          ? "Pays each outstanding invoice on its due date with the saved card. The Billing contacts are told three days before each charge."
          : "Needs a saved card: add one below. Then it pays each outstanding invoice on its due date."}
      </p>
      {error && (
        <p id={errorId} className="mt-1 text-sm text-red-700">
          {error}
        </p>
      )}
      {confirming && <ConfirmStep preview={preview} onCancel={() => toggle(false)} />}
    </fieldset>
  );
}

function ConfirmStep({ preview, onCancel }: { preview: AutopayPreviewItem[]; onCancel: () => void }) {
  return (
    <section aria-labelledby="autopay-confirm-heading" className="mt-3 space-y-3 rounded-md border border-slate-200 p-3">
      <h4 id="autopay-confirm-heading" className="text-sm font-semibold">
        Automatic payment will charge these invoices
      </h4>
      {preview.length === 0 ? (
        <p className="text-sm text-slate-700">Nothing is outstanding now. New invoices will be charged on their due dates.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead>
              <tr className="border-b border-slate-200 text-slate-700">
                <th scope="col" className="py-1 pr-3 font-medium">Invoice</th>
                <th scope="col" className="py-1 pr-3 text-right font-medium">Amount</th>
                <th scope="col" className="py-1 font-medium">Charge date</th>
              </tr>
            </thead>
            <tbody>
              {preview.map((p) => (
                <tr key={p.number} className="border-b border-slate-100">
                  <td className="py-1 pr-3 tabular-nums">{p.number}</td>
                  <td className="py-1 pr-3 text-right tabular-nums whitespace-nowrap">{p.amount}</td>
                  <td className="py-1 tabular-nums">{p.overdue ? `${p.chargeDate} (overdue: at the next run, within the hour)` : p.chargeDate}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="flex flex-wrap gap-2">
        <button type="submit" className={primaryButton}>
          Turn on and save
        </button>
        <button type="button" onClick={onCancel} className={secondaryButton}>
          Cancel
        </button>
      </div>
    </section>
  );
}
