"use client";

import { useSearchParams } from "next/navigation";
import { useActionState, useEffect, useState } from "react";
import { addCard, removeSavedCard, type CardActionState } from "@/lib/actions/cards";
import { cardExpiryText, maskedCardLabel, type MaskedCard } from "@/lib/payments/card-label";
import { CurrentPasswordField, FormMessage, primaryButton, secondaryButton } from "./fields";

/** What the return from the provider's page (`?card=`, set by the return route) says. */
const RETURN_MESSAGES: Record<string, { ok: boolean; text: string }> = {
  added: { ok: true, text: "Card saved." },
  replaced: { ok: true, text: "Card replaced. The new card is used from now on." },
  unchanged: { ok: true, text: "This card was already saved." },
  open: { ok: false, text: "No card was saved: the card was not confirmed." },
  cancelled: { ok: false, text: "No card was saved." },
  stale: { ok: false, text: "No card was saved: this card setup was used already or the card has changed since. Add the card again." },
};

/** The saved card in Settings: masked, with Add / Replace / Remove card for invoice access Full. */
export function SavedCard({ card, canManage, onSaved }: { card: MaskedCard | null; canManage: boolean; onSaved: () => void }) {
  const returned = RETURN_MESSAGES[useSearchParams().get("card") ?? ""];
  const [addState, add, adding] = useActionState<CardActionState, FormData>(addCard, {});
  const [removing, setRemoving] = useState(false);
  const [removedMessage, setRemovedMessage] = useState<string | null>(null);
  // The provider's page is another site (or plays one): a full navigation.
  useEffect(() => {
    if (addState.redirectUrl) window.location.assign(addState.redirectUrl);
  }, [addState.redirectUrl]);
  const leaving = Boolean(addState.redirectUrl);

  return (
    <section aria-labelledby="card-heading" className="mt-6 space-y-3 border-t border-slate-200 pt-5">
      <h3 id="card-heading" className="text-sm font-semibold">Saved card</h3>
      {returned && !removedMessage && <FormMessage ok={returned.ok} message={returned.text} />}
      {removedMessage && <FormMessage ok message={removedMessage} />}
      <p className="text-sm text-slate-700">
        {card ? `${maskedCardLabel(card)}, expires ${cardExpiryText(card)}` : "No saved card."}
      </p>
      {canManage && (
        <>
          <p className="text-xs text-slate-600">
            The card is entered on our payment provider&apos;s page and verified without a charge; only its brand, last four digits and expiry are kept here.
          </p>
          <FormMessage ok={false} message={addState.ok === false ? addState.message : undefined} />
          <div className="flex flex-wrap gap-2">
            <form action={add}>
              <button type="submit" disabled={adding || leaving} className={primaryButton}>
                {leaving ? "Opening the provider's page…" : card ? "Replace card" : "Add card"}
              </button>
            </form>
            {card && !removing && (
              <button type="button" onClick={() => setRemoving(true)} className={secondaryButton}>
                Remove card
              </button>
            )}
          </div>
          {card && removing && (
            <RemoveCardForm
              onRemoved={(message) => {
                setRemoving(false);
                setRemovedMessage(message);
                onSaved();
              }}
              onCancel={() => setRemoving(false)}
            />
          )}
        </>
      )}
    </section>
  );
}

function RemoveCardForm({ onRemoved, onCancel }: { onRemoved: (message: string) => void; onCancel: () => void }) {
  const [state, action, pending] = useActionState<CardActionState, FormData>(removeSavedCard, {});
  useEffect(() => {
    if (state.ok && state.done) onRemoved(state.message ?? "Card removed.");
  }, [state.ok, state.done, state.message, onRemoved]);
  return (
    <form action={action} className="space-y-3 rounded-md border border-slate-200 p-3" aria-label="Remove card" noValidate>
      <CurrentPasswordField id="remove-card-pw" note="Confirm with your password." error={state.fieldErrors?.password} />
      <FormMessage ok={false} message={state.ok === false ? state.message : undefined} />
      <div className="flex gap-2">
        <button type="submit" disabled={pending} className="rounded-md bg-red-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-800 focus:outline-none focus-visible:ring-2 focus-visible:ring-red-700 focus-visible:ring-offset-2">
          Yes, remove the card
        </button>
        <button type="button" onClick={onCancel} className={secondaryButton}>Cancel</button>
      </div>
    </form>
  );
}
