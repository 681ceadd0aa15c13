/** The benchmark's result table (terminal) and its JSON record (bench-results/). */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Load } from "./http";

export type Check = {
  id: string;
  label: string;
  value: number | null;
  unit: string;
  /** e.g. "≥ 12 % of static", "< 100 ms". */
  target: string;
  /** null: informational, or not measured. */
  pass: boolean | null;
  note?: string;
};

export function check(
  id: string,
  label: string,
  value: number | null,
  unit: string,
  target: string,
  pass: ((v: number) => boolean) | null,
  note?: string,
): Check {
  // Infinity stands for "nothing completed" (a load without a single response): it misses.
  const ok = value === null || Number.isNaN(value) || pass === null ? null : pass(value);
  return { id, label, value, unit, target, pass: ok, note };
}

function fmt(value: number | null, unit: string): string {
  if (value === null || Number.isNaN(value)) return "—";
  if (!Number.isFinite(value)) return "n/a";
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  const n = value.toLocaleString("en", { minimumFractionDigits: digits, maximumFractionDigits: digits });
  if (unit === "%") return `${n} %`;
  if (unit === "×") return `${n}×`;
  return unit ? `${n} ${unit}` : n;
}

function table(headers: string[], rows: string[][], right: boolean[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (right[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ").trimEnd();
  return [line(headers), widths.map((w) => "─".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

export function checksTable(checks: Check[]): string {
  return table(
    ["Figure", "Value", "Target", "Result"],
    checks.map((c) => [
      c.label,
      fmt(c.value, c.unit),
      c.target,
      (c.pass === null ? (c.target === "" ? "info" : "—") : c.pass ? "PASS" : "MISS") + (c.note ? `  (${c.note})` : ""),
    ]),
    [false, true, false, false],
  );
}

export function loadsTable(loads: Load[], staticRps: number | null): string {
  return table(
    ["Load", "conn", "s", "requests", "req/s", "vs static", "p50 ms", "p90 ms", "p99 ms", "max ms", "non-2xx", "errors"],
    loads.map((l) => [
      l.label,
      String(l.connections),
      l.seconds.toFixed(1),
      String(l.requests),
      l.reqPerSec.toFixed(0),
      staticRps ? `${((100 * l.reqPerSec) / staticRps).toFixed(1)} %` : "—",
      l.p50.toFixed(0),
      l.p90.toFixed(0),
      l.p99.toFixed(0),
      l.max.toFixed(0),
      String(l.non2xx),
      String(l.errors + l.timeouts),
    ]),
    [false, true, true, true, true, true, true, true, true, true, true, true],
  );
}

export function machine() {
  return {
    nproc: os.availableParallelism(),
    cpu: os.cpus()[0]?.model ?? "unknown",
    memoryMb: Math.round(os.totalmem() / 1024 / 1024),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))),
  };
}

/** Writes bench-results/latest.json and a dated copy; returns the paths. */
export function writeResults(dir: string, record: Record<string, unknown>): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const text = JSON.stringify(record, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2) + "\n";
  const latest = path.join(dir, "latest.json");
  const dated = path.join(dir, `bench-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
  fs.writeFileSync(latest, text);
  fs.writeFileSync(dated, text);
  return [latest, dated];
}
