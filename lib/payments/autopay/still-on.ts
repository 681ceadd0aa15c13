/**
 * Whether automatic payment may still charge the account with the card a run read earlier: read
 * under a share lock on the account row, which turning the switch off, removing and replacing the
 * card all take for update, so none of them can slip between this check and the commit of the
 * caller's transaction (the claim, or the resend of a stranded charge).
 */
import { and, eq } from "drizzle-orm";
import type { Transaction } from "@/db/client";
import { accounts, savedCards } from "@/db/schema";
import type { ProviderName } from "../provider";

export type AutopayCard = { providerReference: string; customerReference: string | null };
/** Why automatic payment may no longer charge: turned off, or the card removed or replaced. */
export type NoLongerCharging = "switched_off" | "card_changed";

/**
 * The card expected: the one a run read (its reference), or, for a charge claimed earlier, one saved
 * no later than that claim (replacing a card saves it anew, so a later one is another card).
 */
export type ExpectedCard = { providerReference: string } | { savedNoLaterThan: Date };

export async function lockStillCharging(
  tx: Transaction,
  accountId: string,
  provider: ProviderName,
  expected: ExpectedCard,
): Promise<{ card: AutopayCard } | NoLongerCharging> {
  const [account] = await tx.select({ on: accounts.automaticPayment }).from(accounts).where(eq(accounts.id, accountId)).for("share");
  if (!account?.on) return "switched_off";
  const [card] = await tx
    .select({ providerReference: savedCards.providerReference, customerReference: savedCards.providerCustomerReference, savedAt: savedCards.createdAt })
    .from(savedCards)
    .where(and(eq(savedCards.accountId, accountId), eq(savedCards.provider, provider)));
  const same = card && ("providerReference" in expected ? card.providerReference === expected.providerReference : card.savedAt <= expected.savedNoLaterThan);
  if (!card || !same) return "card_changed";
  return { card: { providerReference: card.providerReference, customerReference: card.customerReference } };
}
