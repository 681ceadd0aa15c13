/** The embedded database: PGlite in a data folder (or in memory), locked against a second process. */
import fs from "node:fs";
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import type { Database, Handle } from "./handle";
import { lockDataDir } from "./lock";
import { migrate } from "./migrate";
import * as schema from "./schema";
import { closeOnSignals } from "./shutdown";

/** Opens (or creates) an embedded database; `dataDir` undefined means in memory. */
export async function createPgliteHandle(
  dataDir: string | undefined,
  opts: { lock?: boolean; loadDataDir?: Blob } = {},
): Promise<Handle> {
  // Lock first: a second process fails at once, before loading PGlite.
  let release = () => {};
  if (dataDir) {
    fs.mkdirSync(dataDir, { recursive: true });
    if (opts.lock !== false) release = lockDataDir(dataDir);
  }
  const { PGlite, types } = await import("@electric-sql/pglite");
  const { drizzle: drizzlePglite } = await import("drizzle-orm/pglite");
  let client: PGlite;
  try {
    client = await PGlite.create(dataDir ? path.join(dataDir, "pgdata") : undefined, {
      loadDataDir: opts.loadDataDir,
      // PGlite decodes bytea in JS, slowly; hex → bytes with Buffer is much faster.
      parsers: { [types.BYTEA]: (value: string) => new Uint8Array(Buffer.from(value.slice(2), "hex")) },
    });
  } catch (err) {
    release();
    throw err;
  }
  const db = drizzlePglite(client, { schema }) as unknown as Database;
  return {
    db,
    kind: "pglite",
    ready: Promise.resolve(),
    close: async () => {
      try {
        await client.close();
      } finally {
        release();
      }
    },
  };
}

/**
 * The server's embedded database, migrated on open and closed cleanly on SIGTERM/SIGINT. It
 * opens asynchronously; queries wait for it through a proxy so that callers keep one synchronous
 * `getDb()`.
 */
export function createEmbeddedHandle(dataDir: string): Handle {
  let inner: Database | undefined;
  const opening = createPgliteHandle(dataDir).then(async (h) => {
    await migrate(h.db, "pglite");
    inner = h.db;
    handle.close = h.close;
    return h;
  });
  const handle: Handle = {
    kind: "pglite",
    ready: opening.then(() => undefined),
    close: async () => {
      await (await opening).close();
    },
    db: new Proxy({} as Database, {
      get(_t, prop) {
        if (!inner) throw new Error("The embedded database is still opening: await databaseReady() first.");
        const value = Reflect.get(inner, prop, inner);
        return typeof value === "function" ? value.bind(inner) : value;
      },
    }),
  };
  closeOnSignals(() => handle.close());
  return handle;
}
