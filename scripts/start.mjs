#!/usr/bin/env node
/**
 * `npm start`: builds when there is no production build of the current sources, then serves
 * the panel with `next start`. Without DATABASE_URL it runs the embedded demo database: it
 * opts into it and into the sandbox card provider explicitly, serves it at
 * http://localhost:PORT unless APP_URL says otherwise, and keeps a generated AUTH_SECRET in the
 * data directory.
 * `npm run dev` (--dev) runs `next dev` instead.
 */
import { spawn, spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const isMain = process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1]);
const dev = process.argv.includes("--dev");
const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");
const env = { ...process.env };
env.PORT ||= "3000";
// Nothing is sent anywhere at run time.
env.NEXT_TELEMETRY_DISABLED ||= "1";

if (isMain && !env.DATABASE_URL) {
  // The embedded database is a single-process demo: it opts into the demo's database and test
  // card provider (no money is received), served at this machine's own address.
  env.CUMULUS_ALLOW_EMBEDDED ||= "true";
  env.CUMULUS_ALLOW_SANDBOX ||= "true";
  env.APP_URL ||= `http://localhost:${env.PORT}`;
  // Next's own SIGTERM/SIGINT handler exits before the embedded database is closed; db/shutdown.ts
  // handles the signals instead: finish in-flight work, close PGlite cleanly, release the lock.
  env.NEXT_MANUAL_SIG_HANDLE = "true";
  const dataDir = path.resolve(root, env.CUMULUS_DATA_DIR || ".data");
  if (!env.AUTH_SECRET) {
    fs.mkdirSync(dataDir, { recursive: true });
    const file = path.join(dataDir, "auth-secret");
    if (!fs.existsSync(file)) fs.writeFileSync(file, crypto.randomBytes(32).toString("base64url"), { mode: 0o600 });
    env.AUTH_SECRET = fs.readFileSync(file, "utf8").trim();
  }
}

/** A hash of everything that goes into the build: a changed source means a new build. */
export function sourceHash() {
  const hash = crypto.createHash("sha256");
  const inputs = ["app", "components", "lib", "db", "public", "proxy.ts", "instrumentation.ts", "next.config.ts",
    "package-lock.json", "tsconfig.json", "tsconfig.build.json", "postcss.config.mjs"];
  const walk = (p) => {
    const full = path.join(root, p);
    if (!fs.existsSync(full)) return;
    const stat = fs.statSync(full);
    if (stat.isDirectory()) {
      for (const name of fs.readdirSync(full).sort()) {
        if (name === "node_modules" || name.startsWith(".")) continue;
        walk(path.join(p, name));
      }
    } else if (!/\.test\.tsx?$/.test(p)) {
      hash.update(p).update("\0").update(fs.readFileSync(full)).update("\0");
    }
  };
  inputs.forEach(walk);
  return hash.digest("hex");
}

export function buildIfStale() {
  const stamp = path.join(root, ".next", "cumulus-source-hash");
  const current = sourceHash();
  const built = fs.existsSync(path.join(root, ".next", "BUILD_ID")) && fs.existsSync(stamp)
    ? fs.readFileSync(stamp, "utf8").trim() : "";
  if (built === current) return;
  console.log("Cumulus: building the production bundle (first start, or the sources changed)…");
  const r = spawnSync(process.execPath, [nextBin, "build"], { cwd: root, stdio: "inherit", env: { ...env, NODE_ENV: "production" } });
  if (r.status !== 0) process.exit(r.status ?? 1);
  fs.writeFileSync(stamp, current);
}

if (isMain) {
  if (!dev) buildIfStale();
  const args = dev ? ["dev", "-p", env.PORT] : ["start", "-p", env.PORT];
  // Its own process group: stopping us stops the server and anything it started.
  const child = spawn(process.execPath, [nextBin, ...args], { cwd: root, stdio: "inherit", env, detached: true });
  const stop = (signal) => {
    try {
      process.kill(-child.pid, signal);
    } catch {
      /* already gone */
    }
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
  child.on("exit", (code, signal) => process.exit(code ?? (signal === "SIGINT" ? 130 : 143)));
}
