/**
 * PostgreSQL for the fault tests: a private server (initdb into a temporary folder, its own port,
 * trust authentication on 127.0.0.1 only) that the tests may stop and start at will, never the
 * shared one. As root, initdb and pg_ctl run as the `postgres` user (PostgreSQL refuses root).
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { createPostgresHandle, migrate, type Database } from "@/db/client";
import { freePort } from "./ports";

export type PrivatePostgres = {
  port: number;
  dataDir: string;
  /** postgres://USER@127.0.0.1:PORT/DB */
  url(database: string, user?: string): string;
  /** pg_ctl stop -m fast: sessions are ended, committed work is kept. */
  stop(): Promise<void>;
  start(): Promise<void>;
  running(): boolean;
  /** Stops the server and deletes its folder. */
  destroy(): void;
  log(): string;
};

/** The folder of initdb/pg_ctl: $PG_BIN, else the newest /usr/lib/postgresql/N/bin, else pg_config --bindir. */
export function findPgBin(): string | null {
  const has = (dir: string) => fs.existsSync(path.join(dir, "initdb")) && fs.existsSync(path.join(dir, "pg_ctl"));
  if (process.env.PG_BIN) return has(process.env.PG_BIN) ? process.env.PG_BIN : null;
  const base = "/usr/lib/postgresql";
  if (fs.existsSync(base)) {
    const versions = fs.readdirSync(base).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
    for (const v of versions) if (has(path.join(base, v, "bin"))) return path.join(base, v, "bin");
  }
  const r = spawnSync("pg_config", ["--bindir"], { encoding: "utf8" });
  const dir = r.status === 0 ? r.stdout.trim() : "";
  return dir && has(dir) ? dir : null;
}

function osUser(name: string): { uid: number; gid: number } | null {
  const line = fs
    .readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .find((l) => l.startsWith(`${name}:`));
  if (!line) return null;
  const f = line.split(":");
  return { uid: Number(f[2]), gid: Number(f[3]) };
}

export async function startPrivatePostgres(log: (line: string) => void): Promise<PrivatePostgres> {
  const bin = findPgBin();
  if (!bin) throw new Error("PostgreSQL's initdb and pg_ctl were not found (set PG_BIN)");
  const isRoot = process.getuid?.() === 0;
  const pgUser = isRoot ? osUser("postgres") : null;
  if (isRoot && !pgUser) throw new Error("running as root, and there is no `postgres` user to run PostgreSQL as");
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "cumulus-faults-pg-"));
  const dataDir = path.join(root, "data");
  const logFile = path.join(root, "server.log");
  if (pgUser) fs.chownSync(root, pgUser.uid, pgUser.gid);
  const port = await freePort();

  const run = (tool: string, args: string[], check = true) => {
    const cmd = path.join(bin, tool);
    const r = isRoot
      ? spawnSync("runuser", ["-u", "postgres", "--", cmd, ...args], { encoding: "utf8", cwd: root })
      : spawnSync(cmd, args, { encoding: "utf8", cwd: root });
    if (check && r.status !== 0) throw new Error(`${tool} ${args.join(" ")} failed (${r.status}):\n${r.stderr}${r.stdout}`);
    return r;
  };

  // Asynchronous, so that the clients of a test keep running while the server stops or starts.
  const runAsync = (tool: string, args: string[]) =>
    new Promise<void>((resolve, reject) => {
      const cmd = path.join(bin, tool);
      const child = isRoot ? spawn("runuser", ["-u", "postgres", "--", cmd, ...args], { cwd: root }) : spawn(cmd, args, { cwd: root });
      let output = "";
      child.stdout.on("data", (d: Buffer) => (output += String(d)));
      child.stderr.on("data", (d: Buffer) => (output += String(d)));
      child.on("error", reject);
      child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`${tool} ${args.join(" ")} failed (${code}):\n${output}`))));
    });

  run("initdb", ["-D", dataDir, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync"]);
  // Only TCP on 127.0.0.1; the socket goes into our folder, not the shared /var/run/postgresql.
  const options = `-p ${port} -c listen_addresses=127.0.0.1 -k ${root} -c max_connections=200`;
  const start = () => runAsync("pg_ctl", ["-D", dataDir, "-l", logFile, "-o", options, "-w", "-t", "60", "start"]);
  const stop = () => runAsync("pg_ctl", ["-D", dataDir, "-m", "fast", "-w", "-t", "60", "stop"]);
  const running = () => run("pg_ctl", ["-D", dataDir, "status"], false).status === 0;
  await start();
  log(`private PostgreSQL (${path.basename(path.dirname(bin))}) on 127.0.0.1:${port}, data in ${dataDir}`);

  let destroyed = false;
  const destroy = () => {
    if (destroyed) return;
    destroyed = true;
    if (running()) run("pg_ctl", ["-D", dataDir, "-m", "immediate", "-w", "stop"], false);
    fs.rmSync(root, { recursive: true, force: true });
  };
  process.on("exit", destroy);
  return {
    port,
    dataDir,
    url: (database, user = "postgres") => `postgres://${user}@127.0.0.1:${port}/${database}`,
    stop,
    start,
    running,
    destroy,
    log: () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, "utf8") : ""),
  };
}

const ident = (name: string) => {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`unexpected identifier ${name}`);
  return `"${name}"`;
};

/** A new, empty database `name` (dropped first when it exists) on the server of `adminUrl`. */
export async function createDatabase(adminUrl: string, name: string): Promise<string> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists ${ident(name)} with (force)`);
    await admin.unsafe(`create database ${ident(name)}`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists ${ident(name)} with (force)`);
  } finally {
    await admin.end({ timeout: 5 });
  }
}

/** Opens `url` as the owner, applies the migrations, hands the database to `fn`, closes. */
export async function withMigratedDatabase<T>(url: string, fn: (db: Database, sql: postgres.Sql) => Promise<T>): Promise<T> {
  const handle = createPostgresHandle(url, 4);
  try {
    await migrate(handle.db, "postgres");
    return await fn(handle.db, (handle.db as unknown as { $client: postgres.Sql }).$client);
  } finally {
    await handle.close();
  }
}
