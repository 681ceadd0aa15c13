/**
 * PGlite has no postmaster: nothing stops a second process from opening the same data
 * directory, which corrupts it. We keep a pid file beside the data, like PostgreSQL's
 * postmaster.pid: a live owner makes the second process fail at once; a dead owner's file
 * (kill -9) is taken over, so a crash never needs manual clean-up.
 */
import fs from "node:fs";
import path from "node:path";
import { processSingleton } from "./singleton";

export class DataDirInUseError extends Error {
  constructor(dir: string, pid: number) {
    super(
      `The embedded database in ${dir} is already in use by process ${pid}. ` +
        `Stop that process first (or set CUMULUS_DATA_DIR to another folder, or DATABASE_URL to a PostgreSQL server).`,
    );
    this.name = "DataDirInUseError";
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

// Folders this process holds: opening one twice in a process would corrupt it just the same.
const held = processSingleton("lockedDirs", () => new Set<string>());

/**
 * Takes the lock for `dir` or throws DataDirInUseError; returns the function that releases it.
 * Two processes starting in the same instant after a crash could both take over the dead
 * owner's file; starting servers one at a time (as `npm start` does) avoids that.
 */
export function lockDataDir(dir: string): () => void {
  const key = path.resolve(dir);
  if (held.has(key)) throw new DataDirInUseError(dir, process.pid);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, "cumulus.pid");
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: "wx" });
      held.add(key);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        held.delete(key);
        try {
          if (fs.readFileSync(file, "utf8").trim() === String(process.pid)) fs.unlinkSync(file);
        } catch {
          /* already gone */
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const owner = Number.parseInt(fs.readFileSync(file, "utf8").trim(), 10);
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
        throw new DataDirInUseError(dir, owner);
      }
      // The owner is gone (or the pid was reused by us after a restart): take over.
      fs.rmSync(file, { force: true });
    }
  }
  throw new Error(`Could not lock ${dir}`);
}
