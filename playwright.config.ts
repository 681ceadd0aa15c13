import { defineConfig } from "@playwright/test";

// Started by scripts/e2e.mjs, which builds, seeds a fresh database and serves the panel.
const baseURL = process.env.E2E_BASE_URL ?? "http://localhost:3000";

export default defineConfig({
  testDir: "tests/e2e",
  outputDir: "test-results",
  fullyParallel: false,
  workers: 2,
  retries: 0,
  // CI's machine runs the suite about twice as slowly as a quiet 2-core machine, and some tests
  // (a payment with two axe checks and a hosted checkout) three times: room for that, not a wait.
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: process.env.CI ? [["list"]] : [["list"]],
  globalSetup: "./tests/e2e/global-setup.ts",
  use: {
    baseURL,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.E2E_CHROMIUM || undefined,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"],
    },
  },
  projects: [
    // Every spec at a desktop size; the walk (tests/e2e/walk.spec.ts) covers the phone and the
    // tablet, and runs as its own step after the others (scripts/e2e.mjs): it makes payments.
    { name: "chromium", testIgnore: /walk\.spec\.ts$/, use: { browserName: "chromium", viewport: { width: 1440, height: 900 } } },
    { name: "walk", testMatch: /walk\.spec\.ts$/, use: { browserName: "chromium" } },
  ],
});
