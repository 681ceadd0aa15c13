/**
 * Continues an open Stripe checkout (the `stripe` provider's resumeUrl). A hosted Checkout URL
 * cannot be rebuilt from the session id, so the session is retrieved from Stripe: still open →
 * 303 to its page; otherwise the payment is reconciled and the person lands on the result page.
 * Only a viewer who may pay, for a payment of their own account; anything else answers 404.
 */
import { and, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { paymentAllocations, invoices, payments } from "@/db/schema";
import { canPayInvoices, getViewer } from "@/lib/dal/session";
import { OPEN_STATES, reconcilePayment } from "@/lib/payments/engine";
import { getStripeProvider } from "@/lib/payments/stripe";

const see = (location: string) => new Response(null, { status: 303, headers: { Location: location, "Cache-Control": "no-store" } });
const notFound = () => Response.json({ error: "not found" }, { status: 404 });

export async function GET(request: Request, ctx: { params: Promise<{ session: string }> }) {
  const { session } = await ctx.params;
  const viewer = await getViewer();
  if (!viewer) {
    const here = new URL(request.url);
    return see(`/login?callbackUrl=${encodeURIComponent(here.pathname)}`);
  }
  if (!canPayInvoices(viewer) || !/^cs_[A-Za-z0-9_]{1,250}$/.test(session)) return notFound();
  const db = getDb();
  const [payment] = await db
    .select({ id: payments.id, state: payments.state })
    .from(payments)
    .where(and(eq(payments.accountId, viewer.account.id), eq(payments.provider, "stripe"), eq(payments.providerReference, session)))
    .limit(1);
  if (!payment) return notFound();
  const provider = getStripeProvider();
  if ((OPEN_STATES as readonly string[]).includes(payment.state)) {
    const url = await provider.openCheckoutUrl(session);
    if (url) return see(url);
    await reconcilePayment(db, provider, payment.id);
  }
  const covered = await db
    .select({ number: invoices.number })
    .from(paymentAllocations)
    .innerJoin(invoices, eq(invoices.id, paymentAllocations.invoiceId))
    .where(eq(paymentAllocations.paymentId, payment.id));
  return see(covered.length === 1 ? `/invoices/${covered[0]!.number}?payment=${payment.id}` : `/invoices?payment=${payment.id}`);
}
