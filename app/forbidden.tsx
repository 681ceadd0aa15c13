import Link from "next/link";

export default function Forbidden() {
  return (
    <main className="mx-auto max-w-lg px-4 py-16 text-center">
      <h1 className="text-2xl font-semibold">Not allowed</h1>
      <p className="mt-3 text-slate-700">Your user may not do this. An administrator of your account can change your access.</p>
      <p className="mt-6">
        <Link href="/" className="font-medium text-brand-700 underline underline-offset-2">Back to the dashboard</Link>
      </p>
    </main>
  );
}
