"use client";

import { useActionState } from "react";
import { revokeShareLink, type RevokeState } from "@/lib/actions/sharing";

/** Revoke one link; its row leaves the list once the change is committed (the page revalidates). */
export function RevokeLinkButton({ id, what }: { id: string; what: string }) {
  const [state, action, pending] = useActionState<RevokeState, FormData>(revokeShareLink, {});
  return (
    <form action={action} className="flex flex-wrap items-center gap-2">
      <input type="hidden" name="id" value={id} />
      <button
        type="submit"
        disabled={pending}
        aria-label={`Revoke ${what}`}
        className="rounded-md border border-red-300 bg-white px-3 py-1 text-sm font-medium text-red-800 hover:bg-red-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-600 disabled:opacity-60"
      >
        {pending ? "Revoking…" : "Revoke"}
      </button>
      {state.message && (
        <span role={state.ok ? "status" : "alert"} className={state.ok ? "text-green-800" : "text-red-700"}>{state.message}</span>
      )}
    </form>
  );
}
