/**
 * Starts the in-process outbox sender for a server process (called from lib/server-start.ts):
 * not while `next build` runs, not on Vercel (nothing runs between requests there: the cron
 * route /api/cron/outbox sends instead), not when CUMULUS_OUTBOX_INTERVAL_MS=0. Stopped on
 * SIGTERM/SIGINT before the database closes.
 */
import { onShutdown } from "@/db/client";
import { env } from "@/lib/env";
import { startOutboxSender, type OutboxSender } from "./sender";

export function startServerOutboxSender(): OutboxSender | undefined {
  const e = env();
  if (e.NEXT_PHASE === "phase-production-build" || e.VERCEL) return undefined;
  const intervalMs = e.CUMULUS_OUTBOX_INTERVAL_MS;
  if (intervalMs === 0) {
    console.log("mail: the in-process outbox sender is off (CUMULUS_OUTBOX_INTERVAL_MS=0): run `npm run worker`.");
    return undefined;
  }
  const sender = startOutboxSender({ intervalMs });
  // The embedded database closes after the message in hand is sent and recorded (db/shutdown.ts);
  // on PostgreSQL the stop is best effort (a message cut off is retried after its claim expires).
  onShutdown(() => sender.stop().catch(() => {}));
  const stop = () => void sender.stop().catch(() => {});
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  return sender;
}
