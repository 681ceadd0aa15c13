/**
 * HTTP for the benchmark: single timed requests over a keep-alive connection (high-resolution,
 * to the last byte), and loads with autocannon.
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
