"use server";
import { invoiceNumberSchema } from "@/lib/invoices/numbers";

import { redirect } from "next/navigation";
import { z } from "zod";
import { defineAction, type ActionState } from "@/lib/dal/action";
import { startViewerCardPayment } from "@/lib/dal/payments";
import { canPayInvoices } from "@/lib/dal/session";

export type PayState = ActionState<"n" | "method" | "amount" | "idempotencyKey"> & {
  /** A payment already in progress for one of the invoices: where to continue it. */
  inProgressUrl?: string;
  /**
   * The provider's hosted payment page, which the dialog opens with a full navigation. Not a
   * redirect(): for a same-origin URL (the sandbox's) Next would render that page inside this
   * action's response through a second request to itself, doubling the action's cost.
   */
  checkoutUrl?: string;
  /** Certainly nothing was charged: the dialog's next Pay is a new attempt, with a new key. */
  nothingCharged?: true;
};

const schema = z.object({
  n: z
    .preprocess((v) => (Array.isArray(v) ? v : v === undefined ? [] : [v]), z.array(invoiceNumberSchema))
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
    const next = await startViewerCardPayment(viewer, { numbers: input.n, expectedAmountMinor: input.amount, idempotencyKey: input.idempotencyKey });
    if (next.kind === "checkout") return { ok: true, checkoutUrl: next.checkoutUrl };
    if (next.kind === "result") redirect(next.resultPath);
    if (next.kind === "in_progress") return { ok: false, message: next.message, inProgressUrl: next.inProgressUrl };
    return { ok: false, message: next.message, nothingCharged: true };
  },
});
