/**
 * `sandbox`: a card provider's test mode, played inside this app so that the whole engine is
 * exercised without a real provider. Its hosted page (/sandbox/checkout/ID) is outside the
 * panel's pages: the panel never sees a card number. It sends the result back the way a real
 * provider does, as a callback signed with HMAC-SHA256 over "timestamp.rawBody".
 */
import crypto from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { sandboxCheckouts } from "@/db/schema";
import { appOrigin, env } from "@/lib/env";
import {
  WebhookVerificationError,
  type Checkout,
  type CheckoutRequest,
  type DeclineKind,
  type PaymentProvider,
  type ProviderEvent,
  type ProviderOutcome,
} from "./provider";
import { chargeSandboxSavedCard, findSandboxCharge, createSandboxCardSetup, detachSandboxCard, retrieveSandboxCardSetup } from "./sandbox-vault";

export type CheckoutRow = typeof sandboxCheckouts.$inferSelect;
type CheckoutStatus = CheckoutRow["status"];

export const SIGNATURE_HEADER = "x-sandbox-signature";
export const TIMESTAMP_HEADER = "x-sandbox-timestamp";
export const WEBHOOK_TOLERANCE_SECONDS = 5 * 60;

/** The test cards (docs/payments.md). */
export const TEST_CARDS = {
  "4242424242424242": { outcome: "succeeded" },
  "4000000000000002": { outcome: "failed", reason: "Your card was declined.", decline: "hard" },
  "4000000000009995": { outcome: "failed", reason: "Your card has insufficient funds.", decline: "soft" },
  "4000000000003220": { outcome: "requires_action" },
  // Saved without trouble (their zero-amount verification passes), declined when charged: a hard
  // decline, a soft one (retried by automatic payment) and an expired card.
  "4000000000000341": { outcome: "failed", reason: "Your card was declined.", decline: "hard", savable: true },
  "4000000000000119": { outcome: "failed", reason: "Your card has insufficient funds.", decline: "soft", savable: true },
  "4000000000000069": { outcome: "failed", reason: "Your card has expired.", decline: "expired_card", savable: true },
} as const satisfies Record<string, { outcome: "succeeded" | "failed" | "requires_action"; reason?: string; decline?: DeclineKind; savable?: true }>;

export function sandboxSecret(): string {
  const e = env();
  if (e.SANDBOX_WEBHOOK_SECRET) return e.SANDBOX_WEBHOOK_SECRET;
  // Derived from the session secret, so a demo needs no extra configuration.
  const base = e.AUTH_SECRET ?? "cumulus-development-only";
  return crypto.createHmac("sha256", base).update("sandbox-webhook").digest("base64url");
}

export function signSandboxPayload(rawBody: string, timestamp: number, secret = sandboxSecret()): string {
  return crypto.createHmac("sha256", secret).update(`${timestamp}.${rawBody}`).digest("hex");
}

type SandboxWire = {
  id: string;
  type: string;
  checkout: string;
  state: ProviderOutcome["state"];
  amountMinor: string;
  currency: string;
  failureReason: string | null;
};

export function sandboxEventBody(checkoutId: string, state: ProviderOutcome["state"], amountMinor: bigint, currency: string, failureReason: string | null): string {
  const wire: SandboxWire = {
    id: `evt_${crypto.randomUUID()}`,
    type: `checkout.${state}`,
    checkout: checkoutId,
    state,
    amountMinor: amountMinor.toString(),
    currency,
    failureReason,
  };
  return JSON.stringify(wire);
}

export function toOutcome(row: CheckoutRow): ProviderOutcome {
  const state = row.status === "open" ? "pending" : row.status;
  return { providerReference: row.id, state, amountMinor: row.amountMinor, currency: row.currency, failureReason: row.failureReason, declineKind: row.declineCode };
}

