/**
 * HTTP for the benchmark: signing in as a user, single timed requests over a keep-alive
 * connection (high-resolution, to the last byte), and loads with autocannon.
 */
import http from "node:http";
import autocannon from "autocannon";

export type Timed = {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** Request start to last byte, in milliseconds. */
  ms: number;
};

const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });

/** One GET, timed from sending to the last byte of the body. */
export function timedGet(url: string, headers: Record<string, string> = {}, timeoutMs = 120_000): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const req = http.get(url, { agent, headers, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), ms });
      });
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`GET ${url} took longer than ${timeoutMs} ms`)));
    req.on("error", reject);
  });
}

/** A GET that must answer `expected` (200 by default); its timing otherwise. */
export async function mustGet(url: string, headers: Record<string, string> = {}, expected = 200): Promise<Timed> {
  const r = await timedGet(url, headers);
  if (r.status !== expected) {
    throw new Error(`GET ${url} answered ${r.status}, expected ${expected}: ${r.body.toString("utf8").slice(0, 300)}`);
  }
  return r;
}

/**
 * Signs in with next-auth's Credentials provider as a form post would: the CSRF token and
 * cookie from /api/auth/csrf, then the credentials callback. Returns the Cookie header value.
 */
export async function signIn(baseUrl: string, email: string, password: string): Promise<string> {
  const csrfRes = await fetch(`${baseUrl}/api/auth/csrf`);
  if (!csrfRes.ok) throw new Error(`GET /api/auth/csrf answered ${csrfRes.status}`);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken?: string };
  if (!csrfToken) throw new Error("GET /api/auth/csrf returned no csrfToken");
  // The proxy's auth() and the route both set authjs.csrf-token: as in a browser, the last one wins.
  const jar = new Map<string, string>();
  for (const c of csrfRes.headers.getSetCookie()) {
    const pair = c.split(";")[0]!;
    jar.set(pair.slice(0, pair.indexOf("=")), pair);
  }
  const csrfCookies = [...jar.values()];
  const res = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: csrfCookies.join("; ") },
    body: new URLSearchParams({ csrfToken, email, password, callbackUrl: `${baseUrl}/invoices` }).toString(),
  });
  await res.arrayBuffer();
  for (const c of res.headers.getSetCookie()) {
    const pair = c.split(";")[0]!;
    jar.set(pair.slice(0, pair.indexOf("=")), pair);
  }
  if (![...jar.keys()].some((name) => /^authjs\.session-token(\.\d+)?$/.test(name))) {
    throw new Error(`sign-in as ${email} failed: ${res.status} ${res.headers.get("location") ?? ""}`);
  }
  // Every cookie a browser would send back (session, CSRF, callback URL): without the CSRF
  // cookie, Auth.js would mint and set a new one on every response.
  return [...jar.values()].join("; ");
}

export type Load = {
  label: string;
  connections: number;
  seconds: number;
  requests: number;
  reqPerSec: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
  timeouts: number;
};

export function summarize(label: string, r: autocannon.Result): Load {
  return {
    label,
    connections: r.connections,
    seconds: r.duration,
    requests: r.requests.total,
    reqPerSec: r.duration > 0 ? r.requests.total / r.duration : 0,
    p50: r.latency.p50,
    p90: r.latency.p90,
    p99: r.latency.p99,
    max: r.latency.max,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
  };
}

export type LoadOptions = {
  url: string;
  connections: number;
  seconds: number;
  headers?: Record<string, string>;
  /** Called for each request: the path to ask for (e.g. a new invoice each time). */
  nextPath?: () => string;
};

/** Starts a load; `done` resolves with autocannon's result, `stop()` ends it early. */
export function startLoad(label: string, o: LoadOptions): { done: Promise<Load>; stop: () => void } {
  const options: autocannon.Options = {
    url: o.url,
    connections: o.connections,
    duration: o.seconds,
    headers: o.headers,
    timeout: 30,
  };
  if (o.nextPath) {
    const nextPath = o.nextPath;
    options.requests = [{ method: "GET", setupRequest: (req) => ({ ...req, path: nextPath() }) }];
  }
  let instance: autocannon.Instance | undefined;
  const done = new Promise<Load>((resolve, reject) => {
    instance = autocannon(options, (err, result) => (err ? reject(err) : resolve(summarize(label, result))));
  });
  return { done, stop: () => instance?.stop() };
}

export function load(label: string, o: LoadOptions): Promise<Load> {
  return startLoad(label, o).done;
}

export function percentile(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  // Nearest rank.
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export const median = (values: number[]) => percentile(values, 0.5);
