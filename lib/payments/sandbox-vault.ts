/**
 * The sandbox provider's saved cards: its "save a card" page (a zero-amount verification with
 * the same test cards as checkout, docs/payments.md) and off-session charges of a saved card.
 * The vault keeps the brand, last four, expiry and how the test card behaves, never its number.
 */
import { and, eq, isNull, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { sandboxCardSetups, sandboxCheckouts, sandboxPaymentMethods } from "@/db/schema";
import type { CardSetupOutcome, CardSetupRequest, Checkout, ProviderOutcome, SavedCardCharge, SavedCardChargeRequest } from "./provider";
import type { DeclineKind } from "./provider";
import { insertSandboxCheckout, toOutcome, type SandboxDecision } from "./sandbox";

type SetupRow = typeof sandboxCardSetups.$inferSelect;
type Behaviour = (typeof sandboxPaymentMethods.$inferSelect)["behaviour"];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const SANDBOX_EXPIRED_REASON = "Your card has expired.";

export async function createSandboxCardSetup(request: CardSetupRequest): Promise<Checkout> {
  // Keyed by the panel's setup key: asking again returns the same page (a no-op update makes RETURNING answer).
  const [row] = await getDb()
    .insert(sandboxCardSetups)
    .values({ merchantReference: request.setupKey, accountReference: request.accountId, returnUrl: request.returnUrl, cardVersion: request.cardVersion })
    .onConflictDoUpdate({ target: sandboxCardSetups.merchantReference, set: { merchantReference: sql`excluded.merchant_reference` } })
    .returning({ id: sandboxCardSetups.id });
  return { providerReference: row!.id, redirectUrl: `/sandbox/setup/${row!.id}` };
}

export async function findSandboxCardSetup(id: string): Promise<SetupRow | null> {
  if (!UUID.test(id)) return null;
  const [row] = await getDb().select().from(sandboxCardSetups).where(eq(sandboxCardSetups.id, id));
  return row ?? null;
}

export async function retrieveSandboxCardSetup(providerReference: string): Promise<CardSetupOutcome | null> {
  if (!UUID.test(providerReference)) return null;
  const [row] = await getDb()
    .select({ setup: sandboxCardSetups, method: sandboxPaymentMethods })
    .from(sandboxCardSetups)
    .leftJoin(sandboxPaymentMethods, eq(sandboxPaymentMethods.id, sandboxCardSetups.paymentMethodId))
    .where(eq(sandboxCardSetups.id, providerReference));
  if (!row) return null;
  const { setup, method } = row;
  const state = setup.status === "succeeded" ? "succeeded" : setup.status === "cancelled" ? "cancelled" : "open";
  const card =
    state === "succeeded" && method
      ? { paymentMethodReference: method.id, customerReference: null, brand: method.brand, last4: method.last4, expMonth: method.expMonth, expYear: method.expYear }
      : null;
  return { providerReference: setup.id, accountId: setup.accountReference, state, card, cardVersion: setup.cardVersion };
}

/** The merchant no longer uses the card: it stays in the vault (its setup still names it) but cannot be charged. */
export async function detachSandboxCard(paymentMethodReference: string): Promise<void> {
  if (!UUID.test(paymentMethodReference)) return;
  await getDb()
    .update(sandboxPaymentMethods)
    .set({ detachedAt: sql`now()` })
    .where(and(eq(sandboxPaymentMethods.id, paymentMethodReference), isNull(sandboxPaymentMethods.detachedAt)));
}

/** Where the setup page sends the browser back, with the setup to be looked up. */
export function sandboxSetupReturnUrl(row: Pick<SetupRow, "id" | "returnUrl">): string {
  const url = new URL(row.returnUrl);
  url.searchParams.set("setup", row.id);
  return url.toString();
}

/** How a saved test card behaves when charged: its decision at setup, a declining card by its decline kind. */
function behaviourOf(d: SandboxDecision): Behaviour {
  if (d.status === "succeeded") return "succeeds";
  if (d.status === "requires_action") return "requires_action";
  return d.decline === "soft" ? "declined_soft" : d.decline === "expired_card" ? "expired" : "declined";
}

export type SaveCardResult = { kind: "saved" | "requires_action"; row: SetupRow } | { kind: "declined"; reason: string } | { kind: "not_open" };

/**
 * The card step of the setup page. A card its verification declines is not saved and the page
 * stays open (as a provider's page lets the person try another card); one that asks for 3-D
 * Secure waits for that step. Only from open: of two concurrent submissions one wins.
 */
export async function saveSandboxCard(setupId: string, decision: SandboxDecision, expMonth: number, expYear: number): Promise<SaveCardResult> {
  if (!decision.savable) return { kind: "declined", reason: decision.reason ?? "Your card was declined." };
  const db = getDb();
  // A submission that loses the race leaves an unused vault entry behind, which nothing refers to.
  const [method] = await db
    .insert(sandboxPaymentMethods)
    .values({ brand: decision.brand, last4: decision.last4, expMonth, expYear, behaviour: behaviourOf(decision) })
    .returning({ id: sandboxPaymentMethods.id });
  const status = decision.status === "requires_action" ? "requires_action" : "succeeded";
  const [row] = await db
    .update(sandboxCardSetups)
    .set({ status, paymentMethodId: method!.id, updatedAt: sql`now()` })
    .where(and(eq(sandboxCardSetups.id, setupId), eq(sandboxCardSetups.status, "open")))
    .returning();
  if (!row) return { kind: "not_open" };
  return { kind: status === "succeeded" ? "saved" : "requires_action", row };
}

/** The 3-D Secure step of a setup: approved saves the card; failed lets the person try again. Null unless it was waiting. */
export async function authenticateSandboxCardSetup(setupId: string, approved: boolean): Promise<SetupRow | null> {
  const [row] = await getDb()
    .update(sandboxCardSetups)
    .set(approved ? { status: "succeeded", updatedAt: sql`now()` } : { status: "open", paymentMethodId: null, updatedAt: sql`now()` })
    .where(and(eq(sandboxCardSetups.id, setupId), eq(sandboxCardSetups.status, "requires_action")))
    .returning();
  return row ?? null;
}

/** The person leaves the setup page without saving a card; null when it is not open. */
export async function cancelSandboxCardSetup(setupId: string): Promise<SetupRow | null> {
  const [row] = await getDb()
    .update(sandboxCardSetups)
    .set({ status: "cancelled", updatedAt: sql`now()` })
    .where(and(eq(sandboxCardSetups.id, setupId), eq(sandboxCardSetups.status, "open")))
    .returning();
  return row ?? null;
}

/** Whether a card is past its expiry month at `now`. */
export function cardExpired(expMonth: number, expYear: number, now: Date = new Date()): boolean {
  return Date.UTC(expYear, expMonth, 1) <= now.getTime();
}

/**
 * Charges a saved card off-session. The charge is a checkout row keyed by the panel's payment
 * id, created already answered: charging the same payment again returns the first answer.
 */
export async function chargeSandboxSavedCard(request: SavedCardChargeRequest): Promise<SavedCardCharge> {
  const db = getDb();
  const ref = request.card.paymentMethodReference;
  const [method] = UUID.test(ref) ? await db.select().from(sandboxPaymentMethods).where(eq(sandboxPaymentMethods.id, ref)) : [];
  const answer = chargeAnswer(method);
  const row = await insertSandboxCheckout(request, { ...answer, cardBrand: method?.brand ?? null, cardLast4: method?.last4 ?? null });
  if (row.status === "requires_action") {
    return { kind: "needs_authentication", providerReference: row.id, redirectUrl: `/sandbox/checkout/${row.id}?step=3ds` };
  }
  return { kind: "answered", outcome: toOutcome(row) };
}

type ChargeAnswer = { status: "succeeded" | "failed" | "requires_action"; failureReason: string | null; declineCode: DeclineKind | null };

const declined = (failureReason: string, declineCode: DeclineKind): ChargeAnswer => ({ status: "failed", failureReason, declineCode });

/** What charging a vault card does: by its behaviour, unless it is detached or past its expiry. */
function chargeAnswer(method: typeof sandboxPaymentMethods.$inferSelect | undefined): ChargeAnswer {
  if (!method || method.detachedAt) return declined("The saved card is not known to the provider.", "hard");
  if (cardExpired(method.expMonth, method.expYear) || method.behaviour === "expired") return declined(SANDBOX_EXPIRED_REASON, "expired_card");
  switch (method.behaviour) {
    case "succeeds":
      return { status: "succeeded", failureReason: null, declineCode: null };
    case "requires_action":
      return { status: "requires_action", failureReason: null, declineCode: null };
    case "declined_soft":
      return declined("Your card has insufficient funds.", "soft");
    default:
      return declined("Your card was declined.", "hard");
  }
}

/** The off-session charge made for the panel's payment (its checkout keyed by the payment id), or null. */
export async function findSandboxCharge(paymentId: string): Promise<ProviderOutcome | null> {
  const [row] = await getDb().select().from(sandboxCheckouts).where(eq(sandboxCheckouts.merchantReference, paymentId));
  return row ? toOutcome(row) : null;
}
