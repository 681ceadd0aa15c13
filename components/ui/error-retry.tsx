"use client";

/** The end of an error page: a Try again button, and the error's reference when Next gives one. */
export function ErrorRetry({ digest, retry }: { digest?: string; retry: () => void }) {
  return (
    <>
      <p className="mt-6">
        <button
          type="button"
          onClick={() => retry()}
          className="rounded-md bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-600 focus-visible:ring-offset-2"
        >
          Try again
        </button>
      </p>
      {digest && <p className="mt-6 text-xs text-slate-600">Reference: {digest}</p>}
    </>
  );
}
