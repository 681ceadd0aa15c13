#!/usr/bin/env node
/**
 * `npm test`: typecheck, lint, unit and integration tests (Vitest), then the browser tests
 * (Playwright) against a production build. Integration and browser tests run on PostgreSQL
 * when DATABASE_URL is set, on the embedded database otherwise. Stops at the first failure.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const steps = [
  ["typecheck", ["run", "typecheck"]],
  ["lint", ["run", "lint"]],
  ["unit and integration tests", ["run", "test:unit"]],
  ["browser tests", ["run", "test:e2e"]],
];
const only = process.argv.slice(2);
const started = Date.now();
const done = [];
for (const [name, args] of steps) {
  if (only.length && !only.some((o) => name.startsWith(o))) continue;
  const t = Date.now();
  console.log(`\n▶ ${name} (${process.env.DATABASE_URL ? "PostgreSQL" : "embedded PGlite"})`);
  const r = spawnSync("npm", args, { cwd: root, stdio: "inherit", env: process.env });
  const secs = ((Date.now() - t) / 1000).toFixed(0);
  if (r.status !== 0) {
    console.error(`\n✖ ${name} failed after ${secs} s`);
    console.log(`${done.length} passed, 1 failed`);
    process.exit(r.status ?? 1);
  }
  done.push(`${name} ${secs} s`);
}
console.log(`\n✔ ${done.join(" · ")} — ${((Date.now() - started) / 1000).toFixed(0)} s in all`);
console.log(`steps: ${done.length} passed, 0 failed`);
