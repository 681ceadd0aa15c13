"use client";

import { ErrorRetry } from "@/components/ui/error-retry";
import "./globals.css";

/**
 * The last resort, when even the root layout failed: it replaces the whole document, so it
 * brings its own <html> and <body>.
 */
export default function GlobalError({ error, retry }: { error: Error & { digest?: string }; retry: () => void }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 font-sans text-slate-900 antialiased">
        <main className="mx-auto max-w-lg px-4 py-16 text-center">
          <h1 className="text-2xl font-semibold">Cumulus is temporarily unavailable</h1>
          <p className="mt-3 text-slate-700">Something failed on our side, usually for a moment only. Please try again in a moment.</p>
          <ErrorRetry digest={error.digest} retry={retry} />
        </main>
      </body>
    </html>
  );
}
