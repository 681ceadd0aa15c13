import { TEST_CARDS } from "@/lib/payments/sandbox";

/** The sandbox's test cards and what each does, as a provider's test-mode page lists them. */
export function TestCards({ saving }: { saving: boolean }) {
  const does = (c: (typeof TEST_CARDS)[keyof typeof TEST_CARDS]) => {
    if (c.outcome === "requires_action") return "asks for 3-D Secure";
    if (c.outcome === "succeeded") return saving ? "is saved" : "succeeds";
    if ("savable" in c) return saving ? `is saved, then declined when charged (${c.reason})` : c.reason;
    return c.reason;
  };
  return (
    <details className="mt-6 text-sm text-slate-700">
      <summary className="cursor-pointer">Test cards</summary>
      <ul className="mt-2 space-y-1 font-mono text-xs">
        {Object.entries(TEST_CARDS).map(([n, c]) => (
          <li key={n}>
            {n.replace(/(\d{4})(?=\d)/g, "$1 ")} — {does(c)}
          </li>
        ))}
      </ul>
      <p className="mt-1">Any future expiry and any CVC.</p>
    </details>
  );
}
