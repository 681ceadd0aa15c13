/**
 * Runs once when a server process starts, before it serves a request. NEXT_RUNTIME is read
 * literally, not through lib/env.ts: Next.js writes its value into each runtime's bundle, which
 * is what keeps the Node-only imports below out of an edge bundle.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const [{ prepareServer }, demoSeed] = await Promise.all([import("./lib/server-start"), import("./scripts/seed")]);
  await prepareServer(demoSeed);
}

/**
 * Next.js calls this for every error a page, route handler or server action did not handle. A
 * connection failure marks the database unavailable: the proxy then answers 503 until a probe
 * reaches it again (db/health.ts).
 */
export async function onRequestError(err: unknown): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { noteDatabaseError } = await import("./db/health");
  noteDatabaseError(err);
}
