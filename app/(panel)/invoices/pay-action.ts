"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { getDb } from "@/db/client";
import { defineAction, type ActionState } from "@/lib/dal/action";
import { canPayInvoices } from "@/lib/dal/session";
import { appOrigin } from "@/lib/env";
import { getPaymentProvider } from "@/lib/payments";
import { attachCheckout, beginCardPayment, failOpenPayment, strandedPayment } from "@/lib/payments/engine";

export type PayState = ActionState<"n" | "method" | "amount" | "idempotencyKey"> & {
  /** A payment already in progress for one of the invoices: where to continue it. */
  inProgressUrl?: string;
  /**
   * The provider's hosted payment page, which the dialog opens with a full navigation. Not a
   * redirect(): for a same-origin URL (the sandbox's) Next would render that page inside this
   * action's response through a second request to itself, doubling the action's cost.
   */
  checkoutUrl?: string;
};

const schema = z.object({
  n: z
    .preprocess((v) => (Array.isArray(v) ? v : v === undefined ? [] : [v]), z.array(z.string().regex(/^[1-9]\d{0,14}$/, "Unknown invoice.").transform(Number)))
    .pipe(z.array(z.number()).min(1, "Choose at least one invoice.").max(500, "At most 500 invoices at once.")),
  method: z.enum(["card"], { error: "Choose a payment method." }),
  amount: z.string().regex(/^\d{1,18}$/, "The amount is not valid.").transform(BigInt),
  idempotencyKey: z.uuid("Reload the page and try again."),
});

export const payInvoices = defineAction<typeof schema, PayState>({
  name: "invoices.pay",
  schema,
  authorize: canPayInvoices,
  async handler(viewer, input) {
    const provider = getPaymentProvider();
    const db = getDb();
    const result = await beginCardPayment(db, {
      accountId: viewer.account.id,
      userId: viewer.userId,
      numbers: input.n,
      expectedAmountMinor: input.amount,
      idempotencyKey: input.idempotencyKey,
      provider: provider.name,
    });
    const resultPage = (paymentId: string, numbers: number[]) =>
      numbers.length === 1 ? `/invoices/${numbers[0]}?payment=${paymentId}` : `/invoices?payment=${paymentId}`;
    // The panel's own origin (APP_URL), never the request's Host or X-Forwarded-Host: the
    // provider sends the payer back there.
    const origin = appOrigin();
    /** The provider's hosted page for a recorded attempt; on failure the attempt is failed, nothing charged. */
    const openCheckout = async (p: { paymentId: string; amountMinor: bigint; currency: string; numbers: number[] }): Promise<PayState> => {
      try {
        const checkout = await provider.createCheckout({
          paymentId: p.paymentId,
          amountMinor: p.amountMinor,
          currency: p.currency,
          description: p.numbers.length === 1 ? `Invoice ${p.numbers[0]}` : `${p.numbers.length} invoices: ${p.numbers.join(", ")}`,
          returnUrl: new URL(resultPage(p.paymentId, p.numbers), origin).toString(),
        });
        await attachCheckout(db, p.paymentId, checkout.providerReference);
        return { ok: true, checkoutUrl: checkout.redirectUrl };
      } catch (err) {
        await failOpenPayment(db, p.paymentId, "The payment provider could not be reached.", viewer.userId);
        console.error("Cumulus: creating a checkout failed:", err);
        return { ok: false, message: "The payment provider could not be reached. Nothing was charged; please try again." };
      }
    };
    if (result.kind === "refused") return { ok: false, message: result.message };
    if (result.kind === "in_progress") {
      // Its checkout was never created (the server stopped in between): create it now. Providers
      // key checkouts by our payment id, so this can never make a second one.
      const stranded = result.providerReference ? null : await strandedPayment(db, viewer.account.id, result.paymentId);
      if (stranded) return openCheckout({ paymentId: stranded.id, amountMinor: stranded.amountMinor, currency: stranded.currency, numbers: stranded.numbers });
      return {
        ok: false,
        message: "A payment is already in progress for this invoice.",
        inProgressUrl: result.providerReference ? provider.resumeUrl(result.providerReference) : resultPage(result.paymentId, input.n),
      };
    }
    if (result.kind === "existing") {
      // A retried submission: the first result, never a second payment.
      if (result.providerReference && result.state !== "succeeded" && result.state !== "failed" && result.state !== "cancelled") {
        return { ok: true, checkoutUrl: provider.resumeUrl(result.providerReference) };
      }
      redirect(resultPage(result.paymentId, input.n));
    }
    return openCheckout({ paymentId: result.paymentId, amountMinor: result.amountMinor, currency: result.currency, numbers: input.n });
  },
});