export const sandboxProvider: PaymentProvider = {
  name: "sandbox",

  // The vault lives in sandbox-vault.ts; delegated lazily, as that module imports this one.
  createCardSetup: (request) => createSandboxCardSetup(request),
  retrieveCardSetup: (providerReference) => retrieveSandboxCardSetup(providerReference),
  detachCard: (paymentMethodReference) => detachSandboxCard(paymentMethodReference),
  chargeSavedCard: (request) => chargeSandboxSavedCard(request),
  findOffSessionCharge: (paymentId) => findSandboxCharge(paymentId),

  async createCheckout(request: CheckoutRequest): Promise<Checkout> {
    const row = await insertSandboxCheckout(request);
    return { providerReference: row.id, redirectUrl: `/sandbox/checkout/${row.id}` };
  },

  resumeUrl(providerReference: string): string {
    return `/sandbox/checkout/${providerReference}`;
  },

  async retrieve(providerReference: string): Promise<ProviderOutcome | null> {
    if (!/^[0-9a-f-]{36}$/i.test(providerReference)) return null;
    const [row] = await getDb().select().from(sandboxCheckouts).where(eq(sandboxCheckouts.id, providerReference));
    return row ? toOutcome(row) : null;
  },

  async verifyWebhook(rawBody: string, headers: Headers): Promise<ProviderEvent> {
    const signature = headers.get(SIGNATURE_HEADER) ?? "";
    const timestamp = Number(headers.get(TIMESTAMP_HEADER));
    if (!Number.isInteger(timestamp)) throw new WebhookVerificationError("missing timestamp");
    if (Math.abs(Date.now() / 1000 - timestamp) > WEBHOOK_TOLERANCE_SECONDS) throw new WebhookVerificationError("timestamp outside the tolerance");
    const expected = Buffer.from(signSandboxPayload(rawBody, timestamp), "hex");
    const given = Buffer.from(/^[0-9a-f]{64}$/i.test(signature) ? signature : "", "hex");
    if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) throw new WebhookVerificationError("bad signature");
    let wire: SandboxWire;
    try {
      wire = JSON.parse(rawBody) as SandboxWire;
    } catch {
      throw new WebhookVerificationError("body is not JSON");
    }
    if (typeof wire.id !== "string" || typeof wire.checkout !== "string" || !/^\d+$/.test(String(wire.amountMinor))) {
      throw new WebhookVerificationError("malformed event");
    }
    return {
      eventId: wire.id,
      type: wire.type,
      providerReference: wire.checkout,
      state: wire.state,
      amountMinor: BigInt(wire.amountMinor),
      currency: wire.currency,
      failureReason: wire.failureReason,
    };
  },
};

/**
 * The checkout of a panel payment, created with `answer` (an off-session charge is answered at
 * once) or open. Keyed by the payment id: a retry returns the first checkout, never a second
 * one; the no-op update on conflict makes RETURNING give the existing row, in one round trip.
 */
export async function insertSandboxCheckout(
  request: CheckoutRequest,
  answer: Pick<typeof sandboxCheckouts.$inferInsert, "status" | "failureReason" | "declineCode" | "cardBrand" | "cardLast4"> = {},
): Promise<CheckoutRow> {
  const [row] = await getDb()
    .insert(sandboxCheckouts)
    .values({
      merchantReference: request.paymentId,
      amountMinor: request.amountMinor,
      currency: request.currency,
      description: request.description,
      returnUrl: request.returnUrl,
      ...answer,
    })
    .onConflictDoUpdate({ target: sandboxCheckouts.merchantReference, set: { merchantReference: sql`excluded.merchant_reference` } })
    .returning();
  return row!;
}

export type SandboxDecision = {
  status: "succeeded" | "failed" | "requires_action";
  reason: string | null;
  decline: DeclineKind | null;
  brand: string;
  last4: string;
  /** Whether the card passes a setup's zero-amount verification (it may still decline charges). */
  savable: boolean;
};

