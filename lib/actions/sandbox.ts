"use server";

/**
 * The steps of the sandbox provider's hosted pages: paying (checkout) and saving a card (setup).
 * They stand for the provider's own site, with no panel session to authorize, so these are plain
 * server functions rather than defineAction; each answers 404 unless the sandbox is the
 * configured provider. Card numbers are checked and forgotten.
 */
import { notFound, redirect } from "next/navigation";
import { sandboxEnabled } from "@/lib/payments";
import {
  authenticateSandboxCheckout,
  cancelSandboxCheckout,
  decideCard,
  findSandboxCheckout,
  sendSandboxCallback,
  settleSandboxCheckout,
} from "@/lib/payments/sandbox";
import { parseCardForm, type CardState } from "@/lib/payments/sandbox-card-form";
import {
  authenticateSandboxCardSetup,
  cancelSandboxCardSetup,
  findSandboxCardSetup,
  sandboxSetupReturnUrl,
  saveSandboxCard,
} from "@/lib/payments/sandbox-vault";

/** The checkout, or null for an unknown id. */
async function findCheckout(id: string) {
  if (!sandboxEnabled()) notFound();
  return findSandboxCheckout(id);
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

/** The card setup, or null for an unknown id. */
async function findSetup(id: string) {
  if (!sandboxEnabled()) notFound();
  return findSandboxCardSetup(id);
}

/**
 * Save a card: the number is checked (a zero-amount verification with the test cards) and
 * forgotten; the vault keeps the brand, last four and expiry. A declined card stays on this page.
 */
export async function saveCard(id: string, _prev: CardState, formData: FormData): Promise<CardState> {
  const setup = await findSetup(id);
  if (!setup) return { message: "This page has expired." };
  if (setup.status !== "open") redirect(`/sandbox/setup/${id}`);
  const parsed = parseCardForm(formData);
  if ("fieldErrors" in parsed) return parsed;
  const saved = await saveSandboxCard(id, decideCard(parsed.card), parsed.expMonth, parsed.expYear);
  if (saved.kind === "declined") return { fieldErrors: { card: saved.reason } };
  if (saved.kind === "requires_action") redirect(`/sandbox/setup/${id}?step=3ds`);
  if (saved.kind === "not_open") redirect(`/sandbox/setup/${id}`);
  redirect(sandboxSetupReturnUrl(saved.row));
}

/** The 3-D Secure step of a setup: approved returns to the merchant; failed lets the person try another card. */
export async function authenticateSetup(id: string, formData: FormData): Promise<void> {
  const setup = await findSetup(id);
  if (!setup) redirect("/sandbox/setup/expired");
  const approved = formData.get("result") === "approve";
  const row = await authenticateSandboxCardSetup(id, approved);
  if (!row) redirect(`/sandbox/setup/${id}`);
  redirect(approved ? sandboxSetupReturnUrl(row) : `/sandbox/setup/${id}?failed=3ds`);
}

/** Back to the merchant without saving a card. */
export async function cancelSetup(id: string): Promise<void> {
  const setup = await findSetup(id);
  if (!setup) redirect("/sandbox/setup/expired");
  const row = await cancelSandboxCardSetup(id);
  redirect(sandboxSetupReturnUrl(row ?? setup));
}
