/**
 * Server start: refuse unsafe configurations, open (and on the embedded database migrate and
 * seed) the database, then say where the panel is and how to log in.
 */
import { databaseKind, databaseReady, EmbeddedInProductionError, getDb, type Database } from "@/db/client";
import { accountToday } from "@/lib/dates";
import { PROVIDER_TIME_ZONE } from "@/lib/provider";
import { appOrigin, env } from "@/lib/env";

export const MIN_SECRET_LENGTH = 32;

/** Problems that must stop a production server from starting. */
export function productionConfigProblems(e = env()): string[] {
  const problems: string[] = [];
  if (e.NODE_ENV !== "production") return problems;
  if (!e.AUTH_SECRET) problems.push("AUTH_SECRET is not set (generate one with: openssl rand -base64 32).");
  else if (e.AUTH_SECRET.length < MIN_SECRET_LENGTH)
    problems.push(`AUTH_SECRET is too short: use at least ${MIN_SECRET_LENGTH} characters.`);
  if (!e.APP_URL) {
    problems.push(
      "APP_URL is not set: give the panel's public origin (e.g. https://billing.example.com). Payment return addresses, " +
        "the sandbox's callbacks, the CSRF check and sign-in use it, never the Host or X-Forwarded-Host a request names.",
    );
  }
  if (e.PAYMENT_PROVIDER === "sandbox" && !e.CUMULUS_ALLOW_SANDBOX) {
    problems.push(
      "the card provider is the sandbox (PAYMENT_PROVIDER unset or sandbox): its test cards mark invoices paid with no money " +
        "received. Set PAYMENT_PROVIDER=stripe, or CUMULUS_ALLOW_SANDBOX=true for a demo that takes no real payments.",
    );
  }
  return problems;
}

function fail(message: string): never {
  console.error(`\nCumulus cannot start: ${message}\n`);
  process.exit(1);
}

/**
 * The demo seed (scripts/seed), handed in by instrumentation.ts: the embedded database starts
 * with the demo data, and lib/ never imports scripts/.
 */
export type DemoSeed = {
  isDatabaseEmpty(db: Database): Promise<boolean>;
  seedDemo(db: Database, today: string): Promise<{ invoices: number }>;
  DEMO_PASSWORD: string;
  DEMO_LOGINS: readonly { email: string; role: string }[];
};

export async function prepareServer(demo: DemoSeed): Promise<void> {
  let e;
  try {
    e = env();
  } catch (err) {
    fail((err as Error).message);
  }
  const problems = productionConfigProblems(e);
  if (problems.length > 0) fail(problems.join("\n  "));
  try {
    await databaseReady();
  } catch (err) {
    if (err instanceof EmbeddedInProductionError) fail(err.message);
    fail((err as Error).message);
  }
  let seeded = false;
  if (databaseKind() === "pglite" && (await demo.isDatabaseEmpty(getDb()))) {
    const today = accountToday(PROVIDER_TIME_ZONE);
    const result = await demo.seedDemo(getDb(), today);
    console.log(`Cumulus: created the demo data in ${e.dataDir} (${result.invoices} invoices, today = ${today}).`);
    seeded = true;
  }
  // A cold PDF worker takes ~400 ms for its first document: warm the pool up in the background.
  const { warmUpPdfRenderer } = await import("@/lib/pdf/render");
  warmUpPdfRenderer().catch((err: unknown) => console.error("Cumulus: PDF renderer warm-up failed:", err));
  // Queued email (invoices, verification codes) is sent from this process (lib/email/server.ts).
  const { startServerOutboxSender } = await import("@/lib/email/server");
  startServerOutboxSender();
  const where = e.embedded ? `the embedded database in ${e.dataDir}` : "PostgreSQL (DATABASE_URL)";
  console.log(`\nCumulus is ready at ${appOrigin(e)} (port ${e.PORT}) on ${where}.`);
  if (e.PAYMENT_PROVIDER === "sandbox") console.log("Card payments go to the sandbox: test cards only, no money is received.");
  if (e.embedded || seeded) {
    console.log(`Demo logins, password ${demo.DEMO_PASSWORD}:`);
    for (const l of demo.DEMO_LOGINS) console.log(`  ${l.email.padEnd(22)} ${l.role}`);
  }
}
