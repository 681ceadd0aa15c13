/**
 * The production build's server as a child in its own process group (`next start`, or with
 * `standalone` the `node .next/standalone/server.js` a Node host runs), for the benchmark, the
 * fault tests and the standalone check: its output kept (the last lines, for errors), signals sent to the whole
 * group (the server and anything it forked), killed when this process exits, and a wait until
 * it answers /login.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { pathToFileURL } from "node:url";

const root = path.resolve(import.meta.dirname, "..", "..");

export type NextProcess = {
  baseUrl: string;
  /** Process group leader (the server's own process). */
  leader: number;
  alive(): boolean;
  /** Sends a signal to the whole process group. */
  signal(signal: NodeJS.Signals): void;
  /** Resolves when the leader has exited, or after `ms`. */
  waitExit(ms: number): Promise<void>;
  /** SIGTERM, up to 5 s for a graceful exit, then SIGKILL to whatever of the group is left. */
  stop(): Promise<void>;
  /** SIGKILL to the whole group, as `kill -9` would; resolves once the leader has exited. */
  kill9(): Promise<void>;
  /** The server's output so far (its last `keepLines` chunks). */
  log(): string;
  /** The last lines of the output, for an error message. */
  tail(lines?: number): string;
};

export function spawnNext(o: { port: number; env: NodeJS.ProcessEnv; keepLines?: number; standalone?: boolean }): NextProcess {
  const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");
  // server.js reads its port and address from the environment, and binds 0.0.0.0 by default.
  const args = o.standalone ? [path.join(root, ".next", "standalone", "server.js")] : [nextBin, "start", "-p", String(o.port)];
  const env = o.standalone ? { ...o.env, PORT: String(o.port), HOSTNAME: "127.0.0.1" } : o.env;
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: root,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const keepLines = o.keepLines ?? 500;
  const lines: string[] = [];
  const keep = (d: Buffer) => {
    lines.push(String(d));
    if (lines.length > keepLines) lines.splice(0, lines.length - keepLines);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) =>
    child.once("exit", () => {
      exited = true;
      resolve();
    }),
  );
  const leader = child.pid!;
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(-leader, s);
    } catch {
      /* already gone */
    }
  };
  // Last resort: a script that dies in any way takes its server with it.
  const onExit = () => signal("SIGKILL");
  process.on("exit", onExit);
  const waitExit = (ms: number) => Promise.race([exitedPromise, new Promise<void>((r) => setTimeout(r, ms).unref())]);
  let stopped = false;
  return {
    baseUrl: `http://127.0.0.1:${o.port}`,
    leader,
    alive: () => !exited,
    signal,
    waitExit,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      signal("SIGTERM");
      await waitExit(5000);
      // The leader may be gone while a forked child still runs: make sure the whole group is.
      signal("SIGKILL");
      await waitExit(5000);
      process.off("exit", onExit);
    },
    kill9: async () => {
      stopped = true;
      signal("SIGKILL");
      await waitExit(10_000);
      process.off("exit", onExit);
    },
    log: () => lines.join(""),
    tail: (n = 40) => lines.join("").split("\n").slice(-n).join("\n"),
  };
}

/** Waits until the server answers /login with 200; stops it and throws with its output otherwise. */
export async function waitUntilReady(server: NextProcess, timeoutMs = 90_000, pollMs = 250): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(`${server.baseUrl}/login`, { signal: AbortSignal.timeout(5000) });
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      /* not listening yet */
    }
    if (!server.alive() || Date.now() > deadline) {
      await server.stop();
      throw new Error(`the server did not start:\n${server.tail()}`);
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/** scripts/start.mjs's buildIfStale: a `next build` only when the sources changed since the last one. */
export async function buildIfStale(): Promise<void> {
  // A computed specifier: start.mjs is plain JavaScript without type declarations.
  const specifier = pathToFileURL(path.join(root, "scripts", "start.mjs")).href;
  const mod = (await import(specifier)) as { buildIfStale: () => void };
  mod.buildIfStale();
}
