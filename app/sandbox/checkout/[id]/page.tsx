/**
 * The sandbox provider's hosted payment page. It stands for the provider's own site: it is
 * not part of the panel (no panel session, no panel layout), and card details never reach the
 * panel's code or database.
 */
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { formatMoney } from "@/lib/money";
import { sandboxEnabled } from "@/lib/payments";
import { findSandboxCheckout } from "@/lib/payments/sandbox";
import { authenticate, cancelCheckout, payWithCard } from "@/lib/actions/sandbox";
import { CardForm } from "../../card-form";
import { TestCards } from "../../test-cards";
import { sandboxButton, ThreeDSecureButtons } from "../../buttons";

export const metadata: Metadata = { title: "Sandbox payment" };

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function SandboxCheckoutPage({ params, searchParams }: Props) {
  // Only while the sandbox is the configured provider: with a real one this page does not exist.
  if (!sandboxEnabled()) notFound();
  const { id } = await params;
  const checkout = await findSandboxCheckout(id);
  if (!checkout) notFound();
  const step = (await searchParams).step;
  const amount = formatMoney(checkout.amountMinor, checkout.currency, "en");

  return (
    <main className="flex min-h-screen items-start justify-center bg-slate-100 px-4 py-12">
      <div className="w-full max-w-md rounded-xl bg-white p-6 shadow-lg">
        <p className="text-xs font-semibold uppercase tracking-wider text-indigo-700">Sandbox Payments · test mode</p>
        <h1 className="mt-2 text-xl font-semibold">Pay Cumulus</h1>
        <p className="mt-1 text-slate-700">{checkout.description}</p>
        <p className="mt-3 text-3xl font-semibold tabular-nums">{amount}</p>

        {checkout.status === "open" && (
          <div className="mt-6">
            <CardForm submit={payWithCard.bind(null, checkout.id)} submitLabel={`Pay ${amount}`} />
            <form action={cancelCheckout.bind(null, checkout.id)} className="mt-3">
              <button type="submit" className={`${sandboxButton} w-full border border-slate-300 text-slate-800 hover:bg-slate-50 focus-visible:ring-slate-500`}>
                Cancel
              </button>
            </form>
            <TestCards saving={false} />
          </div>
        )}

        {checkout.status === "requires_action" && (
          <div className="mt-6 space-y-3" aria-labelledby="tds-heading">
            <h2 id="tds-heading" className="font-semibold">3-D Secure confirmation</h2>
            <p className="text-sm text-slate-700">
              Your bank asks you to confirm this payment{step === "3ds" ? "" : " (continue where you left off)"}.
            </p>
            <ThreeDSecureButtons action={authenticate.bind(null, checkout.id)} />
            {/* As a card provider's challenge page lets a person go back before confirming: the
                panel then shows the payment as processing until the bank's answer arrives. */}
            <p className="text-sm text-slate-700">
              Confirm later?{" "}
              <a href={checkout.returnUrl} className="font-medium text-indigo-700 underline">
                Return to Cumulus
              </a>
            </p>
          </div>
        )}

        {(checkout.status === "succeeded" || checkout.status === "failed" || checkout.status === "cancelled") && (
          <div className="mt-6 space-y-3">
            <p role="status">This payment is finished ({checkout.status}).</p>
            <a href={checkout.returnUrl} className="font-medium text-indigo-700 underline">Return to Cumulus</a>
          </div>
        )}
      </div>
    </main>
  );
}
