/** Runs once when a server process starts, before it serves a request. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { prepareServer } = await import("./lib/server-start");
  await prepareServer();
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
