"use server";

import { notFound, redirect } from "next/navigation";
import { sandboxEnabled } from "@/lib/payments";
import { decideCard } from "@/lib/payments/sandbox";
import {
  authenticateSandboxCardSetup,
  cancelSandboxCardSetup,
  findSandboxCardSetup,
  sandboxSetupReturnUrl,
  saveSandboxCard,
} from "@/lib/payments/sandbox-vault";
import { parseCardForm, type CardState } from "../../card-schema";

/** The setup, or null for an unknown id. Nothing of the sandbox answers unless it is the configured provider. */
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
