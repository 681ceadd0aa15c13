"use server";

/**
 * The steps of the sandbox provider's hosted page. It stands for the provider's own site, with
 * no panel session to authorize, so these are plain server functions rather than defineAction;
 * each answers 404 unless the sandbox is the configured provider.
 */
import { notFound, redirect } from "next/navigation";
import { z } from "zod";
import { sandboxEnabled } from "@/lib/payments";
import {
  authenticateSandboxCheckout,
  cancelSandboxCheckout,
  decideCard,
  findSandboxCheckout,
  sendSandboxCallback,
  settleSandboxCheckout,
} from "@/lib/payments/sandbox";
import { luhnValid } from "@/lib/luhn";

export type CardState = { fieldErrors?: { card?: string; expiry?: string; cvc?: string }; message?: string };

const cardSchema = z.object({
  card: z
    .string()
    .transform((v) => v.replace(/[\s-]/g, ""))
    .pipe(z.string().regex(/^\d{13,19}$/, "Enter the card number.").refine(luhnValid, "This card number is not valid.")),
  expiry: z
    .string()
    .trim()
    .regex(/^(0[1-9]|1[0-2])\s*\/\s*(\d{2})$/, "Enter the expiry as MM/YY.")
    .refine((v) => {
      const [mm, yy] = v.split("/").map((s) => Number(s.trim()));
      const end = new Date(Date.UTC(2000 + yy!, mm!, 1));
      return end.getTime() > Date.now();
    }, "This card has expired."),
  cvc: z.string().trim().regex(/^\d{3,4}$/, "Enter the 3 or 4 digits on the back of the card."),
});

/** The checkout, or null for an unknown id. Nothing of the sandbox answers unless it is the configured provider. */
async function findCheckout(id: string) {
  if (!sandboxEnabled()) notFound();
  return findSandboxCheckout(id);
}

/** Pay with a card. The number is checked and forgotten: only the brand and last four are kept. */
export async function payWithCard(id: string, _prev: CardState, formData: FormData): Promise<CardState> {
  const checkout = await findCheckout(id);
  if (!checkout) return { message: "This payment page has expired." };
  if (checkout.status !== "open") redirect(checkout.returnUrl);
  const parsed = cardSchema.safeParse({ card: formData.get("card") ?? "", expiry: formData.get("expiry") ?? "", cvc: formData.get("cvc") ?? "" });
  if (!parsed.success) {
    const fieldErrors: CardState["fieldErrors"] = {};
    for (const i of parsed.error.issues) fieldErrors[i.path[0] as "card" | "expiry" | "cvc"] ??= i.message;
    return { fieldErrors };
  }
  // Only from open: a second submission racing this one finds it no longer open and changes nothing.
  const row = await settleSandboxCheckout(id, decideCard(parsed.data.card));
  if (!row) redirect(checkout.returnUrl);
  await sendSandboxCallback(row);
  if (row.status === "requires_action") redirect(`/sandbox/checkout/${id}?step=3ds`);
  redirect(checkout.returnUrl);
}

/**
 * The 3-D Secure step: the cardholder confirms (or fails) the authentication. Only a checkout
 * waiting for it moves; any other is left as it is and its page shows where it stands.
 */
export async function authenticate(id: string, formData: FormData): Promise<void> {
  const checkout = await findCheckout(id);
  if (!checkout) redirect("/sandbox/checkout/expired");
  const row = await authenticateSandboxCheckout(id, formData.get("result") === "approve");
  if (!row) redirect(`/sandbox/checkout/${id}`);
  await sendSandboxCallback(row);
  redirect(checkout.returnUrl);
}

/** Cancel an open checkout; any other is left as it is and its page shows where it stands. */
export async function cancelCheckout(id: string): Promise<void> {
  const checkout = await findCheckout(id);
  if (!checkout) redirect("/sandbox/checkout/expired");
  const row = await cancelSandboxCheckout(id);
  if (!row) redirect(`/sandbox/checkout/${id}`);
  await sendSandboxCallback(row);
  redirect(checkout.returnUrl);
}
