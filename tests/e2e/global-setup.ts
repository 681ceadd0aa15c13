/** Logs each demo user in once and keeps the session for the specs' per-role fixtures. */
import fs from "node:fs";
import path from "node:path";
import { chromium, type FullConfig } from "@playwright/test";
import { ROLES, storageStatePath } from "./roles";

export default async function globalSetup(config: FullConfig) {
  const use = config.projects[0]!.use;
  const browser = await chromium.launch(use.launchOptions);
  fs.mkdirSync(path.dirname(storageStatePath("demo")), { recursive: true });
  for (const [role, email] of Object.entries(ROLES)) {
    const page = await browser.newPage({ baseURL: use.baseURL });
    await page.goto("/login");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("cumulus-demo-2026");
    await page.getByRole("button", { name: "Log in" }).click();
    await page.waitForURL((u) => !u.pathname.startsWith("/login"));
    await page.context().storageState({ path: storageStatePath(role as keyof typeof ROLES) });
    await page.close();
  }
  await browser.close();
}
