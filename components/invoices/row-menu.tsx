"use client";

import { Menu, MenuButton, MenuItem, MenuItems } from "@headlessui/react";
import { ArrowPathIcon } from "@heroicons/react/20/solid";
import Link from "next/link";
import { useEffect, useState } from "react";
import { useIsClient } from "@/components/ui/use-is-client";
import { PAY_OPENER_ATTRIBUTE } from "./pay-opener";

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Older browsers and insecure contexts: the selection-based fallback.
    const el = document.createElement("textarea");
    el.value = text;
    el.setAttribute("readonly", "");
    el.style.position = "fixed";
    el.style.opacity = "0";
    document.body.appendChild(el);
    el.select();
    const ok = document.execCommand("copy");
    el.remove();
    return ok;
  }
}

const itemClass =
  "block w-full px-4 py-2 text-left text-sm text-slate-800 data-focus:bg-brand-50 data-focus:text-brand-800 focus:outline-none";

/** The orange round button with its three dots (globals.css): one class, as the server renders it on every row. */
const buttonClass = "row-menu-button";

/**
 * The orange three-dot menu at the end of each invoice row (keyboard: Enter, arrows, Escape).
 * The server renders only its closed button: Headless UI's Menu rendered on the server is a
 * large share of the list page's time (a menu per row). The browser swaps in the live menu
 * right after hydration, before which no button on the page can act anyway.
 */
type RowMenuProps = { number: number; payHref?: string; processing?: boolean };

export function RowMenu(props: RowMenuProps) {
  const isClient = useIsClient();
  if (!isClient) return <ClosedButton number={props.number} />;
  return <LiveMenu {...props} />;
}

function ClosedButton({ number }: { number: number }) {
  return (
    <button type="button" aria-label={`Options for invoice ${number}`} aria-haspopup="menu" aria-expanded="false" {...{ [PAY_OPENER_ATTRIBUTE]: `row:${number}` }} className={buttonClass} />
  );
}

/** How long the visible "Copied" note stays beside the button (the status message itself stays). */
const COPIED_NOTE_MS = 4000;

function LiveMenu({ number, payHref, processing }: RowMenuProps) {
  const [announcement, setAnnouncement] = useState("");
  const [note, setNote] = useState("");
  useEffect(() => {
    if (!note) return;
    const timer = setTimeout(() => setNote(""), COPIED_NOTE_MS);
    return () => clearTimeout(timer);
  }, [note]);
  return (
    <span className="relative inline-flex">
      <Menu>
        <MenuButton aria-label={`Options for invoice ${number}`} {...{ [PAY_OPENER_ATTRIBUTE]: `row:${number}` }} className={buttonClass} />
        <MenuItems
          anchor="bottom end"
          modal={false}
          className="z-40 mt-1 w-52 rounded-md border border-slate-200 bg-white py-1 shadow-lg focus:outline-none"
        >
          <MenuItem>
            <a href={`/invoices/${number}/pdf`} target="_blank" rel="noopener" className={itemClass}>
              View PDF
            </a>
          </MenuItem>
          <MenuItem>
            <a href={`/invoices/${number}/pdf?download=1`} download className={itemClass}>
              Download PDF
            </a>
          </MenuItem>
          {payHref && (
            <MenuItem>
              {/* A client navigation: the list (and its selection) stays, and focus can return here. */}
              <Link href={payHref} scroll={false} className={itemClass}>
                Pay this invoice
              </Link>
            </MenuItem>
          )}
          {processing && (
            <MenuItem disabled>
              <span className={`${itemClass} flex items-center gap-1.5 text-slate-700`}>
                <ArrowPathIcon aria-hidden="true" className="size-4" />
                Payment processing
              </span>
            </MenuItem>
          )}
          <MenuItem>
            <button
              type="button"
              className={itemClass}
              onClick={async () => {
                const ok = await copyText(String(number));
                setAnnouncement(ok ? `Invoice number ${number} copied` : `Could not copy invoice number ${number}`);
                setNote(ok ? "Copied" : "Could not copy");
              }}
            >
              Copy invoice number
            </button>
          </MenuItem>
          <MenuItem>
            <a href={`/invoices/${number}/ubl`} download className={itemClass}>
              Download e-invoice (XML)
            </a>
          </MenuItem>
        </MenuItems>
      </Menu>
      <span role="status" className="sr-only">
        {announcement}
      </span>
      {/* Seen by everyone, beside the button; the status above says it to screen readers. */}
      {note && (
        <span aria-hidden="true" className="absolute right-full top-1/2 mr-2 -translate-y-1/2 whitespace-nowrap rounded bg-slate-800 px-2 py-1 text-xs font-medium text-white shadow">
          {note}
        </span>
      )}
    </span>
  );
}
