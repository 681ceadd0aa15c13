#!/usr/bin/env node
/**
 * `npm test`: typecheck and lint (side by side: each is one process), the unit and integration
 * tests (Vitest), then the browser tests (Playwright) against a production build. Integration
 * and browser tests run on PostgreSQL when DATABASE_URL is set, on the embedded database
 * otherwise. Stops at the first failure.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** Steps in order; the steps of one group run at the same time. */
const groups = [
  [["typecheck", ["run", "typecheck"]], ["lint", ["run", "lint"]]],
  [["unit and integration tests", ["run", "test:unit"]]],
  [["browser tests", ["run", "test:e2e"]]],
];
const only = process.argv.slice(2);
const database = process.env.DATABASE_URL ? "PostgreSQL" : "embedded PGlite";

/**
 * Runs one step. Alone, its output streams through; beside another, it is kept and printed
 * whole when the step ends, so that the two do not interleave.
 */
function runStep([name, args], alone) {
  const startedMs = Date.now();
  if (alone) console.log(`\n▶ ${name} (${database})`);
  const child = spawn("npm", args, { cwd: root, env: process.env, stdio: alone ? "inherit" : ["ignore", "pipe", "pipe"] });
  const output = [];
  child.stdout?.on("data", (chunk) => output.push(chunk));
  child.stderr?.on("data", (chunk) => output.push(chunk));
  return new Promise((resolve) => child.on("close", (code) => {
    if (!alone) {
      console.log(`\n▶ ${name} (${database})`);
      process.stdout.write(Buffer.concat(output));
    }
    resolve({ name, ok: code === 0, seconds: ((Date.now() - startedMs) / 1000).toFixed(0) });
  }));
}

const startedMs = Date.now();
const done = [];
for (const group of groups) {
  const chosen = group.filter(([name]) => !only.length || only.some((o) => name.startsWith(o)));
  if (!chosen.length) continue;
  const results = await Promise.all(chosen.map((step) => runStep(step, chosen.length === 1)));
  const failed = results.filter((r) => !r.ok);
  for (const r of failed) console.error(`\n✖ ${r.name} failed after ${r.seconds} s`);
  if (failed.length) {
    console.log(`${done.length + results.length - failed.length} passed, ${failed.length} failed`);
    process.exit(1);
  }
  done.push(...results.map((r) => `${r.name} ${r.seconds} s`));
}
console.log(`\n✔ ${done.join(" · ")} — ${((Date.now() - startedMs) / 1000).toFixed(0)} s in all`);
console.log(`steps: ${done.length} passed, 0 failed`);
