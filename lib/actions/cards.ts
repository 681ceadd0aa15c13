"use server";

/**
 * Server actions of the saved card: Add card / Replace card and Remove card in Settings, and
 * Pay with the saved card in the Pay dialog. Invoice access Full only (a forged request from
 * anyone else is audited and answers 403); the account is always the viewer's own.
 */
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { confirmPassword, reauthRefusal } from "@/lib/auth/reauth";
import { defineAction, type ActionState } from "@/lib/dal/action";
import { payWithCard, removeCard, startCardSetup } from "@/lib/dal/cards";
import { canManageBilling, canPayInvoices } from "@/lib/dal/session";
import { paymentResultPath } from "@/lib/payments/checkout";

export type CardActionState = ActionState<"password"> & {
  /** The provider's hosted page, opened by the browser with a full navigation. */
  redirectUrl?: string;
  done?: number;
};

const PROVIDER_UNREACHABLE = "The payment provider could not be reached. Please try again.";

const addSchema = z.object({});

export const addCard = defineAction<typeof addSchema, CardActionState>({
  name: "cards.add",
  schema: addSchema,
  authorize: canManageBilling,
  async handler(viewer) {
    try {
      const setup = await startCardSetup(viewer);
      return setup ? { ok: true, redirectUrl: setup.redirectUrl } : { ok: false, message: "Account not found." };
    } catch (err) {
      console.error("Cumulus: starting a card setup failed:", err instanceof Error ? err.message : "unknown error");
      return { ok: false, message: PROVIDER_UNREACHABLE };
    }
  },
});

const removeSchema = z.object({ password: z.string().min(1, "Enter your password to confirm.").max(1024) });

export const removeSavedCard = defineAction<typeof removeSchema, CardActionState>({
  name: "cards.remove",
  schema: removeSchema,
  authorize: canManageBilling,
  async handler(viewer, input) {
    const refusal = reauthRefusal(await confirmPassword(viewer.userId, input.password));
    if (refusal) return { ok: false, fieldErrors: { password: refusal } };
    const r = await removeCard(viewer);
    if (!r.removed) return { ok: false, message: "This account has no saved card." };
    revalidatePath("/", "layout");
    const message = r.automaticPaymentTurnedOff ? "Card removed. Automatic payment is off, as it needs a saved card." : "Card removed.";
    return { ok: true, message, done: Date.now() };
  },
});

export type SavedCardPayState = ActionState<"n" | "amount" | "idempotencyKey"> & {
  /** The provider's 3-D Secure page: a full navigation. */
  redirectUrl?: string;
  /** A payment already under way for one of the invoices. */
  inProgressUrl?: string;
  /** Certainly nothing was charged: the dialog's next Pay is a new attempt, with a new key. */
  nothingCharged?: true;
};

const OUTCOME_UNKNOWN =
  "The payment provider did not answer, so we do not know yet whether your card was charged. It will not be charged twice: check the invoice again in a minute.";

const paySchema = z.object({
  n: z
    .preprocess((v) => (Array.isArray(v) ? v : v === undefined ? [] : [v]), z.array(z.string().regex(/^[1-9]\d{0,14}$/, "Unknown invoice.").transform(Number)))
    .pipe(z.array(z.number()).min(1, "Choose at least one invoice.").max(500, "At most 500 invoices at once.")),
  amount: z.string().regex(/^\d{1,18}$/, "The amount is not valid.").transform(BigInt),
  idempotencyKey: z.uuid("Reload the page and try again."),
});

export const payWithSavedCard = defineAction<typeof paySchema, SavedCardPayState>({
  name: "invoices.pay_saved_card",
  schema: paySchema,
  authorize: canPayInvoices,
  async handler(viewer, input) {
    const r = await payWithCard(viewer, { numbers: input.n, expectedAmountMinor: input.amount, idempotencyKey: input.idempotencyKey });
    if (!r) return { ok: false, message: "Your user cannot pay invoices." };
    switch (r.kind) {
      case "refused":
        return { ok: false, message: r.message, nothingCharged: true };
      case "provider_error":
        return { ok: false, message: "The payment provider refused the payment. Nothing was charged; please try again.", nothingCharged: true };
      case "unknown":
        return { ok: false, message: OUTCOME_UNKNOWN, inProgressUrl: paymentResultPath(r.paymentId, input.n) };
      case "in_progress":
        return { ok: false, message: "A payment is already in progress for this invoice.", inProgressUrl: paymentResultPath(r.paymentId, input.n) };
      case "needs_authentication":
        return { ok: true, redirectUrl: r.redirectUrl };
      case "existing":
      case "answered":
        // The result page shows what the database holds: paid, declined (with the reason) or processing.
        revalidatePath("/", "layout");
        redirect(paymentResultPath(r.paymentId, input.n));
    }
  },
});
