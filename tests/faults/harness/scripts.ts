/** Runs the project's command-line scripts (`npm run …`'s tsx entry points) as a person would. */
import { runScript as runCliScript } from "@/scripts/lib/run-script";

/** `scripts/<script>` as `npm run` starts it, with extra environment. */
export function runScript(script: string, args: string[], env: Record<string, string>) {
  return runCliScript(`scripts/${script}`, args, env);
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
