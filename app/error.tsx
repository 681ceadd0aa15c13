"use client";

import { ErrorRetry } from "@/components/ui/error-retry";

/**
 * A page that failed on the server (or in the browser). The usual cause in production is a
 * moment when the database could not be reached: requests that were running then end here;
 * the ones after it get the proxy's 503 page (db/health.ts) until it answers again.
 * Next.js sends this page with status 500 when the error happens before streaming starts.
 */
export default function ErrorPage({ error, retry }: { error: Error & { digest?: string }; retry: () => void }) {
  return (
    <main className="mx-auto max-w-lg px-4 py-16 text-center">
      <h1 className="text-2xl font-semibold">This page could not be loaded</h1>
      <p className="mt-3 text-slate-700">
        Something failed on our side, usually for a moment only (for example while the database restarts). Please try
        again in a moment.
      </p>
      <ErrorRetry digest={error.digest} retry={retry} />
    </main>
  );
}
