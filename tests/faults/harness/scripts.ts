/** Runs the project's command-line scripts (`npm run …`'s tsx entry points) as a person would. */
import { spawn } from "node:child_process";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..", "..", "..");

export type ScriptRun = { code: number; stdout: string; stderr: string; ms: number };

export function runScript(script: string, args: string[], env: Record<string, string>): Promise<ScriptRun> {
  const started = Date.now();
  const tsx = path.join(root, "node_modules", ".bin", "tsx");
  const child = spawn(tsx, [path.join(root, "scripts", script), ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += String(d)));
  child.stderr.on("data", (d: Buffer) => (stderr += String(d)));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr, ms: Date.now() - started }));
  });
}

/** `npm run db:roles` against `ownerUrl`; returns the application role's URL. */
export async function applyAppRole(ownerUrl: string, role = "cumulus_app"): Promise<{ appUrl: string; output: string }> {
  const r = await runScript("db-roles.ts", ["--role", role], { DATABASE_URL: ownerUrl });
  if (r.code !== 0) throw new Error(`npm run db:roles failed (${r.code}):\n${r.stdout}${r.stderr}`);
  const u = new URL(ownerUrl);
  u.username = role;
  u.password = "";
  return { appUrl: u.toString(), output: r.stdout };
}
