"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { getDb } from "@/db/client";
import { defineAction, type ActionState } from "@/lib/dal/action";
import { canPayInvoices } from "@/lib/dal/session";
import { getPaymentProvider } from "@/lib/payments";
import { attachCheckout, beginCardPayment, failOpenPayment } from "@/lib/payments/engine";

export type PayState = ActionState<"n" | "method" | "amount" | "idempotencyKey"> & {
  /** A payment already in progress for one of the invoices: where to continue it. */
  inProgressUrl?: string;
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
    const resultPage = (paymentId: string) =>
      input.n.length === 1 ? `/invoices/${input.n[0]}?payment=${paymentId}` : `/invoices?payment=${paymentId}`;
    if (result.kind === "refused") return { ok: false, message: result.message };
    if (result.kind === "in_progress") {
      return {
        ok: false,
        message: "A payment is already in progress for this invoice.",
        inProgressUrl: result.providerReference ? provider.resumeUrl(result.providerReference) : resultPage(result.paymentId),
      };
    }
    if (result.kind === "existing") {
      // A retried submission: the first result, never a second payment.
      redirect(result.providerReference && result.state !== "succeeded" && result.state !== "failed" && result.state !== "cancelled"
        ? provider.resumeUrl(result.providerReference)
        : resultPage(result.paymentId));
    }
    const h = await headers();
    const origin = `${h.get("x-forwarded-proto") ?? "http"}://${h.get("x-forwarded-host") ?? h.get("host")}`;
    let checkoutUrl: string;
    try {
      const checkout = await provider.createCheckout({
        paymentId: result.paymentId,
        amountMinor: result.amountMinor,
        currency: result.currency,
        description: input.n.length === 1 ? `Invoice ${input.n[0]}` : `${input.n.length} invoices: ${input.n.join(", ")}`,
        returnUrl: new URL(resultPage(result.paymentId), origin).toString(),
      });
      await attachCheckout(db, result.paymentId, checkout.providerReference);
      checkoutUrl = checkout.redirectUrl;
    } catch (err) {
      await failOpenPayment(db, result.paymentId, "The payment provider could not be reached.", viewer.userId);
      console.error("Cumulus: creating a checkout failed:", err);
      return { ok: false, message: "The payment provider could not be reached. Nothing was charged; please try again." };
    }
    redirect(checkoutUrl);
  },
});
