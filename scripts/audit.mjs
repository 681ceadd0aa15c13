#!/usr/bin/env node
/**
 * `npm audit --omit=dev` with a verdict: exits 1 when a production dependency has a high or
 * critical advisory. When the registry's audit endpoint cannot be reached (some mirrors and
 * sandboxes answer 405), it says so plainly and exits 0: no verdict is not a failure.
 */
import { spawnSync } from "node:child_process";

const r = spawnSync("npm", ["audit", "--omit=dev", "--json"], { encoding: "utf8" });
let report;
try {
  report = JSON.parse(r.stdout);
} catch {
  report = null;
}
if (!report || report.error || !report.metadata) {
  const why = report?.error?.summary || r.stderr.split("\n").find((l) => /audit/i.test(l) && !/nodedir/.test(l)) || "no answer";
  console.log(`npm audit: the advisory database could not be reached (${why.trim()}); no verdict.`);
  process.exit(0);
}
const v = report.metadata.vulnerabilities ?? {};
const serious = (v.high ?? 0) + (v.critical ?? 0);
console.log(`npm audit (production dependencies): ${v.critical ?? 0} critical, ${v.high ?? 0} high, ${v.moderate ?? 0} moderate, ${v.low ?? 0} low`);
if (serious > 0) {
  for (const [name, info] of Object.entries(report.vulnerabilities ?? {})) {
    if (info.severity === "high" || info.severity === "critical") console.log(`  ${info.severity}: ${name} ${info.range ?? ""}`);
  }
  process.exit(1);
}
