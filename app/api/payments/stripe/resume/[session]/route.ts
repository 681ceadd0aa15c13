/**
 * Continues an open Stripe checkout (the `stripe` provider's resumeUrl). A hosted Checkout URL
 * cannot be rebuilt from the session id, so the session is retrieved from Stripe: still open →
 * 303 to its page; otherwise the payment is reconciled and the person lands on the result page.
 * Only a viewer who may pay, for a payment of their own account; anything else answers 404.
 */
import { resumeViewerStripeCheckout } from "@/lib/dal/payments";
import { getViewer } from "@/lib/dal/session";

const see = (location: string) => new Response(null, { status: 303, headers: { Location: location, "Cache-Control": "no-store" } });
const notFound = () => Response.json({ error: "not found" }, { status: 404 });

export async function GET(request: Request, ctx: { params: Promise<{ session: string }> }) {
  const { session } = await ctx.params;
  const viewer = await getViewer();
  if (!viewer) {
    const here = new URL(request.url);
    return see(`/login?callbackUrl=${encodeURIComponent(here.pathname)}`);
  }
  const location = await resumeViewerStripeCheckout(viewer, session);
  return location ? see(location) : notFound();
}
