/**
 * Runs at the start of every integration test file, in its worker process.
 *
 * A test file reaches a database only through `setupTestDatabase()` / `createTestDatabase()`
 * (tests/setup/db.ts). Until then the process is pointed at a throw-away embedded data dir and
 * DATABASE_URL is removed, so code that calls `getDb()` too early can never write into the
 * server's `postgres` database or the developer's `.data` folder.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll } from "vitest";
import { resetEnvCache } from "@/lib/env";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cumulus-test-data-"));
process.env.CUMULUS_DATA_DIR = dataDir;
delete process.env.DATABASE_URL;
resetEnvCache();

afterAll(() => {
  fs.rmSync(dataDir, { recursive: true, force: true });
});
