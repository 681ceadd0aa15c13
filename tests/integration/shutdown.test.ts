/** SIGTERM and SIGINT close the embedded database cleanly: the lock is released and the data is there on the next open. */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createPgliteHandle, migrate, rows } from "@/db/client";

const child = path.join(import.meta.dirname, "fixtures", "serve-child.ts");

async function serveAndSignal(dir: string, signal: NodeJS.Signals): Promise<number | null> {
  const p = spawn(process.execPath, ["--import", "tsx", child], {
    env: { ...process.env, CUMULUS_DATA_DIR: dir, DATABASE_URL: "", NODE_ENV: "development" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    p.stdout.on("data", (d) => String(d).includes("ready") && resolve());
    p.once("exit", (code) => reject(new Error(`child exited early with ${code}`)));
  });
  expect(fs.existsSync(path.join(dir, "cumulus.pid"))).toBe(true);
  p.kill(signal);
  return new Promise((resolve) => p.once("exit", (code) => resolve(code)));
}

describe("shutdown of the embedded database", () => {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    it(`${signal}: closes cleanly, releases the lock, keeps the data`, { timeout: 60_000 }, async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cumulus-shutdown-"));
      try {
        const code = await serveAndSignal(dir, signal);
        expect(code).toBe(signal === "SIGTERM" ? 143 : 130);
        expect(fs.existsSync(path.join(dir, "cumulus.pid"))).toBe(false);
        const h = await createPgliteHandle(dir);
        await migrate(h.db, "pglite");
        const r = await rows<{ next_value: string | bigint }>(h.db, sql`select next_value from number_sequences where name = 'shutdown-test'`);
        expect(String(r[0]?.next_value)).toBe("7");
        await h.close();
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
