/**
 * The server under test: `next start` of the production build, in its own process group, on a
 * fixed port and with a fixed AUTH_SECRET, so that it can be killed with SIGKILL and started
 * again where it was (the clients' sessions stay valid, as after a real crash and restart).
 */
import { spawnNext, waitUntilReady } from "./next-process";

export type NextServer = {
  baseUrl: string;
  /** Process group leader (`next start`). */
  pid: number;
  alive(): boolean;
  /** SIGKILL to the whole process group, as `kill -9` would; resolves once it has exited. */
  kill9(): Promise<void>;
  /** SIGTERM, then SIGKILL after 5 s. */
  stop(): Promise<void>;
  log(): string;
};

export type ServerOptions = {
  port: number;
  databaseUrl: string;
  authSecret: string;
  log: (line: string) => void;
  env?: Record<string, string>;
  readyTimeoutMs?: number;
};

export async function startNext(o: ServerOptions): Promise<NextServer> {
  const baseUrl = `http://127.0.0.1:${o.port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    PORT: String(o.port),
    DATABASE_URL: o.databaseUrl,
    AUTH_SECRET: o.authSecret,
    // The clients' origin; they pay with the sandbox's test cards.
    APP_URL: baseUrl,
    CUMULUS_ALLOW_SANDBOX: "true",
    NEXT_TELEMETRY_DISABLED: "1",
    // Queued email is not what these tests look at.
    CUMULUS_OUTBOX_INTERVAL_MS: "0",
    ...o.env,
  };
  delete env.CUMULUS_ALLOW_EMBEDDED;
  const child = spawnNext({ port: o.port, env, keepLines: 2000 });
  const server: NextServer = {
    baseUrl,
    pid: child.leader,
    alive: child.alive,
    kill9: child.kill9,
    stop: child.stop,
    log: child.log,
  };
  await waitUntilReady(child, o.readyTimeoutMs, 100);
  return server;
}
