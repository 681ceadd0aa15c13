/**
 * The database of the command-line tools that send email (scripts/worker.ts, invoices-send.ts,
 * billing-run.ts, billing-remind.ts, billing-credit.ts): a handle of their own. Not getDb(): its handle exits the process on SIGTERM, and a
 * sender wants to finish and record the message in hand first.
 */
import { createPgliteHandle, createPostgresHandle, EmbeddedInProductionError, migrate, type Database } from "@/db/client";
import { env } from "@/lib/env";

export async function openCliDatabase(): Promise<{ db: Database; kind: "postgres" | "pglite"; close: () => Promise<void> }> {
  const e = env();
  if (e.DATABASE_URL) {
    const h = createPostgresHandle(e.DATABASE_URL, 4);
    return { db: h.db, kind: "postgres", close: h.close };
  }
  if (e.NODE_ENV === "production" && !e.CUMULUS_ALLOW_EMBEDDED) throw new EmbeddedInProductionError();
  // Fails at once, naming the owner, when a server holds the embedded data directory.
  const h = await createPgliteHandle(e.dataDir);
  try {
    await migrate(h.db, "pglite");
  } catch (err) {
    await h.close();
    throw err;
  }
  return { db: h.db, kind: "pglite", close: h.close };
}
