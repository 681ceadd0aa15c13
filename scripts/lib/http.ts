/**
 * HTTP as a browser drives the panel: sign-in, pages, and server actions called the way React's
 * client calls them (POST to the page with the `Next-Action` id from the build's action
 * manifest, arguments encoded as React's `encodeReply` does). Every answer is recorded with its
 * timing; a connection failure is an answer with status 0, never an exception.
 */
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..", "..");

export type Sample = {
  route: string;
  status: number;
  /** ms since the epoch */
  start: number;
  end: number;
  retryAfter: string | null;
  /** a 503 whose body is the proxy's "temporarily unavailable" answer */
  unavailablePage: boolean;
  error?: string;
};

export type Answer = {
  status: number;
  headers: Headers | null;
  text: string;
  bytes: Buffer | null;
  /** A server action's redirect (x-action-redirect), or a plain redirect's Location. */
  redirect: string | null;
  error?: string;
};

type Manifest = { node: Record<string, { filename?: string; exportedName?: string }> };

/** The ids of the server actions of the production build in .next. */
export function actionIds(): Record<string, string> {
  const file = path.join(root, ".next", "server", "server-reference-manifest.json");
  const manifest = JSON.parse(fs.readFileSync(file, "utf8")) as Manifest;
  const ids: Record<string, string> = {};
  for (const [id, entry] of Object.entries(manifest.node)) {
    if (entry.filename && entry.exportedName) ids[`${entry.filename}#${entry.exportedName}`] = id;
  }
  return ids;
}

export function actionId(ids: Record<string, string>, key: string): string {
  const id = ids[key];
  if (!id) throw new Error(`server action ${key} is not in the build's action manifest`);
  return id;
}

/**
 * The body React's client sends for `action(...args, formData)`: the form's fields as part 1
 * (`_1_name`), then the argument list as part 0, which must come last (the server resolves
 * part 0 as soon as it arrives).
 */
export function actionBody(args: unknown[], fields: Record<string, string | string[]>): FormData {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) fd.append(`_1_${k}`, one);
  fd.append("0", JSON.stringify([...args, "$K1"]));
  return fd;
}

export class Client {
  constructor(
    readonly baseUrl: string,
    public cookie: string,
    private readonly record?: (s: Sample) => void,
    private readonly timeoutMs = 60_000,
  ) {}

  private async send(route: string, url: string, init: RequestInit, binary = false): Promise<Answer> {
    const start = Date.now();
    try {
      const res = await fetch(new URL(url, this.baseUrl), {
        ...init,
        redirect: "manual",
        headers: { ...(init.headers as Record<string, string>), ...(this.cookie ? { cookie: this.cookie } : {}) },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      const buf = Buffer.from(await res.arrayBuffer());
      const text = binary && res.status === 200 ? "" : buf.toString("utf8");
      const redirect = res.headers.get("x-action-redirect")?.split(";")[0] ?? res.headers.get("location");
      const answer: Answer = { status: res.status, headers: res.headers, text, bytes: buf, redirect };
      this.record?.({
        route,
        status: res.status,
        start,
        end: Date.now(),
        retryAfter: res.headers.get("retry-after"),
        unavailablePage: res.status === 503 && /temporarily unavailable|service_unavailable/.test(text),
      });
      return answer;
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      const error = cause?.code ?? cause?.message ?? (err as Error).message;
      this.record?.({ route, status: 0, start, end: Date.now(), retryAfter: null, unavailablePage: false, error });
      return { status: 0, headers: null, text: "", bytes: null, redirect: null, error };
    }
  }

  get(route: string, url: string, binary = false): Promise<Answer> {
    return this.send(route, url, { method: "GET" }, binary);
  }

  action(route: string, pagePath: string, id: string, args: unknown[], fields: Record<string, string | string[]>): Promise<Answer> {
    return this.send(route, pagePath, {
      method: "POST",
      headers: { "next-action": id, origin: this.baseUrl, accept: "text/x-component" },
      body: actionBody(args, fields),
    });
  }
}

/** Waits until the server answers /login with 200 (after a restart), at most `timeoutMs`. */
export async function waitUntilUp(baseUrl: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(`${baseUrl}/login`, { signal: AbortSignal.timeout(5000) });
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      /* down */
    }
    if (Date.now() > deadline) throw new Error(`${baseUrl} did not come back within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Runs `fn` over `items` with at most `concurrency` at a time. */
export async function inPool<T>(items: readonly T[], concurrency: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      for (let i = next++; i < items.length; i = next++) await fn(items[i]!, i);
    }),
  );
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
