/**
 * Vitest: pure unit tests beside the code (lib/**\/*.test.ts) and integration tests against a
 * real database (tests/integration). Browser tests (tests/e2e) belong to Playwright.
 *
 * Integration tests run on PostgreSQL when DATABASE_URL is set, on PGlite otherwise; every test
 * file gets its own clean, migrated database (tests/setup/db.ts), so files may run in parallel.
 */
import { fileURLToPath } from "node:url";
import { configDefaults, defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));

// Vitest 5 requires Node ≥ 22 and its main process calls Map.groupBy (to print a failed test),
// Object.groupBy (to save snapshots) and Promise.withResolvers (watch mode), which Node 20
// lacks: without these, the first failing test crashes the reporter instead of being shown.
// This file is evaluated in that main process. Remove once the project runs on Node ≥ 22.
if (typeof Map.groupBy !== "function") {
  Object.defineProperty(Map, "groupBy", {
    configurable: true,
    writable: true,
    value<K, T>(items: Iterable<T>, key: (item: T, index: number) => K): Map<K, T[]> {
      const groups = new Map<K, T[]>();
      let i = 0;
      for (const item of items) {
        const k = key(item, i++);
        const list = groups.get(k);
        if (list) list.push(item);
        else groups.set(k, [item]);
      }
      return groups;
    },
  });
}
if (typeof Object.groupBy !== "function") {
  Object.defineProperty(Object, "groupBy", {
    configurable: true,
    writable: true,
    value<T>(items: Iterable<T>, key: (item: T, index: number) => PropertyKey) {
      const groups = Object.create(null) as Record<PropertyKey, T[]>;
      let i = 0;
      for (const item of items) (groups[key(item, i++)] ??= []).push(item);
      return groups;
    },
  });
}
if (typeof Promise.withResolvers !== "function") {
  Object.defineProperty(Promise, "withResolvers", {
    configurable: true,
    writable: true,
    value<T>() {
      let resolve!: (value: T | PromiseLike<T>) => void;
      let reject!: (reason?: unknown) => void;
      const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}

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
