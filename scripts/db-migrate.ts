/** `npm run db:migrate`: applies the committed migrations to DATABASE_URL (or the embedded database). */
import { databaseKind, databaseReady, getDb, migrate } from "@/db/client";
import { env } from "@/lib/env";
import { runCli } from "./lib/run-cli";

async function main() {
  await databaseReady(); // the embedded database migrates itself on open
  if (databaseKind() === "postgres") await migrate(getDb(), "postgres");
  console.log(`Migrations applied to ${env().embedded ? `the embedded database in ${env().dataDir}` : "DATABASE_URL"}.`);
}

runCli(main);
