"use client";

import { useSyncExternalStore } from "react";

const subscribe = () => () => {};

/**
 * True once rendering in the browser. Headless UI's dialogs render a helper element with a
 * style attribute; rendered on the server, that attribute would need 'unsafe-inline' in our
 * CSP, while set from the browser it is a CSSOM change the CSP allows. So modals render on the
 * client only.
 */
export function useIsClient(): boolean {
  return useSyncExternalStore(subscribe, () => true, () => false);
}
