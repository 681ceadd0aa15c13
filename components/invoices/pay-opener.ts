"use client";

/**
 * Which control opened the Pay dialog, so that focus goes back to it when the dialog closes
 * (Escape, Close) and when the person comes back from the provider's page without paying.
 * Each opener carries `data-pay-opener="KEY"`; the key follows from the dialog's URL, so it
 * holds after a reload or a shared link too:
 * - `row:N`: the row menu's button of invoice N (the list's "Pay this invoice");
 * - `detail:N`: "Pay this invoice" on invoice N's page;
 * - `outstanding`: "Pay all outstanding"; `selected`: "Pay selected (k)".
 */
export const PAY_OPENER_ATTRIBUTE = "data-pay-opener";

/** Asks the list's selection to select these invoices (and focus "Pay selected (k)"). */
export const SELECT_INVOICES_EVENT = "cumulus:select-invoices";

const STORAGE_KEY = "cumulus.payOpener";

export type PayOpener = { key: string; numbers: number[] };

export function payOpenerKey(pathname: string, params: URLSearchParams): string | null {
  const pay = params.get("pay");
  if (!pay) return null;
  if (pay === "outstanding" || pay === "selected") return pay;
  return pathname === `/invoices/${pay}` ? `detail:${pay}` : `row:${pay}`;
}

/** Focuses the opener with this key, if it is on the page; "selected" restores the selection first. */
export function focusPayOpener(opener: PayOpener): boolean {
  if (opener.key === "selected") {
    const list = document.querySelector(`[${PAY_OPENER_ATTRIBUTE}-list]`);
    if (list) window.dispatchEvent(new CustomEvent<number[]>(SELECT_INVOICES_EVENT, { detail: opener.numbers }));
    return Boolean(list);
  }
  const control = document.querySelector<HTMLElement>(`[${PAY_OPENER_ATTRIBUTE}="${CSS.escape(opener.key)}"]`);
  control?.focus();
  return Boolean(control);
}

/** Kept for this tab while the person is on the provider's page (sessionStorage survives leaving the site). */
export function rememberPayOpener(opener: PayOpener): void {
  try {
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(opener));
  } catch {
    // Storage disabled: focus falls back to the page's own Pay control.
  }
}

/** The remembered opener (once), if it was for exactly these invoices. */
export function takePayOpener(numbers: number[]): PayOpener | null {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    sessionStorage.removeItem(STORAGE_KEY);
    const opener = raw ? (JSON.parse(raw) as PayOpener) : null;
    const same = opener && [...opener.numbers].sort().join() === [...numbers].sort().join();
    return same ? opener : null;
  } catch {
    return null;
  }
}
