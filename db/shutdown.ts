/**
 * A clean close of the embedded database on SIGTERM/SIGINT: closing keeps PGlite's files
 * consistent, and work in flight (an email being sent) finishes first.
 */
import { processSingleton } from "./singleton";

const shutdownHooks = processSingleton("shutdownHooks", () => new Set<() => Promise<void>>());

/** Registers work to finish before the embedded database closes on SIGTERM/SIGINT. */
export function onShutdown(hook: () => Promise<void>): () => void {
  shutdownHooks.add(hook);
  return () => shutdownHooks.delete(hook);
}

async function runShutdownHooks(timeoutMs = 5000): Promise<void> {
  const all = Promise.allSettled([...shutdownHooks].map((h) => h()));
  await Promise.race([all, new Promise((r) => setTimeout(r, timeoutMs).unref())]);
}


/** On SIGTERM/SIGINT: the hooks (a few seconds at most), then `close`, then exit. */
export function closeOnSignals(close: () => Promise<void>): void {
  const shutdown = (signal: NodeJS.Signals) => {
    void runShutdownHooks()
      .then(close)
      .catch(() => {})
      .finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
  };
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);
}
