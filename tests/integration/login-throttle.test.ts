/**
 * The login lock under concurrency (lib/auth/throttle.ts): every attempt is counted in one
 * atomic upsert BEFORE its password is checked, so however many guesses arrive at once, at most
 * the limit of them reach the password check (5 per email, 50 per address), for sign-in
 * (authenticate) and for the password re-confirmation of sensitive changes (confirmPassword).
 * Real races only show on PostgreSQL: run it there too (DATABASE_URL).
 */
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { seedDemo } from "@/scripts/seed";
import { users } from "@/db/schema";
import { resetTables, setupTestDatabase } from "../setup/db";

// Counts the password checks (argon2 verifications) that really happen.
vi.mock("@/lib/passwords", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/lib/passwords")>();
  return { ...real, verifyPassword: vi.fn(real.verifyPassword) };
});
// authenticate() lives beside the NextAuth() set-up, whose next-auth entry needs Next's runtime.
vi.mock("next-auth", async () => ({
  default: () => ({ handlers: {}, auth: vi.fn(), signIn: vi.fn(), signOut: vi.fn() }),
  CredentialsSignin: (await import("@auth/core/errors")).CredentialsSignin,
}));

process.env.AUTH_SECRET = "throttle-test-secret-0123456789abcdefghijkl";
(await import("@/lib/env")).resetEnvCache();
const { db, kind } = await setupTestDatabase();
const { verifyPassword } = await import("@/lib/passwords");
const { authenticate, ThrottledSignin } = await import("@/lib/auth");
const { confirmPassword } = await import("@/lib/auth/reauth");
const { MAX_FAILURES_PER_ADDRESS, MAX_FAILURES_PER_EMAIL } = await import("@/lib/auth/throttle");

const PASSWORD = "cumulus-demo-2026";
const EMAIL = "reader@example.com";
const checks = () => vi.mocked(verifyPassword).mock.calls.length;

/** "ok", "wrong" or "locked", as the login form tells them apart. */
async function login(email: string, password: string, address: string | null = null) {
  try {
    return (await authenticate(email, password, address)) ? "ok" : "wrong";
  } catch (e) {
    if (e instanceof ThrottledSignin) return "locked";
    throw e;
  }
}

const tally = (outcomes: string[]) => Object.fromEntries([...new Set(outcomes)].sort().map((o) => [o, outcomes.filter((x) => x === o).length]));

beforeEach(async () => {
  await resetTables(db);
  await seedDemo(db, "2026-11-25");
  vi.mocked(verifyPassword).mockClear();
});

