"use client";

import { ArrowDownTrayIcon, ShareIcon } from "@heroicons/react/20/solid";
import { usePathname, useRouter } from "next/navigation";
import { useCallback, useEffect, useRef, useState } from "react";
import { ShareDialog } from "@/components/sharing/share-dialog";
import { focusPayOpener, PAY_OPENER_ATTRIBUTE, SELECT_INVOICES_EVENT } from "./pay-opener";

export const MAX_DOWNLOAD = 500;

/**
 * One form around the whole table for row selection (a form per row halves render
 * throughput). The rows are server-rendered; this island only counts and toggles checkboxes.
 * The page gives it a key per list state, so a new page starts with nothing selected; opening
 * and closing the Pay dialog only adds and removes `pay` and `n`, so the selection stays.
 */
export function SelectionForm({ children, canPay, canShare }: { children: React.ReactNode; canPay: boolean; canShare: boolean }) {
  const formRef = useRef<HTMLFormElement>(null);
  const [count, setCount] = useState(0);
  const [outstanding, setOutstanding] = useState(0);

  const boxes = () =>
    Array.from(formRef.current?.querySelectorAll<HTMLInputElement>('input[type="checkbox"][name="n"]') ?? []);

  const sync = useCallback(() => {
    const all = boxes();
    const checked = all.filter((b) => b.checked).length;
    setCount(checked);
    setOutstanding(all.filter((b) => b.checked && b.dataset.outstanding !== undefined).length);
    const selectAll = formRef.current?.querySelector<HTMLInputElement>('input[type="checkbox"][data-select-all]');
    if (selectAll) {
      selectAll.checked = all.length > 0 && checked === all.length;
      selectAll.indeterminate = checked > 0 && checked < all.length;
    }
  }, []);

  const router = useRouter();
  const pathname = usePathname();
  // Raised to ask for focus on "Pay selected (k)" once it has rendered.
  const [focusRequest, setFocusRequest] = useState(0);

  // Select these invoices (among the payable rows of this page): the dialog's `n` after a reload,
  // or the invoices of a payment the person came back from without paying.
  useEffect(() => {
    const select = (numbers: number[]) => {
      for (const b of boxes()) if (b.dataset.outstanding !== undefined && numbers.includes(Number(b.value))) b.checked = true;
      sync();
    };
    const query = new URLSearchParams(window.location.search);
    if (query.get("pay") === "selected") select(query.getAll("n").map(Number));
    const onSelect = (e: Event) => {
      select((e as CustomEvent<number[]>).detail);
      setFocusRequest((n) => n + 1);
    };
    window.addEventListener(SELECT_INVOICES_EVENT, onSelect);
    return () => window.removeEventListener(SELECT_INVOICES_EVENT, onSelect);
  }, [sync]);

  useEffect(() => {
    if (focusRequest > 0) focusPayOpener({ key: "selected-button", numbers: [] });
  }, [focusRequest]);

  // With JavaScript, open the dialog by a client navigation that keeps this page's filters and selection.
  const paySelected = (e: React.MouseEvent<HTMLButtonElement>) => {
    e.preventDefault();
    const query = new URLSearchParams(window.location.search);
    query.delete("n");
    query.set("pay", "selected");
    for (const b of boxes()) if (b.checked && b.dataset.outstanding !== undefined) query.append("n", b.value);
    router.push(`${pathname}?${query.toString()}`, { scroll: false });
  };

  // Share selected: the numbers checked when it was pressed (the dialog is mounted only while open).
  const [sharing, setSharing] = useState<number[] | null>(null);

  const onChange = (e: React.ChangeEvent<HTMLFormElement>) => {
    const target = e.target as unknown as HTMLInputElement;
    if (target.dataset.selectAll !== undefined) for (const b of boxes()) b.checked = target.checked;
    sync();
  };

  return (
    <form ref={formRef} action="/invoices/download" method="get" onChange={onChange} {...{ [`${PAY_OPENER_ATTRIBUTE}-list`]: "" }}>
      <div className="mb-3 flex min-h-9 flex-wrap items-center gap-2" aria-live="polite">
        {count > 0 && (
          <>
            <span className="text-sm text-slate-700">{count} selected</span>
            <button
              type="submit"
              disabled={count > MAX_DOWNLOAD}
              className="inline-flex items-center gap-1.5 rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-600 focus-visible:ring-offset-2 disabled:opacity-50"
            >
              <ArrowDownTrayIcon aria-hidden="true" className="size-4" />
              Download selected ({count})
            </button>
            {canPay && outstanding > 0 && (
              // Pays only the outstanding ones among the selected rows.
              <button
                type="submit"
                formAction="/invoices"
                name="pay"
                value="selected"
                onClick={paySelected}
                {...{ [PAY_OPENER_ATTRIBUTE]: "selected-button" }}
                className="inline-flex items-center gap-1.5 rounded-md border border-brand-600 bg-white px-3 py-1.5 text-sm font-medium text-brand-700 hover:bg-brand-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-600 focus-visible:ring-offset-2"
              >
                Pay selected ({outstanding})
              </button>
            )}
            {canShare && (
              <button
                type="button"
                disabled={count > MAX_DOWNLOAD}
                onClick={() => setSharing(boxes().filter((b) => b.checked).map((b) => Number(b.value)))}
                className="inline-flex items-center gap-1.5 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-600 disabled:opacity-50"
              >
                <ShareIcon aria-hidden="true" className="size-4" />
                Share selected ({count})
              </button>
            )}
            {count > MAX_DOWNLOAD && <span className="text-sm text-red-700">At most {MAX_DOWNLOAD} invoices per download.</span>}
          </>
        )}
      </div>
      {children}
      {sharing && <ShareDialog numbers={sharing} title={sharing.length === 1 ? `Share invoice ${sharing[0]}` : `Share ${sharing.length} invoices`} onClose={() => setSharing(null)} />}
    </form>
  );
}
