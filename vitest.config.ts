/**
 * Vitest: pure unit tests beside the code (lib/ and db/) and integration tests against a real
 * database (tests/integration). Browser tests (tests/e2e) belong to Playwright.
 *
 * Integration tests run on PostgreSQL when DATABASE_URL is set, on PGlite otherwise; every test
 * file gets its own clean, migrated database (tests/setup/db.ts), so files may run in parallel.
 */
import { fileURLToPath } from "node:url";
import { configDefaults, defineConfig } from "vitest/config";
// Evaluated here, in Vitest's main process, where the reporter needs them (see the file).
import "./tests/setup/node20-polyfills.mjs";

const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@\//, replacement: `${root}` },
      // `import "server-only"` throws outside a React Server Components bundle.
      { find: /^server-only$/, replacement: `${root}tests/setup/empty.ts` },
    ],
  },
  test: {
    environment: "node",
    // next-auth imports "next/server" without the ".js" Node's ESM resolver needs: let Vite
    // resolve it (auth-origin and sessions tests call Auth.js's route handlers).
    server: { deps: { inline: ["next-auth"] } },
    // tests/e2e is Playwright's (`npm run test:e2e`).
    exclude: [...configDefaults.exclude, "tests/e2e/**"],
    // One process per test file (each has its own database and module state); two workers for
    // the two cores of the build machine.
    pool: "forks",
    maxWorkers: 2,
    // The global setup's teardown drops this run's PostgreSQL databases.
    teardownTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["lib/**/*.test.ts", "db/**/*.test.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          // Creates and migrates the template database once per run (only when an integration
          // file is selected, so `vitest run lib` stays instant).
          globalSetup: ["tests/setup/global-setup.ts"],
          setupFiles: ["tests/setup/per-file.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
