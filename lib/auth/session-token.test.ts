import { encode } from "next-auth/jwt";
import { describe, expect, it, vi } from "vitest";

vi.mock("server-only", () => ({}));
process.env.AUTH_SECRET = "unit-test-secret-0123456789abcdefghijklmnop";
const { resetEnvCache } = await import("@/lib/env");
resetEnvCache();
const { sessionClaims } = await import("./session-token");
const { sessionTokenFrom } = await import("./session-cookie");

const SALT = "authjs.session-token";
const SID = "6f1c1a52-4c55-4c1e-9d5a-0a7b1f7e2a01";
const token = (claims: Record<string, unknown>, maxAge = 3600, salt = SALT) =>
  encode({ token: claims, secret: process.env.AUTH_SECRET!, salt, maxAge });

describe("sessionTokenFrom", () => {
  it("joins a chunked cookie in order, prefers the __Secure- one, ignores others", () => {
    expect(sessionTokenFrom([{ name: "other", value: "x" }])).toBeNull();
    expect(sessionTokenFrom([{ name: `${SALT}.1`, value: "b" }, { name: `${SALT}.0`, value: "a" }])).toEqual({ token: "ab", salt: SALT });
    expect(sessionTokenFrom([{ name: SALT, value: "plain" }, { name: `__Secure-${SALT}`, value: "secure" }])).toEqual({
      token: "secure",
      salt: `__Secure-${SALT}`,
    });
    expect(sessionTokenFrom([{ name: SALT, value: "" }])).toBeNull();
  });
});

describe("sessionClaims", () => {
  it("decodes a session cookie to its user, session version and session id", async () => {
    const value = await token({ uid: "u1", sv: 3, sid: SID });
    expect(await sessionClaims([{ name: SALT, value }])).toEqual({ uid: "u1", sv: 3, sid: SID });
  });

  it("a token under another cookie name (its salt) does not decode", async () => {
    const value = await token({ uid: "u1", sv: 3, sid: SID }, 3600, `__Secure-${SALT}`);
    expect(await sessionClaims([{ name: SALT, value }])).toBeNull();
  });

  it("claims without a user id, session version or session id are nobody", async () => {
    expect(await sessionClaims([{ name: SALT, value: await token({ uid: "u1", sid: SID }) }])).toBeNull();
    expect(await sessionClaims([{ name: SALT, value: await token({ sv: 1, sid: SID }) }])).toBeNull();
    // A token from before server-side sessions: no row could ever revoke it.
    expect(await sessionClaims([{ name: SALT, value: await token({ uid: "u1", sv: 1 }) }])).toBeNull();
    expect(await sessionClaims([{ name: SALT, value: await token({ uid: "u1", sv: 1, sid: "not-a-uuid" }) }])).toBeNull();
    expect(await sessionClaims([{ name: SALT, value: "not-a-jwe" }])).toBeNull();
  });

  it("a remembered token stops working at its own expiry", async () => {
    const value = await token({ uid: "u2", sv: 1, sid: SID }, 60);
    const cookies = [{ name: SALT, value }];
    expect(await sessionClaims(cookies)).toEqual({ uid: "u2", sv: 1, sid: SID });
    expect(await sessionClaims(cookies, Date.now() + 30_000)).toEqual({ uid: "u2", sv: 1, sid: SID });
    expect(await sessionClaims(cookies, Date.now() + 61_000)).toBeNull();
  });
});