describe(`the login lock under concurrency (${kind})`, () => {
  it("24 parallel logins for one email (23 wrong, then the right one): at most 5 passwords checked, the right one refused once locked", async () => {
    const guesses = Array.from({ length: 23 }, (_, i) => login(EMAIL, `wrong-${i}`));
    const right = login(EMAIL, PASSWORD);
    const outcomes = await Promise.all([...guesses, right]);
    console.log(`24 parallel logins on ${kind}: ${checks()} passwords checked, outcomes ${JSON.stringify(tally(outcomes))}`);
    expect(checks(), "passwords checked").toBeLessThanOrEqual(MAX_FAILURES_PER_EMAIL);
    expect(outcomes.filter((o) => o === "locked").length).toBeGreaterThanOrEqual(24 - MAX_FAILURES_PER_EMAIL);
    // Whichever of them were checked: once five wrong ones are in, the right password is refused unchecked.
    if (!outcomes.includes("ok")) {
      const before = checks();
      expect(await login(EMAIL, PASSWORD)).toBe("locked");
      expect(checks(), "no check while locked").toBe(before);
    }
  });

  it("24 parallel wrong guesses check exactly 5; then even the right password is refused without a check", async () => {
    const outcomes = await Promise.all(Array.from({ length: 24 }, (_, i) => login(EMAIL, `wrong-${i}`)));
    expect(tally(outcomes)).toEqual({ locked: 24 - MAX_FAILURES_PER_EMAIL, wrong: MAX_FAILURES_PER_EMAIL });
    expect(checks()).toBe(MAX_FAILURES_PER_EMAIL);
    expect(await login(EMAIL, PASSWORD)).toBe("locked");
    expect(checks()).toBe(MAX_FAILURES_PER_EMAIL);
  });

  it("an unknown email locks the same way", async () => {
    const outcomes = await Promise.all(Array.from({ length: 12 }, (_, i) => login("nobody@example.com", `wrong-${i}`)));
    expect(tally(outcomes)).toEqual({ locked: 12 - MAX_FAILURES_PER_EMAIL, wrong: MAX_FAILURES_PER_EMAIL });
  });

  it("a correct password clears the email's count", async () => {
    for (let i = 0; i < MAX_FAILURES_PER_EMAIL - 1; i++) expect(await login(EMAIL, `wrong-${i}`)).toBe("wrong");
    expect(await login(EMAIL, PASSWORD)).toBe("ok");
    for (let i = 0; i < MAX_FAILURES_PER_EMAIL; i++) expect(await login(EMAIL, `again-${i}`), `wrong guess ${i + 1} after the sign-in`).toBe("wrong");
    expect(await login(EMAIL, PASSWORD)).toBe("locked");
  });

  it("one address: parallel guesses over many emails check at most 50; its own successful sign-ins do not count", async () => {
    const address = "203.0.113.9";
    // 49 failures at once, each for an email of its own.
    const first = await Promise.all(Array.from({ length: MAX_FAILURES_PER_ADDRESS - 1 }, (_, i) => login(`guess-${i}@example.com`, "x", address)));
    expect(tally(first)).toEqual({ wrong: MAX_FAILURES_PER_ADDRESS - 1 });
    expect(await login(EMAIL, PASSWORD, address), "a real user behind the same address").toBe("ok");
    vi.mocked(verifyPassword).mockClear();
    const rest = await Promise.all(Array.from({ length: 30 }, (_, i) => login(`more-${i}@example.com`, "x", address)));
    expect(tally(rest)).toEqual({ locked: 29, wrong: 1 });
    expect(checks()).toBe(1);
    expect(await login(EMAIL, PASSWORD, address), "the address is locked now").toBe("locked");
    expect(await login(EMAIL, PASSWORD, "203.0.113.10"), "another address is not").toBe("ok");
  });
});

describe("password re-confirmation (confirmPassword) shares the lock", () => {
  it("24 parallel wrong passwords check at most 5; then the right one is refused without a check", async () => {
    const [reader] = await db.select({ id: users.id }).from(users).where(eq(users.email, EMAIL));
    const outcomes = await Promise.all(Array.from({ length: 24 }, (_, i) => confirmPassword(reader!.id, `wrong-${i}`)));
    expect(tally(outcomes)).toEqual({ locked: 24 - MAX_FAILURES_PER_EMAIL, wrong: MAX_FAILURES_PER_EMAIL });
    expect(checks()).toBe(MAX_FAILURES_PER_EMAIL);
    expect(await confirmPassword(reader!.id, PASSWORD)).toBe("locked");
    // ...and the login form with it: one lock per email.
    expect(await login(EMAIL, PASSWORD)).toBe("locked");
    expect(checks()).toBe(MAX_FAILURES_PER_EMAIL);
  });

  it("the right password confirms and clears the count", async () => {
    const [reader] = await db.select({ id: users.id }).from(users).where(eq(users.email, EMAIL));
    for (let i = 0; i < MAX_FAILURES_PER_EMAIL - 1; i++) expect(await confirmPassword(reader!.id, `wrong-${i}`)).toBe("wrong");
    expect(await confirmPassword(reader!.id, PASSWORD)).toBe("ok");
    expect(await login(EMAIL, `wrong-again`)).toBe("wrong");
  });
});
