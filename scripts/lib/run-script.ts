/**
 * One of the project's command-line scripts as its own process, started as `npm run` starts it
 * (node + tsx's loader, from the repository root), with extra environment such as a
 * DATABASE_URL. Used by the integration tests, the fault harness and the billing bench.
 */
import { spawn } from "node:child_process";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..", "..");

export type ScriptRun = {
  /** The exit code; null when a signal ended the process. */
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
};

export type RunningScript = Promise<ScriptRun> & { pid: number | undefined; kill: (signal: NodeJS.Signals) => void };

/**
 * `script` is a path from the repository root (e.g. "scripts/billing-run.ts") or an absolute
 * one; `timeoutMs` ends a script that hangs (SIGTERM), which then answers code null;
 * `onStderr` sees its stderr as it comes (a progress line while the script runs).
 */
export function runScript(
  script: string,
  args: string[],
  env: Record<string, string> = {},
  opts: { timeoutMs?: number; onStderr?: (text: string) => void } = {},
): RunningScript {
  const started = performance.now();
  const child = spawn(process.execPath, ["--import", "tsx", script, ...args], {
    cwd: ROOT,
    timeout: opts.timeoutMs,
    // The caller's NODE_OPTIONS (e.g. Vitest's loaders) must not reach the script.
    env: { ...process.env, NODE_OPTIONS: "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
    opts.onStderr?.(d.toString());
  });
  const done = new Promise<ScriptRun>((resolve, reject) => {
    child.on("error", reject);
    // "close", not "exit": the output streams have ended too, so nothing printed last is lost.
    child.on("close", (code) => resolve({ code, stdout, stderr, ms: performance.now() - started }));
  });
  return Object.assign(done, { pid: child.pid, kill: (signal: NodeJS.Signals) => void child.kill(signal) });
}
