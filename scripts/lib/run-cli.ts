/**
 * Runs a command-line script's main: exits with the code it returns (0 when none), and on a
 * failure prints the message rather than a stack and exits 1. The database is closed either way.
 *
 * `stack`: print the whole stack (the test and load harnesses, whose failures are ours to debug).
 * `exitOnSignals`: Ctrl-C and SIGTERM leave through process.exit, so the "exit" handlers stop
 * the servers the run started (a Next.js process group, a private PostgreSQL) and remove their folders.
 */
import { closeDatabase } from "@/db/client";

export function runCli(main: () => Promise<number | void>, opts: { stack?: boolean; exitOnSignals?: boolean } = {}): void {
  if (opts.exitOnSignals) {
    for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => process.exit(130));
  }
  main().then(
    async (code) => {
      await closeDatabase();
      process.exit(code ?? 0);
    },
    async (err: unknown) => {
      console.error(err instanceof Error ? ((opts.stack ? err.stack : undefined) ?? err.message) : err);
      await closeDatabase().catch(() => {});
      process.exit(1);
    },
  );
}
