/**
 * Whether this server process can reach its PostgreSQL server, for a clear 503 instead of error
 * pages while the database is away (a restart, a fail-over, a network cut).
 *
 * - Any request that fails with a connection error (instrumentation.ts's onRequestError) marks
 *   the database unavailable.
 * - While it is marked, the proxy answers every page and route with 503 and `Retry-After`
 *   (lib/db-health.ts) before any application code runs, so nothing is half-done; at most once a second one
 *   request first asks the database (`select 1`, 2 s at most) and the first answer clears the
 *   mark: the server recovers by itself, without a restart.
 * - Requests already running when the database goes away fail with it; their transactions are
 *   rolled back by PostgreSQL, and pages show app/error.tsx (status 500: Next.js gives a page
 *   that throws no other status).
 *
 * The state is one per process (db/singleton.ts): the proxy, instrumentation and the app's routes are separate
 * module graphs in one process. Only a PostgreSQL handle registers a probe; without one (the
 * embedded database) nothing is ever marked.
 */

import { processSingleton } from "./singleton";

type HealthState = {
  unavailableSince: number | null;
  lastError: string | null;
  lastProbeAt: number;
  probe: (() => Promise<void>) | null;
  probing: Promise<void> | null;
};

const state: HealthState = processSingleton("dbHealth", () => ({
  unavailableSince: null,
  lastError: null,
  lastProbeAt: 0,
  probe: null,
  probing: null,
}));

export const PROBE_INTERVAL_MS = 1000;
export const PROBE_TIMEOUT_MS = 2000;

// Node's socket errors and postgres.js's own connection errors.
const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
]);
// SQLSTATE: 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now; class 08 is
// "connection exception".
export const SHUTDOWN_SQLSTATES = new Set(["57P01", "57P02", "57P03"]);

/** Is this (or what caused it) a failure to reach the database, as opposed to a failing query? */
export function isDatabaseUnavailableError(err: unknown, depth = 0): boolean {
  if (depth > 5 || typeof err !== "object" || err === null) return false;
  const e = err as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === "string" && (CONNECTION_CODES.has(e.code) || SHUTDOWN_SQLSTATES.has(e.code) || /^08[0-9A-Z]{3}$/.test(e.code))) {
    return true;
  }
  // Node reports a refused connection to every address of a name as an AggregateError.
  if (Array.isArray(e.errors) && e.errors.some((x) => isDatabaseUnavailableError(x, depth + 1))) return true;
  return isDatabaseUnavailableError(e.cause, depth + 1);
}

/** db/postgres.ts registers how to ask the PostgreSQL server whether it answers. */
export function registerDatabaseProbe(probe: (() => Promise<void>) | null): void {
  state.probe = probe;
  if (!probe) state.unavailableSince = null;
}

/** Marks the database unavailable when `err` is a connection failure; returns whether it did. */
export function noteDatabaseError(err: unknown): boolean {
  if (!state.probe || !isDatabaseUnavailableError(err)) return false;
  if (state.unavailableSince === null) {
    state.unavailableSince = Date.now();
    console.error(`Cumulus: the database is unreachable (${describe(err)}); answering 503 until it is back.`);
  }
  state.lastError = describe(err);
  return true;
}

function describe(err: unknown): string {
  for (let e = err as { code?: unknown; message?: unknown; cause?: unknown } | undefined, i = 0; e && i < 5; e = e.cause as typeof e, i++) {
    if (typeof e.code === "string") return typeof e.message === "string" && e.message ? `${e.code}: ${e.message}` : e.code;
  }
  return err instanceof Error ? err.message : String(err);
}

async function probeOnce(probe: () => Promise<void>): Promise<void> {
  state.lastProbeAt = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(Object.assign(new Error("probe timed out"), { code: "CONNECT_TIMEOUT" })), PROBE_TIMEOUT_MS);
      }),
    ]);
    if (state.unavailableSince !== null) {
      console.error(`Cumulus: the database answers again after ${((Date.now() - state.unavailableSince) / 1000).toFixed(1)} s.`);
    }
    state.unavailableSince = null;
    state.lastError = null;
  } catch (err) {
    state.lastError = describe(err);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * True while the database is known to be unreachable. Costs nothing while it is reachable; while
 * it is not, one caller a second waits for a probe (others answer at once from the last one).
 */
export async function databaseUnavailable(): Promise<boolean> {
  if (state.unavailableSince === null || !state.probe) return false;
  if (!state.probing && Date.now() - state.lastProbeAt >= PROBE_INTERVAL_MS) {
    state.probing = probeOnce(state.probe).finally(() => {
      state.probing = null;
    });
  }
  if (state.probing) await state.probing;
  return state.unavailableSince !== null;
}

/** What the health state says now (for logs and tests). */
export function databaseHealth(): { unavailableSince: number | null; lastError: string | null } {
  return { unavailableSince: state.unavailableSince, lastError: state.lastError };
}
