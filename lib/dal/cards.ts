/**
 * The saved card for the current viewer: seen with invoice access Read or Full, added, replaced,
 * removed and paid with only with Full; the account is always the viewer's own.
 */
import "server-only";
import crypto from "node:crypto";
import { getDb } from "@/db/client";
import { appOrigin } from "@/lib/env";
import { getPaymentProvider } from "@/lib/payments";
import type { MaskedCard } from "@/lib/payments/card-label";
import { cardSetupContext, detachDroppedCard, payWithSavedCard, removeSavedCard, savedCardOf, storeSavedCard, type StoreCardResult } from "@/lib/payments/saved-card";
import type { CardPaymentRequest } from "./payments";
import { canManageBilling, canPayInvoices, canReadBilling, type Viewer } from "./session";

/** Where the provider sends the browser back after a card setup (a panel page). */
export const CARD_SETUP_RETURN_PATH = "/cards/return";

export type CardSetupResult = Exclude<StoreCardResult, "not_found"> | "open" | "cancelled" | "not_found";

/** The Settings tab, saying how a card setup ended (`?card=`, read by the saved card's panel). */
export function cardSetupResultPath(result: Exclude<CardSetupResult, "not_found">): string {
  return `/?settings=settings&card=${result}`;
}

/** The masked card, or null (no card, or no invoice access: nothing is read then). */
export async function getSavedCard(viewer: Viewer): Promise<MaskedCard | null> {
  if (!canReadBilling(viewer)) return null;
  const card = await savedCardOf(getDb(), viewer.account.id);
  return card && { brand: card.brand, last4: card.last4, expMonth: card.expMonth, expYear: card.expYear };
}

/** The card the Pay dialog offers: only to a viewer who may pay, and only one the configured provider can charge. */
export async function getChargeableCard(viewer: Viewer): Promise<MaskedCard | null> {
  if (!canPayInvoices(viewer)) return null;
  const card = await savedCardOf(getDb(), viewer.account.id);
  if (!card || card.provider !== getPaymentProvider().name) return null;
  return { brand: card.brand, last4: card.last4, expMonth: card.expMonth, expYear: card.expYear };
}

/** The provider's hosted page where a card is added (or replaces the saved one). */
export async function startCardSetup(viewer: Viewer): Promise<{ redirectUrl: string } | null> {
  if (!canManageBilling(viewer)) return null;
  const provider = getPaymentProvider();
  const context = await cardSetupContext(getDb(), viewer.account.id, provider.name);
  if (!context) return null;
  const setup = await provider.createCardSetup({
    setupKey: crypto.randomUUID(),
    accountId: viewer.account.id,
    currency: context.currency,
    customerReference: context.customerReference,
    cardVersion: context.cardVersion,
    // The panel's own origin (APP_URL), never the request's Host.
    returnUrl: new URL(CARD_SETUP_RETURN_PATH, appOrigin()).toString(),
    cancelUrl: new URL(cardSetupResultPath("cancelled"), appOrigin()).toString(),
  });
  return { redirectUrl: setup.redirectUrl };
}

/**
 * Back from the provider: asks it about the setup and, when it succeeded, stores the card (a
 * replaced card is then detached at the provider). A setup of another account, or one the
 * provider does not know, answers not_found.
 */
export async function completeCardSetup(viewer: Viewer, providerReference: string): Promise<CardSetupResult> {
  if (!canManageBilling(viewer)) return "not_found";
  const provider = getPaymentProvider();
  const setup = await provider.retrieveCardSetup(providerReference);
  if (!setup || setup.accountId !== viewer.account.id) return "not_found";
  if (setup.state !== "succeeded" || !setup.card) return setup.state === "cancelled" ? "cancelled" : "open";
  const stored = await storeSavedCard(getDb(), {
    accountId: viewer.account.id,
    actorUserId: viewer.userId,
    provider: provider.name,
    card: setup.card,
    setupCardVersion: setup.cardVersion,
  });
  await detachDroppedCard(provider, stored.dropped);
  return stored.result;
}

/** Removes the saved card; once that is committed, the card is detached at its provider. */
export async function removeCard(viewer: Viewer) {
  if (!canManageBilling(viewer)) return { removed: false as const };
  const removal = await removeSavedCard(getDb(), viewer.account.id, viewer.userId);
  if (removal.removed) await detachDroppedCard(getPaymentProvider(), removal.dropped);
  return removal;
}

export async function payWithCard(viewer: Viewer, input: CardPaymentRequest) {
  if (!canPayInvoices(viewer)) return null;
  return payWithSavedCard(getDb(), getPaymentProvider(), { ...input, accountId: viewer.account.id, userId: viewer.userId, returnOrigin: appOrigin() });
}
