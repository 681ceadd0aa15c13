/**
 * The server under test: a production build (scripts/start.mjs's buildIfStale) served by
 * `next start` on a free port, in its own process group, which is always stopped at the end.
 * Memory is read from /proc/<pid>/status of the process that holds the listening socket (the
 * PDF render workers are threads of that same process).
 */
import crypto from "node:crypto";
import fs from "node:fs";
import { spawnNext, waitUntilReady } from "../lib/next-process";
import { freePort } from "../lib/ports";

export type Server = {
  baseUrl: string;
  port: number;
  /** The process that serves HTTP (the group leader, or the child it forked). */
  pid: number;
  /** Resident set size of the server process, in bytes. */
  rss(): number;
  /** Peak RSS since the last resetPeak() (VmHWM), in bytes; null where /proc cannot reset it. */
  peak(): number | null;
  resetPeak(): boolean;
  log(): string;
  stop(): Promise<void>;
};

function statusField(pid: number, field: string): number | null {
  try {
    const text = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(text);
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** Every process whose ancestor is `pid`, and `pid` itself. */
function processTree(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const name of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, "utf8");
      // "pid (comm) state ppid …": comm may hold spaces and parentheses.
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      parents.set(Number(name), ppid);
    } catch {
      /* gone meanwhile */
    }
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) {
    for (const [child, parent] of parents) if (parent === tree[i]) tree.push(child);
  }
  return tree;
}

function listeningInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text = "";
    try {
      text = fs.readFileSync(file, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10) continue;
      if (f[1]!.endsWith(`:${hexPort}`) && f[3] === "0A") inodes.add(f[9]!);
    }
  }
  return inodes;
}

/** The process in the tree that owns the listening socket; else the one with the most memory. */
function serverPid(leader: number, port: number): { pid: number; how: string; tree: number[] } {
  const tree = processTree(leader);
  const inodes = listeningInodes(port);
  for (const pid of tree) {
    let fds: string[] = [];
    try {
      fds = fs.readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m && inodes.has(m[1]!)) return { pid, how: "owns the listening socket", tree };
      } catch {
        /* closed meanwhile */
      }
    }
  }
  const biggest = [...tree].sort((a, b) => (statusField(b, "VmRSS") ?? 0) - (statusField(a, "VmRSS") ?? 0))[0]!;
  return { pid: biggest, how: "largest RSS in the process group", tree };
}

export async function startServer(opts: {
  databaseUrl: string;
  log: (line: string) => void;
  readyTimeoutMs?: number;
  /** More environment for the server (e.g. a known webhook secret). */
  env?: Record<string, string>;
}): Promise<Server> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    PORT: String(port),
    DATABASE_URL: opts.databaseUrl,
    AUTH_SECRET: crypto.randomBytes(32).toString("base64url"),
    // The clients' origin; they pay with the sandbox's test cards.
    APP_URL: baseUrl,
    CUMULUS_ALLOW_SANDBOX: "true",
    NEXT_TELEMETRY_DISABLED: "1",
    ...opts.env,
  };
  delete env.CUMULUS_ALLOW_EMBEDDED;
  const server = spawnNext({ port, env });
  await waitUntilReady(server, opts.readyTimeoutMs);
  const { leader, stop } = server;

  const found = serverPid(leader, port);
  opts.log(
    `server on ${baseUrl}: process group ${leader} (${found.tree.join(", ")}); measuring pid ${found.pid} (${found.how})`,
  );
  const pid = found.pid;
  return {
    baseUrl,
    port,
    pid,
    rss: () => {
      const v = statusField(pid, "VmRSS");
      if (v === null) throw new Error(`the server process ${pid} is gone:\n${server.tail()}`);
      return v;
    },
    peak: () => statusField(pid, "VmHWM"),
    resetPeak: () => {
      try {
        fs.writeFileSync(`/proc/${pid}/clear_refs`, "5");
        return true;
      } catch {
        return false;
      }
    },
    log: server.log,
    stop,
  };
}
