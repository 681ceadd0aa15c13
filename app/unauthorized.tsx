import Link from "next/link";

/**
 * unauthorized() is not called (a page without a session redirects to the login page); this
 * stands in for Next's default, which every panel page would otherwise carry in its payload.
 */
export default function Unauthorized() {
  return (
    <main className="mx-auto max-w-lg px-4 py-16 text-center">
      <h1 className="text-2xl font-semibold">Please log in</h1>
      <p className="mt-6">
        <Link href="/login" className="font-medium text-brand-700 underline underline-offset-2">Log in</Link>
      </p>
    </main>
  );
}
