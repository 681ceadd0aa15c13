"use client";

import { useEffect } from "react";
import { focusPayOpener, takePayOpener, type PayOpener } from "./pay-opener";

/**
 * Back from the provider without paying (cancelled or declined): focus goes to the control that
 * opened the Pay dialog, or to this page's own Pay control for these invoices.
 */
export function ReturnFocus({ fallback }: { fallback: PayOpener }) {
  useEffect(() => {
    const opener = takePayOpener(fallback.numbers);
    // After every island on the page has run its effects (the selection listens for its event).
    // The opener may be on another page (a row menu, when the result shows on the invoice's page).
    const frame = requestAnimationFrame(() => (opener && focusPayOpener(opener)) || focusPayOpener(fallback));
    return () => cancelAnimationFrame(frame);
  }, [fallback]);
  return null;
}