/** What the sandbox does with a card: only the test cards behave; any other valid card is declined. */
export function decideCard(cardNumber: string): SandboxDecision {
  const digits = cardNumber.replace(/\D/g, "");
  const brand = digits.startsWith("4") ? "Visa" : /^5[1-5]/.test(digits) ? "Mastercard" : "Card";
  const card = TEST_CARDS[digits as keyof typeof TEST_CARDS];
  const last4 = digits.slice(-4);
  if (!card) return { status: "failed", reason: "Your card was declined.", decline: "hard", brand, last4, savable: false };
  const savable = card.outcome !== "failed" || "savable" in card;
  return { status: card.outcome, reason: "reason" in card ? card.reason : null, decline: "decline" in card ? card.decline : null, brand, last4, savable };
}

/**
 * The state each step of the hosted page starts from. A step from any other state is refused
 * and changes nothing: approving 3-D Secure on a checkout that never asked for it must not
 * settle an invoice with no card entered.
 */
export const SANDBOX_STEP_FROM = { pay: "open", authenticate: "requires_action", cancel: "open" } as const satisfies Record<string, CheckoutStatus>;

/** The hosted page's checkout, or null for an unknown or malformed id. */
export async function findSandboxCheckout(id: string): Promise<CheckoutRow | null> {
  if (!z.uuid().safeParse(id).success) return null;
  const [row] = await getDb().select().from(sandboxCheckouts).where(eq(sandboxCheckouts.id, id));
  return row ?? null;
}

/**
 * Moves a checkout from `from` to the state in `set`, once: the expected state is part of the
 * WHERE, so of two concurrent steps only one can win. Returns the row after the change, or
 * null when the checkout is not (or no longer) in `from`.
 */
async function moveCheckout(id: string, from: CheckoutStatus, set: Partial<typeof sandboxCheckouts.$inferInsert>): Promise<CheckoutRow | null> {
  const [row] = await getDb()
    .update(sandboxCheckouts)
    .set({ ...set, updatedAt: sql`now()` as unknown as Date })
    .where(and(eq(sandboxCheckouts.id, id), eq(sandboxCheckouts.status, from)))
    .returning();
  return row ?? null;
}

/** The card step: an open checkout succeeds, fails or asks for 3-D Secure; null when it is not open. */
export function settleSandboxCheckout(id: string, d: SandboxDecision): Promise<CheckoutRow | null> {
  return moveCheckout(id, SANDBOX_STEP_FROM.pay, { status: d.status, failureReason: d.reason, declineCode: d.decline, cardBrand: d.brand, cardLast4: d.last4 });
}

/** The 3-D Secure step: only a checkout waiting for it (requires_action) succeeds or fails; else null. */
export function authenticateSandboxCheckout(id: string, approved: boolean): Promise<CheckoutRow | null> {
  const outcome = approved ? { status: "succeeded" as const, failureReason: null } : { status: "failed" as const, failureReason: "The card's authentication failed." };
  return moveCheckout(id, SANDBOX_STEP_FROM.authenticate, outcome);
}

/** The payer cancels an open checkout; null when it is not open. */
export function cancelSandboxCheckout(id: string): Promise<CheckoutRow | null> {
  return moveCheckout(id, SANDBOX_STEP_FROM.cancel, { status: "cancelled", failureReason: "You cancelled the payment." });
}

/**
 * Sends the signed callback to the panel's webhook route, as a provider would (a few retries):
 * always at the panel's own origin (APP_URL), never at a host a request named.
 */
export async function sendSandboxCallback(row: CheckoutRow): Promise<boolean> {
  const o = toOutcome(row);
  const body = sandboxEventBody(row.id, o.state, row.amountMinor, row.currency, row.failureReason);
  for (let attempt = 0; attempt < 3; attempt++) {
    const ts = Math.floor(Date.now() / 1000);
    try {
      const res = await fetch(new URL("/api/payments/webhooks/sandbox", appOrigin()), {
        method: "POST",
        headers: { "content-type": "application/json", [SIGNATURE_HEADER]: signSandboxPayload(body, ts), [TIMESTAMP_HEADER]: String(ts) },
        body,
        signal: AbortSignal.timeout(5000),
      });
      if (res.ok) return true;
      if (res.status < 500) return false;
    } catch {
      /* retried below */
    }
    await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
  }
  return false;
}
