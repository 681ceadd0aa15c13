/** Runs the project's command-line scripts (`npm run …`'s tsx entry points) as a person would. */
import { runScript } from "@/scripts/lib/run-script";

/** `npm run db:roles` against `ownerUrl`; returns the application role's URL. */
export async function applyAppRole(ownerUrl: string, role = "cumulus_app"): Promise<{ appUrl: string; output: string }> {
  const r = await runScript("scripts/db-roles.ts", ["--role", role], { DATABASE_URL: ownerUrl });
  if (r.code !== 0) throw new Error(`npm run db:roles failed (${r.code}):\n${r.stdout}${r.stderr}`);
  const u = new URL(ownerUrl);
  u.username = role;
  u.password = "";
  return { appUrl: u.toString(), output: r.stdout };
}
