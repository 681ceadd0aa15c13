"use client";

import { Menu, MenuButton, MenuItem, MenuItems } from "@headlessui/react";
import { EllipsisHorizontalIcon } from "@heroicons/react/20/solid";
import { useState } from "react";
import { useIsClient } from "@/components/ui/use-is-client";

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

const buttonClass =
  "inline-flex size-8 items-center justify-center rounded-full bg-accent-600 text-white hover:bg-accent-700 focus:outline-none focus-visible:ring-2 focus-visible:ring-accent-600 focus-visible:ring-offset-2";

/**
 * The orange three-dot menu at the end of each invoice row (keyboard: Enter, arrows, Escape).
 * The server renders only its closed button: Headless UI's Menu rendered on the server cost
 * ~6 ms of a 19 ms list page (25 menus). The browser swaps in the live menu right after
 * hydration, before which no button on the page can act anyway.
 */
export function RowMenu({ number, payHref }: { number: number; payHref?: string }) {
  const isClient = useIsClient();
  if (!isClient) return <ClosedButton number={number} />;
  return <LiveMenu number={number} payHref={payHref} />;
}

function ClosedButton({ number }: { number: number }) {
  return (
    <button type="button" aria-label={`Options for invoice ${number}`} aria-haspopup="menu" aria-expanded="false" className={buttonClass}>
      <EllipsisHorizontalIcon aria-hidden="true" className="size-5" />
    </button>
  );
}

function LiveMenu({ number, payHref }: { number: number; payHref?: string }) {
  const [announcement, setAnnouncement] = useState("");
  return (
    <>
      <Menu>
        <MenuButton aria-label={`Options for invoice ${number}`} className={buttonClass}>
          <EllipsisHorizontalIcon aria-hidden="true" className="size-5" />
        </MenuButton>
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
              <a href={payHref} className={itemClass}>
                Pay this invoice
              </a>
            </MenuItem>
          )}
          <MenuItem>
            <button
              type="button"
              className={itemClass}
              onClick={async () => {
                const ok = await copyText(String(number));
                setAnnouncement(ok ? `Invoice number ${number} copied` : `Could not copy invoice number ${number}`);
              }}
            >
              Copy invoice number
            </button>
          </MenuItem>
        </MenuItems>
      </Menu>
      <span role="status" className="sr-only">
        {announcement}
      </span>
    </>
  );
}
