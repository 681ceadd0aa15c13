"use client";

import { useEffect, useRef, useState } from "react";

/**
 * Copies one value (an account, an amount, a reference) to the clipboard. The result shows beside
 * the button in a status region, so a screen reader announces it too; it clears after a while so
 * that a second copy is announced again.
 */
export function CopyButton({ value, what }: { value: string; what: string }) {
  const [result, setResult] = useState<"copied" | "failed" | null>(null);
  const clearTimer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(clearTimer.current), []);

  const copy = async () => {
    window.clearTimeout(clearTimer.current);
    setResult(null);
    try {
      await navigator.clipboard.writeText(value);
      setResult("copied");
    } catch {
      // No clipboard permission, or not a secure context: the value is shown as text to select.
      setResult("failed");
    }
    clearTimer.current = window.setTimeout(() => setResult(null), 4000);
  };

  return (
    <span className="inline-flex items-center gap-2">
      <button
        type="button"
        onClick={copy}
        aria-label={`Copy ${what}`}
        className="rounded border border-slate-300 bg-white px-2 py-0.5 text-xs font-medium text-slate-800 hover:bg-slate-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-600"
      >
        Copy
      </button>
      <span role="status" className="text-xs text-slate-700">
        {result === "copied" && (<>Copied<span className="sr-only"> {what}</span></>)}
        {result === "failed" && "Could not copy: select the text instead"}
      </span>
    </span>
  );
}
