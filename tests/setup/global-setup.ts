/**
 * Runs once per `vitest run`, in the main process, before any integration test file: prepares
 * one migrated template database that every test file copies (tests/setup/db.ts).
 *
 * - PostgreSQL (DATABASE_URL set): creates a template database with a name unique to this run
 *   on DATABASE_URL's server, migrates it, and drops it (and any per-file database of this run
 *   a crashed worker left behind) in teardown. Databases of other runs or other people are
 *   never touched.
 * - PGlite: creating an in-memory PGlite runs initdb (~2.5–4.5 s here), loading a dump of an
 *   already migrated one takes ~0.7–1 s. The dump (uncompressed tar, ~40 MB) is kept in the
 *   OS temp dir, keyed by a hash of db/migrations and the PGlite/drizzle versions, so later runs
 *   skip even the one initdb. CUMULUS_TEST_FRESH_TEMPLATE=1 forces a rebuild.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { createPgliteHandle, createPostgresHandle, migrate } from "@/db/client";
import { databaseUrl, quoteIdent, type TestDbInfo } from "./shared";

const MIGRATIONS = path.join(process.cwd(), "db", "migrations");
const DUMP_PREFIX = "cumulus-vitest-pglite-";

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const url = process.env.DATABASE_URL;
  const started = performance.now();
  const info = url ? await setupPostgres(url) : await setupPglite();
  project.provide("cumulusTestDb", info.provided);
  if (process.env.CUMULUS_TEST_TIMING) {
    console.log(`[test-db] ${info.provided.kind} template ready in ${(performance.now() - started).toFixed(0)} ms`);
  }
  return info.teardown;
}

async function setupPostgres(adminUrl: string) {
  // Unique per run: a timestamp and the pid of this (the main vitest) process.
  const template = `cumulus_test_${Date.now().toString(36)}_${process.pid}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    await admin.unsafe(`create database ${quoteIdent(template)}`);
  } catch (err) {
    await admin.end({ timeout: 1 });
    throw new Error(`Integration tests could not create a database on DATABASE_URL's server: ${(err as Error).message}`);
  }
  try {
    await admin.unsafe(`comment on database ${quoteIdent(template)} is 'Cumulus vitest template, run of pid ${process.pid}'`);
    const handle = createPostgresHandle(databaseUrl(adminUrl, template), 2);
    try {
      await migrate(handle.db, "postgres");
    } finally {
      // CREATE DATABASE … TEMPLATE fails while anyone is connected to the template.
      await handle.close();
    }
  } catch (err) {
    await admin.unsafe(`drop database if exists ${quoteIdent(template)} with (force)`).catch(() => {});
    await admin.end({ timeout: 1 });
    throw err;
  }

  const teardown = async () => {
    try {
      // The template, and per-file databases of this run whose worker died before its afterAll.
      const leftovers = await admin<{ datname: string }[]>`
        select datname from pg_database where datname = ${template} or starts_with(datname, ${`${template}_`})`;
      for (const { datname } of leftovers.sort((a, b) => b.datname.length - a.datname.length)) {
        await admin.unsafe(`drop database if exists ${quoteIdent(datname)} with (force)`);
      }
    } finally {
      await admin.end({ timeout: 5 });
    }
  };
  return { provided: { kind: "postgres", adminUrl, template } satisfies TestDbInfo, teardown };
}

function templateKey(): string {
  const hash = crypto.createHash("sha256");
  for (const pkg of ["@electric-sql/pglite", "drizzle-orm"]) {
    const manifest = path.join(process.cwd(), "node_modules", pkg, "package.json");
    hash.update(`${pkg}@${(JSON.parse(fs.readFileSync(manifest, "utf8")) as { version: string }).version}\n`);
  }
  const walk = (dir: string): string[] =>
    fs
      .readdirSync(dir, { withFileTypes: true })
      .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]))
      .sort();
  for (const file of walk(MIGRATIONS)) {
    hash.update(path.relative(MIGRATIONS, file));
    hash.update(fs.readFileSync(file));
  }
  return hash.digest("hex").slice(0, 16);
}

async function setupPglite() {
  const dumpFile = path.join(os.tmpdir(), `${DUMP_PREFIX}${templateKey()}.tar`);
  if (process.env.CUMULUS_TEST_FRESH_TEMPLATE || !fs.existsSync(dumpFile)) {
    const handle = await createPgliteHandle(undefined);
    try {
      await migrate(handle.db, "pglite");
      const client = (handle.db as unknown as { $client: import("@electric-sql/pglite").PGlite }).$client;
      // Uncompressed: loading it is ~0.3 s faster per file than the gzip variant (41 vs 5 MB).
      const blob = await client.dumpDataDir("none");
      // Write-then-rename: a concurrent run never reads half a file.
      const tmp = `${dumpFile}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, Buffer.from(await blob.arrayBuffer()));
      fs.renameSync(tmp, dumpFile);
    } finally {
      await handle.close();
    }
  } else {
    // Marks it as in use for the clean-up below, run by other checkouts.
    const now = new Date();
    fs.utimesSync(dumpFile, now, now);
  }
  // Dumps of older migrations (this harness's files only) are removed after a day.
  for (const name of fs.readdirSync(os.tmpdir())) {
    const file = path.join(os.tmpdir(), name);
    if (!name.startsWith(DUMP_PREFIX) || file === dumpFile) continue;
    try {
      if (Date.now() - fs.statSync(file).mtimeMs > 86_400_000) fs.rmSync(file, { force: true });
    } catch {
      /* raced with another run */
    }
  }
  return { provided: { kind: "pglite", dumpFile } satisfies TestDbInfo, teardown: async () => {} };
}
