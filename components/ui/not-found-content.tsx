import Link from "next/link";

/** What a missing (or not allowed) page says: the root 404 and the panel's 404 share it. */
export function NotFoundContent() {
  return (
    <>
      <h1 className="text-2xl font-semibold">Page not found</h1>
      <p className="mt-3 text-slate-700">There is nothing here, or you do not have access to it.</p>
      <p className="mt-6">
        <Link href="/" className="font-medium text-brand-700 underline underline-offset-2">Back to the dashboard</Link>
      </p>
    </>
  );
}
