/**
 * `npm run worker [-- --once] [-- --interval 5000] [-- --batch 50] [-- --concurrency 2]`: sends
 * the email outbox until SIGTERM/SIGINT (or, with --once, until nothing is due). Any number of
 * workers and server processes may send at once: each message is claimed by one of them.
 *
 * A stop signal lets the message being sent finish and be recorded before the process exits
 * (a second signal exits at once). On the embedded database the worker cannot run beside the
 * server (the data directory is locked): the server sends its outbox itself.
 */
import { parseArgs } from "node:util";
import { deliverEInvoices } from "@/lib/einvoice/delivery";
import { openCliDatabase } from "@/lib/email/cli";
import { defaultWorkerId, drainOutbox, type DrainResult } from "@/lib/email/sender";
import { closeMailer } from "@/lib/email/transport";
import { env } from "@/lib/env";
import { closePdfPool } from "@/lib/pdf/render";
import { plural } from "@/lib/plural";

function positiveInt(name: string, value: string, min = 1): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min) throw new Error(`--${name} must be a whole number ≥ ${min}, not "${value}"`);
  return n;
}

const summary = (r: DrainResult) =>
  `${plural(r.claimed, { one: "# message", other: "# messages" })}: ${r.sent} sent, ${r.retrying} to retry, ${r.failed} failed; ${plural(r.accepted, { one: "# recipient", other: "# recipients" })} accepted, ${r.rejected} refused`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      once: { type: "boolean", default: false },
      interval: { type: "string", default: "5000" },
      batch: { type: "string", default: "50" },
      concurrency: { type: "string", default: "2" },
    },
  });
  const interval = positiveInt("interval", values.interval, 100);
  const batch = positiveInt("batch", values.batch);
  const concurrency = positiveInt("concurrency", values.concurrency);
  const workerId = `${defaultWorkerId()}:worker`;
  const e = env();
  const { db, close } = await openCliDatabase();

  let stopping = false;
  let wake: (() => void) | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      console.error(`worker: ${signal} again, exiting now`);
      process.exit(signal === "SIGINT" ? 130 : 143);
    }
    stopping = true;
    console.log(`worker: ${signal}: finishing the message in hand, then stopping`);
    wake?.();
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);

  console.log(
    `worker ${workerId}: sending the outbox ${e.SMTP_URL ? "over SMTP" : `to files in ${e.dataDir}/mail (SMTP_URL is not set)`}` +
      `${values.once ? ", once" : `, every ${interval} ms`}, on ${e.DATABASE_URL ? "PostgreSQL" : "the embedded database"}.`,
  );
  let exitCode = 0;
  try {
    while (!stopping) {
      let result: DrainResult | undefined;
      try {
        result = await drainOutbox(db, { limit: batch, workerId, concurrency });
        if (result.claimed > 0) console.log(`worker: ${summary(result)}`);
        const einvoices = await deliverEInvoices(db, { limit: batch });
        if (einvoices.claimed > 0) console.log(`worker: e-invoices: ${einvoices.sent} delivered, ${einvoices.claimed - einvoices.sent} to retry or failed`);
      } catch (err) {
        console.error(`worker: draining failed: ${(err as Error).message}`);
        if (values.once) exitCode = 1;
      }
      if (values.once) {
        // Keep going while batches come back full: --once means "until nothing is due".
        if (result && result.claimed >= batch && !stopping) continue;
        break;
      }
      if (stopping) break;
      if (result && result.claimed >= batch) continue;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, interval);
        wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      wake = undefined;
    }
  } finally {
    closeMailer();
    await closePdfPool().catch(() => {});
    await close().catch(() => {});
  }
  if (stopping) console.log("worker: stopped");
  return exitCode;
}

main()
  .then((code) => process.exit(code))
  .catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
