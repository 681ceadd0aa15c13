/**
 * The sandbox provider's hosted "save a card" page. It stands for the provider's own site (no
 * panel session, no panel layout): the card number never reaches the panel's code or database.
 */
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { sandboxEnabled } from "@/lib/payments";
import { findSandboxCardSetup, sandboxSetupReturnUrl } from "@/lib/payments/sandbox-vault";
import { CardForm } from "../../card-form";
import { TestCards } from "../../test-cards";
import { sandboxButton, ThreeDSecureButtons } from "../../buttons";
import { authenticateSetup, cancelSetup, saveCard } from "@/lib/actions/sandbox";

export const metadata: Metadata = { title: "Sandbox: save a card" };

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function SandboxSetupPage({ params, searchParams }: Props) {
  if (!sandboxEnabled()) notFound();
  const { id } = await params;
  const setup = await findSandboxCardSetup(id);
  if (!setup) notFound();
  const failed3ds = (await searchParams).failed === "3ds";

  return (
    <main className="flex min-h-screen items-start justify-center bg-slate-100 px-4 py-12">
      <div className="w-full max-w-md rounded-xl bg-white p-6 shadow-lg">
        <p className="text-xs font-semibold uppercase tracking-wider text-indigo-700">Sandbox Payments · test mode</p>
        <h1 className="mt-2 text-xl font-semibold">Save a card for Cumulus</h1>
        <p className="mt-1 text-slate-700">Cumulus will charge this card for your invoices. We verify it now without charging anything.</p>

        {setup.status === "open" && (
          <div className="mt-6">
            {failed3ds && <p role="alert" className="mb-4 text-sm text-red-700">The card&apos;s authentication failed. Try again or use another card.</p>}
            <CardForm submit={saveCard.bind(null, setup.id)} submitLabel="Save card" />
            <form action={cancelSetup.bind(null, setup.id)} className="mt-3">
              <button type="submit" className={`${sandboxButton} w-full border border-slate-300 text-slate-800 hover:bg-slate-50 focus-visible:ring-slate-500`}>
                Cancel
              </button>
            </form>
            <TestCards saving />
          </div>
        )}

        {setup.status === "requires_action" && (
          <div className="mt-6 space-y-3" aria-labelledby="tds-heading">
            <h2 id="tds-heading" className="font-semibold">3-D Secure confirmation</h2>
            <p className="text-sm text-slate-700">Your bank asks you to confirm that this card may be saved.</p>
            <ThreeDSecureButtons action={authenticateSetup.bind(null, setup.id)} />
          </div>
        )}

        {(setup.status === "succeeded" || setup.status === "cancelled") && (
          <div className="mt-6 space-y-3">
            <p role="status">{setup.status === "succeeded" ? "The card is saved." : "No card was saved."}</p>
            <a href={sandboxSetupReturnUrl(setup)} className="font-medium text-indigo-700 underline">Return to Cumulus</a>
          </div>
        )}
      </div>
    </main>
  );
}
