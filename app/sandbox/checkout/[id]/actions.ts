"use server";

import { eq } from "drizzle-orm";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { getDb } from "@/db/client";
import { sandboxCheckouts } from "@/db/schema";
import { decideCard, luhnValid, sendSandboxCallback, settleSandboxCheckout } from "@/lib/payments/sandbox";

export type CardState = { fieldErrors?: { card?: string; expiry?: string; cvc?: string }; message?: string };

const idSchema = z.uuid();

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

async function origin() {
  const h = await headers();
  return `${h.get("x-forwarded-proto") ?? "http"}://${h.get("x-forwarded-host") ?? h.get("host")}`;
}

async function openCheckout(id: string) {
  if (!idSchema.safeParse(id).success) return null;
  const [row] = await getDb().select().from(sandboxCheckouts).where(eq(sandboxCheckouts.id, id));
  return row ?? null;
}

/** Pay with a card. The number is checked and forgotten: only the brand and last four are kept. */
export async function payWithCard(id: string, _prev: CardState, formData: FormData): Promise<CardState> {
  const checkout = await openCheckout(id);
  if (!checkout) return { message: "This payment page has expired." };
  if (checkout.status !== "open") redirect(checkout.returnUrl);
  const parsed = cardSchema.safeParse({ card: formData.get("card") ?? "", expiry: formData.get("expiry") ?? "", cvc: formData.get("cvc") ?? "" });
  if (!parsed.success) {
    const fieldErrors: CardState["fieldErrors"] = {};
    for (const i of parsed.error.issues) fieldErrors[i.path[0] as "card" | "expiry" | "cvc"] ??= i.message;
    return { fieldErrors };
  }
  const decision = decideCard(parsed.data.card);
  const row = await settleSandboxCheckout(id, decision);
  if (row) await sendSandboxCallback(await origin(), row);
  if (decision.status === "requires_action") redirect(`/sandbox/checkout/${id}?step=3ds`);
  redirect(checkout.returnUrl);
}

/** The 3-D Secure step: the cardholder confirms (or fails) the authentication. */
export async function authenticate(id: string, formData: FormData): Promise<void> {
  const checkout = await openCheckout(id);
  if (!checkout) redirect("/sandbox/checkout/expired");
  const approved = formData.get("result") === "approve";
  const row = await settleSandboxCheckout(id, approved ? { status: "succeeded", reason: null } : { status: "failed", reason: "The card's authentication failed." });
  if (row) await sendSandboxCallback(await origin(), row);
  redirect(checkout.returnUrl);
}

export async function cancelCheckout(id: string): Promise<void> {
  const checkout = await openCheckout(id);
  if (!checkout) redirect("/sandbox/checkout/expired");
  const row = await settleSandboxCheckout(id, { status: "cancelled", reason: "You cancelled the payment." });
  if (row) await sendSandboxCallback(await origin(), row);
  redirect(checkout.returnUrl);
}
