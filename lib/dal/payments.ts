/** Payments for the current viewer: reads need invoice access, paying needs invoice access Full. */
import "server-only";
import { getDb } from "@/db/client";
import { appOrigin } from "@/lib/env";
import { getPaymentProvider } from "@/lib/payments";
import { startCardCheckout, stripeResumeLocation, type CardCheckoutOutcome } from "@/lib/payments/checkout";
import { reconcilePayment } from "@/lib/payments/engine";
import { allPayments, listPayments, PAYMENTS_PAGE_SIZE, type PaymentFilter, type PaymentListParams } from "@/lib/payments/list";
import { invoicePayments } from "@/lib/payments/attempts";
import { accountPayment, paymentQuote } from "@/lib/payments/quote";
import { paymentReceiptPdf } from "@/lib/payments/receipt";
import { assertInvoiceReader } from "./invoices";
import { canPayInvoices, canReadInvoices, FULL_ACCESS_REQUIRED, type Viewer } from "./session";

/** The Pay dialog's rundown (Read sees it too, without the Pay button). */
export async function getPaymentQuote(viewer: Viewer, numbers: number[] | null) {
  if (!canReadInvoices(viewer)) return [];
  return paymentQuote(getDb(), viewer.account.id, numbers);
}

/**
 * A payment of the viewer's account, for the page the provider sends the person back to. An
 * open payment is first checked with the provider and settled (a write), so a lost callback does
 * not leave it open.
 */
export async function reconcileAndGetPaymentResult(viewer: Viewer, paymentId: string) {
  if (!canReadInvoices(viewer) || !parsePaymentId(paymentId)) return null;
  const db = getDb();
  const found = await accountPayment(db, viewer.account.id, paymentId);
  if (!found) return null;
  if (found.open && found.provider !== "bank_transfer" && found.provider !== "account_credit") {
    await reconcilePayment(db, getPaymentProvider(), found.id).catch(() => "unknown_payment");
    return accountPayment(db, viewer.account.id, paymentId);
  }
  return found;
}

export async function getInvoicePayments(viewer: Viewer, invoiceNumber: number) {
  if (!canReadInvoices(viewer)) return [];
  return invoicePayments(getDb(), viewer.account.id, invoiceNumber);
}

/** A payment id from a URL: a UUID, or null (which answers 404). */
export function parsePaymentId(value: unknown): string | null {
  return typeof value === "string" && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)
    ? value.toLowerCase()
    : null;
}

/**
 * The receipt PDF of the viewer's account's settled payment, or null: unknown, another
 * account's, not (yet) settled, or no invoice access all answer alike.
 */
export async function getPaymentReceipt(viewer: Viewer, paymentId: string) {
  if (!canReadInvoices(viewer)) return null;
  const id = parsePaymentId(paymentId);
  if (!id) return null;
  return paymentReceiptPdf(getDb(), viewer.account.id, id);
}


export type CardPaymentRequest = { numbers: number[]; expectedAmountMinor: bigint; idempotencyKey: string };

/** A card payment of the viewer's invoices with the configured provider: where the payer goes next, or why not. */
export async function startViewerCardPayment(viewer: Viewer, request: CardPaymentRequest): Promise<CardCheckoutOutcome> {
  if (!canPayInvoices(viewer)) return { kind: "refused", message: FULL_ACCESS_REQUIRED };
  const provider = getPaymentProvider();
  return startCardCheckout(getDb(), provider, { ...request, accountId: viewer.account.id, userId: viewer.userId, returnOrigin: appOrigin() });
}

/**
 * Where the viewer continues a Stripe checkout of their account (its page, or the payment's
 * result); null for a viewer who may not pay, a malformed session id, or another account's.
 */
export async function resumeViewerStripeCheckout(viewer: Viewer, sessionId: string): Promise<string | null> {
  if (!canPayInvoices(viewer) || !/^cs_[A-Za-z0-9_]{1,250}$/.test(sessionId)) return null;
  return stripeResumeLocation(getDb(), viewer.account.id, sessionId);
}

export async function getPaymentPage(viewer: Viewer, params: PaymentListParams, pageSize = PAYMENTS_PAGE_SIZE) {
  assertInvoiceReader(viewer);
  return listPayments(getDb(), viewer.account.id, params, viewer.account.timeZone, pageSize);
}

export function streamPaymentRows(viewer: Viewer, filter: PaymentFilter) {
  assertInvoiceReader(viewer);
  return allPayments(getDb(), viewer.account.id, filter, viewer.account.timeZone);
}
