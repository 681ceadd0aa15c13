/**
 * The Node host's path (docs/operations.md): `node .next/standalone/server.js` of the current
 * build, on a free port with a new embedded database, serves the demo. It builds when the sources
 * changed, copies the static files beside the server as a deployment does, signs in as the demo
 * user, loads the invoice list and one invoice's PDF, and stops the server. Exit 1 when any of it
 * fails. scripts/e2e.mjs runs it after the browser tests; alone: `npx tsx scripts/standalone-check.ts`.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DEMO_LOGINS, DEMO_PASSWORD } from "@/scripts/seed";
import { signIn } from "./lib/http";
import { buildIfStale, spawnNext, waitUntilReady, type NextProcess } from "./lib/next-process";
import { freePort } from "./lib/ports";

const root = path.resolve(import.meta.dirname, "..");
const standaloneDir = path.join(root, ".next", "standalone");

/** What `next build` leaves out of the standalone folder: the browser's files. */
function copyStaticFiles(): void {
  fs.cpSync(path.join(root, ".next", "static"), path.join(standaloneDir, ".next", "static"), { recursive: true });
  fs.cpSync(path.join(root, "public"), path.join(standaloneDir, "public"), { recursive: true });
}

async function startStandalone(dataDir: string): Promise<NextProcess> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    AUTH_SECRET: crypto.randomBytes(32).toString("base64url"),
    APP_URL: `http://127.0.0.1:${port}`,
    CUMULUS_DATA_DIR: dataDir,
    CUMULUS_ALLOW_EMBEDDED: "true",
    CUMULUS_ALLOW_SANDBOX: "true",
    // db/shutdown.ts closes the embedded database on SIGTERM (see scripts/start.mjs).
    NEXT_MANUAL_SIG_HANDLE: "true",
  };
  delete env.DATABASE_URL;
  delete env.SMTP_URL;
  const server = spawnNext({ port, env, standalone: true });
  await waitUntilReady(server, 60_000);
  return server;
}

/** The demo user's invoice list, and the PDF of the first invoice it links to. */
async function loadListAndPdf(baseUrl: string): Promise<string> {
  const cookie = await signIn(baseUrl, DEMO_LOGINS[0].email, DEMO_PASSWORD);
  const list = await fetch(`${baseUrl}/invoices`, { headers: { cookie }, redirect: "manual" });
  const html = await list.text();
  if (list.status !== 200) throw new Error(`/invoices answered ${list.status}`);
  const invoiceNumber = /href="\/invoices\/(\d+)"/.exec(html)?.[1];
  if (!invoiceNumber) throw new Error("/invoices lists no invoice");
  const pdf = await fetch(`${baseUrl}/invoices/${invoiceNumber}/pdf`, { headers: { cookie } });
  const bytes = Buffer.from(await pdf.arrayBuffer());
  if (pdf.status !== 200 || pdf.headers.get("content-type") !== "application/pdf" || !bytes.subarray(0, 5).equals(Buffer.from("%PDF-"))) {
    throw new Error(`/invoices/${invoiceNumber}/pdf answered ${pdf.status} ${pdf.headers.get("content-type")}, ${bytes.length} bytes`);
  }
  return `invoice ${invoiceNumber}'s PDF, ${bytes.length} bytes`;
}

async function main(): Promise<void> {
  const startedMs = Date.now();
  await buildIfStale();
  copyStaticFiles();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cumulus-standalone-"));
  let server: NextProcess | null = null;
  try {
    server = await startStandalone(dataDir);
    const loaded = await loadListAndPdf(server.baseUrl);
    console.log(`standalone server: signed in, /invoices and ${loaded} in ${((Date.now() - startedMs) / 1000).toFixed(0)} s`);
  } catch (err) {
    if (server) console.error(`--- server output ---\n${server.tail(60)}`);
    throw err;
  } finally {
    await server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(`The standalone server check failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
