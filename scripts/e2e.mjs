#!/usr/bin/env node
/**
 * Browser tests against a production build on a freshly seeded database: PostgreSQL when
 * DATABASE_URL is set (the database is emptied and seeded), otherwise a new embedded database
 * in a temporary folder. Extra arguments go to `playwright test`; without any, the walk and the
 * standalone server's check (scripts/standalone-check.ts) follow the specs.
 */
import { spawn, spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildIfStale } from "./start.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => path.join(root, "node_modules", ".bin", name);

function findChromium() {
  if (process.env.E2E_CHROMIUM) return process.env.E2E_CHROMIUM;
  try {
    const own = spawnSync(process.execPath, ["-e", "console.log(require('playwright-core').chromium.executablePath())"], {
      cwd: root, encoding: "utf8",
    }).stdout.trim();
    if (own && fs.existsSync(own)) return own;
  } catch { /* no Playwright browser */ }
  for (const p of ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]) if (fs.existsSync(p)) return p;
  return null;
}

const chromium = findChromium();
if (!chromium) {
  console.error(`
No Chromium found for the browser tests. Install one, then run npm test again:
  Debian/Ubuntu:  sudo apt-get install -y chromium
  elsewhere:      npx playwright install chromium
(or point E2E_CHROMIUM at a Chromium or Chrome binary).`);
  process.exit(1);
}

/** A port the OS says is free: a random one can be another server's (MySQL listens on 3306). */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

const port = process.env.E2E_PORT ?? String(await freePort());
const env = {
  ...process.env,
  PORT: port,
  NEXT_TELEMETRY_DISABLED: "1",
  AUTH_SECRET: process.env.AUTH_SECRET ?? crypto.randomBytes(32).toString("base64url"),
  // The browser reaches the server at localhost (Next names 127.0.0.1 localhost too): the
  // panel's origin, which the CSRF check, Auth.js and the payment return addresses use.
  APP_URL: `http://localhost:${port}`,
  // The specs pay with the sandbox's test cards.
  CUMULUS_ALLOW_SANDBOX: "true",
  // As behind one proxy (nginx, Vercel): the specs' own requests carry no X-Forwarded-For, and
  // Next fills it with the socket address, which is what such a proxy appends.
  TRUSTED_PROXY_HOPS: process.env.TRUSTED_PROXY_HOPS ?? "1",
};
buildIfStale();

// A fresh data folder per run: the embedded database (without DATABASE_URL) and, always, the
// captured mail the specs read verification codes from.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cumulus-e2e-"));
env.CUMULUS_DATA_DIR = dataDir;
delete env.SMTP_URL;
if (env.DATABASE_URL) {
  const seed = spawnSync(bin("tsx"), ["scripts/db-seed.ts", "--reset"], { cwd: root, stdio: "inherit", env });
  if (seed.status !== 0) process.exit(seed.status ?? 1);
} else {
  env.CUMULUS_ALLOW_EMBEDDED = "true";
  env.NEXT_MANUAL_SIG_HANDLE = "true"; // see scripts/start.mjs
}

// The server writes its output straight into a file: the specs read what a request logged while
// they run (this process is blocked in spawnSync meanwhile, so it could not copy a pipe).
const serverLogPath = path.join(dataDir, "server.log");
const serverLogFd = fs.openSync(serverLogPath, "a");
const server = spawn(process.execPath, [path.join(root, "node_modules", "next", "dist", "bin", "next"), "start", "-p", port], {
  cwd: root, env, detached: true, stdio: ["ignore", serverLogFd, serverLogFd],
});
const serverLogText = () => (fs.existsSync(serverLogPath) ? fs.readFileSync(serverLogPath, "utf8") : "");
const stopServer = () => {
  try { process.kill(-server.pid, "SIGTERM"); } catch { /* gone */ }
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
};
process.on("exit", stopServer);
process.on("SIGINT", () => process.exit(130));
process.on("SIGTERM", () => process.exit(143));

const baseURL = `http://localhost:${port}`;
const deadline = Date.now() + 90_000;
for (;;) {
  try {
    const res = await fetch(`${baseURL}/login`);
    if (res.ok) break;
  } catch { /* not up yet */ }
  if (server.exitCode !== null || Date.now() > deadline) {
    console.error("The server did not start:\n" + serverLogText());
    process.exit(1);
  }
  await new Promise((r) => setTimeout(r, 300));
}

// A full run takes the specs first, then the walk of every screen at every size (it pays on the
// demo account, which the specs must not see happen); named specs or options run as given.
const playwright = (args) => spawnSync(bin("playwright"), ["test", ...args], {
  cwd: root, stdio: "inherit", env: { ...env, E2E_BASE_URL: baseURL, E2E_CHROMIUM: chromium, E2E_DATA_DIR: dataDir },
});
const given = process.argv.slice(2);
let run = playwright(given.length ? given : ["--project=chromium"]);
if (!given.length && run.status === 0) run = playwright(["--project=walk"]);
// Stop the server (and wait: the embedded database is locked while it runs), then prove that
// the test cards the specs paid with reached neither the server's log nor the database.
try { process.kill(-server.pid, "SIGTERM"); } catch { /* gone */ }
await new Promise((r) => (server.exitCode !== null ? r() : server.once("exit", r)));
// One list of test cards (lib/payments/sandbox.ts) for both: the log is scanned by the same script.
let leaked = false;
const scan = spawnSync(bin("tsx"), ["scripts/check-no-card-data.ts", "--log", serverLogPath], { cwd: root, stdio: "inherit", env });
if (scan.status !== 0) leaked = true;
stopServer();
if (leaked) process.exit(1);
if (run.status !== 0 && process.env.E2E_SHOW_SERVER_LOG !== "0") {
  console.error("\n--- server log (last 60 lines) ---\n" + serverLogText().split("\n").slice(-60).join("\n"));
}
// A full run ends with the Node host's path: the standalone server on a database of its own.
if (!given.length && run.status === 0) {
  run = spawnSync(bin("tsx"), ["scripts/standalone-check.ts"], { cwd: root, stdio: "inherit", env: process.env });
}
process.exit(run.status ?? 1);
