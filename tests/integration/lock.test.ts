/**
 * The embedded database's data-dir lock (db/lock.ts), across real processes: a second process
 * must fail at once and clearly, never open the same PGlite files.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, inject, it } from "vitest";
import { createPgliteHandle } from "@/db/client";
import { DataDirInUseError, lockDataDir } from "@/db/lock";
import { runScript } from "@/scripts/lib/run-script";

const CHILD = fileURLToPath(new URL("./fixtures/data-dir-child.ts", import.meta.url));

type ChildResult = { code: number | null; out: { ok: boolean; pid: number; name?: string; message?: string; ms?: number } };

/** Runs the fixture in another Node process (tsx for TypeScript and the @/ alias). */
async function child(mode: "lock" | "open", dir: string): Promise<ChildResult> {
  const r = await runScript(CHILD, [mode, dir], {}, { timeoutMs: 60_000 });
  const line = r.stdout.trim().split("\n").at(-1) ?? "";
  try {
    return { code: r.code, out: JSON.parse(line) };
  } catch {
    throw new Error(`child printed no result (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  }
}

/** A pid that certainly belonged to a process that has exited. */
function deadPid(): Promise<number> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
    p.on("error", reject);
    p.on("exit", () => resolve(p.pid!));
  });
}

const pidFile = (dir: string) => path.join(dir, "cumulus.pid");

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "cumulus-lock-test-"));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("lockDataDir", () => {
  it("writes this process's pid and removes the file on release", () => {
    const release = lockDataDir(dir);
    expect(fs.readFileSync(pidFile(dir), "utf8")).toBe(String(process.pid));
    release();
    expect(fs.existsSync(pidFile(dir))).toBe(false);
    release(); // idempotent
  });

  it("makes another process fail with DataDirInUseError while held, and lets it in after release", async () => {
    const release = lockDataDir(dir);
    try {
      const blocked = await child("lock", dir);
      expect(blocked.code).toBe(3);
      expect(blocked.out.ok).toBe(false);
      expect(blocked.out.name).toBe("DataDirInUseError");
      // The exact message the user sees, naming the directory and the owner.
      expect(blocked.out.message).toBe(new DataDirInUseError(dir, process.pid).message);
      expect(blocked.out.message).toContain(`already in use by process ${process.pid}`);
      // The loser did not take the lock away from us.
      expect(fs.readFileSync(pidFile(dir), "utf8")).toBe(String(process.pid));
    } finally {
      release();
    }
    const after = await child("lock", dir);
    expect(after.out).toMatchObject({ ok: true });
    expect(after.code).toBe(0);
    // The child released its lock on the way out.
    expect(fs.existsSync(pidFile(dir))).toBe(false);
  });

  it("takes over a stale pid file whose owner is dead", async () => {
    const dead = await deadPid();
    fs.writeFileSync(pidFile(dir), String(dead));
    const release = lockDataDir(dir);
    expect(fs.readFileSync(pidFile(dir), "utf8")).toBe(String(process.pid));
    release();

    // …also from another process.
    fs.writeFileSync(pidFile(dir), String(dead));
    const other = await child("lock", dir);
    expect(other.out).toMatchObject({ ok: true });
  });

  it("takes over a pid file with garbage in it", () => {
    fs.writeFileSync(pidFile(dir), "not a pid\n");
    const release = lockDataDir(dir);
    expect(fs.readFileSync(pidFile(dir), "utf8")).toBe(String(process.pid));
    release();
  });

  it("refuses while a live process (not us) owns the file", () => {
    // The parent vitest process is alive and is not this worker.
    fs.writeFileSync(pidFile(dir), String(process.ppid));
    expect(() => lockDataDir(dir)).toThrow(DataDirInUseError);
    expect(fs.readFileSync(pidFile(dir), "utf8")).toBe(String(process.ppid));
  });

  it("does not delete a pid file that another process has taken over since", () => {
    const release = lockDataDir(dir);
    fs.writeFileSync(pidFile(dir), String(process.ppid)); // e.g. after a takeover
    release();
    expect(fs.readFileSync(pidFile(dir), "utf8")).toBe(String(process.ppid));
  });
});

describe("createPgliteHandle on a data dir", () => {
  it("fails at once in a second process while the first has it open, and opens after close", async () => {
    // The first holder: this process, with a real embedded database in `dir` (loaded from the
    // migrated template instead of running initdb, to keep the test fast).
    const info = inject("cumulusTestDb");
    const blob = info.kind === "pglite" ? await fs.openAsBlob(info.dumpFile) : undefined;
    const first = await createPgliteHandle(dir, { loadDataDir: blob });
    try {
      expect(fs.readFileSync(pidFile(dir), "utf8")).toBe(String(process.pid));
      const second = await child("open", dir);
      expect(second.code).toBe(3);
      expect(second.out.name).toBe("DataDirInUseError");
      expect(second.out.message).toMatch(/^The embedded database in .+ is already in use by process \d+\. Stop that process first/);
      expect(second.out.message).toContain(dir);
      // "At once": it failed on the lock, without starting the database (~1 s even when idle).
      expect(second.out.ms).toBeLessThan(500);
      // The first holder is unharmed.
      const client = (first.db as unknown as { $client: { query: (q: string) => Promise<{ rows: unknown[] }> } }).$client;
      expect((await client.query("select 1 as one")).rows).toEqual([{ one: 1 }]);
    } finally {
      await first.close();
    }
    expect(fs.existsSync(pidFile(dir))).toBe(false);
    const later = await child("open", dir);
    expect(later.out).toMatchObject({ ok: true });
  }, 90_000); // ~5 s when idle; generous for a loaded 2-core machine
});
