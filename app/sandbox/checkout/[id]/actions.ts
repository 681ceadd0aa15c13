"use server";

import { eq } from "drizzle-orm";
import { notFound, redirect } from "next/navigation";
import { z } from "zod";
import { getDb } from "@/db/client";
import { sandboxCheckouts } from "@/db/schema";
import { sandboxEnabled } from "@/lib/payments";
import { parseCardForm, type CardState } from "../../card-schema";
import {
  authenticateSandboxCheckout,
  cancelSandboxCheckout,
  decideCard,
  sendSandboxCallback,
  settleSandboxCheckout,
} from "@/lib/payments/sandbox";

const idSchema = z.uuid();

/** The checkout, or null for an unknown id. Nothing of the sandbox answers unless it is the configured provider. */
async function findCheckout(id: string) {
  if (!sandboxEnabled()) notFound();
  if (!idSchema.safeParse(id).success) return null;
  const [row] = await getDb().select().from(sandboxCheckouts).where(eq(sandboxCheckouts.id, id));
  return row ?? null;
}

/** Pay with a card. The number is checked and forgotten: only the brand and last four are kept. */
export async function payWithCard(id: string, _prev: CardState, formData: FormData): Promise<CardState> {
  const checkout = await findCheckout(id);
  if (!checkout) return { message: "This payment page has expired." };
  if (checkout.status !== "open") redirect(checkout.returnUrl);
  const parsed = parseCardForm(formData);
  if ("fieldErrors" in parsed) return parsed;
  // Only from open: a second submission racing this one finds it no longer open and changes nothing.
  const row = await settleSandboxCheckout(id, decideCard(parsed.card));
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
