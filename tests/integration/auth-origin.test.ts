/**
 * Auth.js runs on APP_URL's origin (lib/auth/config.ts points its AUTH_URL there), never on the
 * Host, X-Forwarded-Host or X-Forwarded-Proto a request names: its redirects name APP_URL, and
 * its cookies are Secure with the __Secure-/__Host- prefixes exactly when APP_URL is https. Its
 * real route handlers, called as Next calls them, with the demo users in the database.
 */
import { NextRequest } from "next/server";
import { afterAll, describe, expect, it } from "vitest";
import { seedDemo } from "@/scripts/seed";
import { resetEnvCache } from "@/lib/env";
import { setupTestDatabase } from "../setup/db";

const saved = { ...process.env };
process.env.APP_URL = "https://billing.example.com";
process.env.AUTH_SECRET = "auth-origin-test-secret-0123456789abcdef";
delete process.env.AUTH_URL;
delete process.env.AUTH_TRUST_HOST;
resetEnvCache();

const { db } = await setupTestDatabase();
await seedDemo(db, "2026-11-25");
const { handlers } = await import("@/lib/auth");

afterAll(() => {
  process.env = { ...saved };
  resetEnvCache();
});

// The address Next itself serves on, and what a client claims about the host.
const SERVED = "http://localhost:3000";
const SPOOFED = { host: "attacker.example:8443", "x-forwarded-host": "attacker.example:8443", "x-forwarded-proto": "http" };

type Cookie = { name: string; value: string; secure: boolean };
const cookiesOf = (res: Response): Cookie[] =>
  res.headers.getSetCookie().map((c) => {
    const [pair] = c.split(";");
    const i = pair!.indexOf("=");
    return { name: pair!.slice(0, i), value: pair!.slice(i + 1), secure: /;\s*secure/i.test(c) };
  });

function get(path: string, cookie = "") {
  return handlers.GET(new NextRequest(`${SERVED}${path}`, { headers: { ...SPOOFED, cookie } }));
}

describe("Auth.js on APP_URL", () => {
  it("signs in with APP_URL's origin and Secure, prefixed cookies, whatever the request says", async () => {
    const csrf = await get("/api/auth/csrf");
    const csrfCookie = cookiesOf(csrf).find((c) => c.name.endsWith("authjs.csrf-token"));
    expect(csrfCookie).toMatchObject({ name: "__Host-authjs.csrf-token", secure: true });
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };

    const signin = await get("/api/auth/signin");
    expect(new URL(signin.headers.get("location")!, SERVED).searchParams.get("callbackUrl")).toBe("https://billing.example.com");

    const res = await handlers.POST(
      new NextRequest(`${SERVED}/api/auth/callback/credentials`, {
        method: "POST",
        headers: { ...SPOOFED, "content-type": "application/x-www-form-urlencoded", cookie: `${csrfCookie!.name}=${csrfCookie!.value}` },
        body: new URLSearchParams({ csrfToken, email: "demo@example.com", password: "cumulus-demo-2026", callbackUrl: "/invoices" }),
      }),
    );
    expect(res.headers.get("location")).toBe("https://billing.example.com/invoices");
    const session = cookiesOf(res).find((c) => c.name.endsWith("authjs.session-token"));
    expect(session).toMatchObject({ name: "__Secure-authjs.session-token", secure: true });
  });
});
