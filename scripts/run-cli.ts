/**
 * Runs a command-line script's main: exits with the code it returns (0 when none), and on a
 * failure prints the message rather than a stack and exits 1. The database is closed either way.
 */
import { closeDatabase } from "@/db/client";

export function runCli(main: () => Promise<number | void>): void {
  main().then(
    async (code) => {
      await closeDatabase();
      process.exit(code ?? 0);
    },
    async (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      await closeDatabase().catch(() => {});
      process.exit(1);
    },
  );
}
