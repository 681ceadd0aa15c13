/**
 * The sandbox provider's hosted page, through its server actions and webhook route:
 * - each step runs only from the state it belongs to (the expected state is in the UPDATE's
 *   WHERE): 3-D Secure cannot be approved on a checkout that never asked for it, a finished or
 *   challenged checkout cannot be paid or cancelled, and a refused step changes nothing and
 *   sends nothing;
 * - its signed callback goes to APP_URL, whatever Host and X-Forwarded-* headers the request
 *   carries;
 * - with another provider configured, its page, actions and webhook answer 404.
 * Concurrent steps are real races only on PostgreSQL (CI runs this file on both drivers).
 */
import crypto from "node:crypto";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { sandboxCheckouts } from "@/db/schema";
import { resetEnvCache } from "@/lib/env";
import { sandboxEventBody, sandboxProvider, signSandboxPayload, SIGNATURE_HEADER, TIMESTAMP_HEADER } from "@/lib/payments/sandbox";
import { setupTestDatabase } from "../setup/db";

const request = vi.hoisted(() => ({ headers: new Headers() }));
vi.mock("next/navigation", () => ({
  redirect: (url: string) => {
    throw Object.assign(new Error(`redirect ${url}`), { digest: `NEXT_REDIRECT;${url}` });
  },
  notFound: () => {
    throw Object.assign(new Error("not found"), { digest: "NEXT_HTTP_ERROR_FALLBACK;404" });
  },
}));
vi.mock("next/headers", () => ({ headers: async () => request.headers, cookies: async () => ({ getAll: () => [], get: () => undefined }) }));

const APP_URL = "https://billing.example.com";
// What an attacker's request says about the host: the callback must never go there.
const SPOOFED = {
  host: "127.0.0.1:9",
  "x-forwarded-host": "attacker.example:8443",
  "x-forwarded-proto": "http",
  "x-forwarded-port": "8443",
  forwarded: "host=attacker.example;proto=http",
};
const RETURN_URL = `${APP_URL}/invoices/1?payment=p`;
const CARD_3DS = "4000000000003220";

const { db } = await setupTestDatabase();
const { authenticate, cancelCheckout, payWithCard } = await import("@/lib/actions/sandbox");

const saved = { ...process.env };
let callbacks: { url: string; state: string }[] = [];

beforeEach(() => {
  process.env.APP_URL = APP_URL;
  delete process.env.PAYMENT_PROVIDER;
  resetEnvCache();
  request.headers = new Headers(SPOOFED);
  callbacks = [];
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    callbacks.push({ url: String(input), state: (JSON.parse(String(init?.body)) as { state: string }).state });
    return Response.json({ result: "applied" });
  });
});

afterEach(() => {
  vi.restoreAllMocks();
  process.env = { ...saved };
  resetEnvCache();
});

async function newCheckout(): Promise<string> {
  const c = await sandboxProvider.createCheckout({ paymentId: crypto.randomUUID(), amountMinor: 12_300n, currency: "EUR", description: "Invoice 1", returnUrl: RETURN_URL });
  return c.providerReference;
}

async function statusOf(id: string) {
  const [row] = await db.select({ status: sandboxCheckouts.status, updatedAt: sandboxCheckouts.updatedAt }).from(sandboxCheckouts).where(eq(sandboxCheckouts.id, id));
  return row!;
}

/** Where a server action sent the person (Next's redirect), or its return value. */
async function outcome(run: Promise<unknown>): Promise<string> {
  try {
    return `returned ${JSON.stringify(await run)}`;
  } catch (err) {
    const digest = (err as { digest?: string }).digest ?? "";
    if (digest.startsWith("NEXT_REDIRECT;")) return `redirect ${digest.slice("NEXT_REDIRECT;".length)}`;
    if (digest === "NEXT_HTTP_ERROR_FALLBACK;404") return "not found";
    throw err;
  }
}

const form = (fields: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  return f;
};
const card = (number: string) => form({ card: number, expiry: "12/39", cvc: "123" });
const pay = (id: string, number: string) => outcome(payWithCard(id, {}, card(number)));
const approve = (id: string) => outcome(authenticate(id, form({ result: "approve" })));
const failAuth = (id: string) => outcome(authenticate(id, form({ result: "fail" })));
const cancel = (id: string) => outcome(cancelCheckout(id));

describe("sandbox steps", () => {
  it("refuses to approve 3-D Secure on a checkout that is not waiting for it, and changes nothing", async () => {
    const id = await newCheckout();
    const before = await statusOf(id);
    expect(await approve(id)).toBe(`redirect /sandbox/checkout/${id}`);
    expect(await failAuth(id)).toBe(`redirect /sandbox/checkout/${id}`);
    expect(await statusOf(id)).toEqual(before);
    expect(callbacks).toEqual([]);

    // Paid with a card that succeeds: approving afterwards changes nothing either.
    expect(await pay(id, "4242424242424242")).toBe(`redirect ${RETURN_URL}`);
    expect(await approve(id)).toBe(`redirect /sandbox/checkout/${id}`);
    expect((await statusOf(id)).status).toBe("succeeded");
    expect(callbacks.map((c) => c.state)).toEqual(["succeeded"]);
  });

  it("moves open → requires_action → succeeded, each step once, and nothing else from requires_action", async () => {
    const id = await newCheckout();
    expect(await pay(id, CARD_3DS)).toBe(`redirect /sandbox/checkout/${id}?step=3ds`);
    expect((await statusOf(id)).status).toBe("requires_action");
    // Waiting for 3-D Secure: neither a second card nor a cancel moves it.
    expect(await pay(id, "4242424242424242")).toBe(`redirect ${RETURN_URL}`);
    expect(await cancel(id)).toBe(`redirect /sandbox/checkout/${id}`);
    expect((await statusOf(id)).status).toBe("requires_action");
    expect(await approve(id)).toBe(`redirect ${RETURN_URL}`);
    expect((await statusOf(id)).status).toBe("succeeded");
    // Finished: a second approval, a failed one or a cancel change nothing.
    const settled = await statusOf(id);
    expect(await approve(id)).toBe(`redirect /sandbox/checkout/${id}`);
    expect(await failAuth(id)).toBe(`redirect /sandbox/checkout/${id}`);
    expect(await cancel(id)).toBe(`redirect /sandbox/checkout/${id}`);
    expect(await statusOf(id)).toEqual(settled);
    expect(callbacks.map((c) => c.state)).toEqual(["requires_action", "succeeded"]);
  });

  it("lets exactly one of concurrent steps win", async () => {
    const open = await newCheckout();
    await Promise.all([pay(open, "4242424242424242"), pay(open, "4000000000000002"), cancel(open), pay(open, CARD_3DS)]);
    expect(callbacks, "one step moved the open checkout").toHaveLength(1);
    expect((await statusOf(open)).status).toBe(callbacks[0]!.state);

    callbacks = [];
    const challenged = await newCheckout();
    await pay(challenged, CARD_3DS);
    callbacks = [];
    await Promise.all([approve(challenged), failAuth(challenged), approve(challenged), cancel(challenged)]);
    expect(callbacks, "one answer to the challenge").toHaveLength(1);
    expect((await statusOf(challenged)).status).toBe(callbacks[0]!.state);
  });

  it("sends its signed callback to APP_URL, never to the Host or X-Forwarded-Host the request names", async () => {
    for (const [label, headers] of Object.entries({ spoofed: SPOOFED, "only host": { host: "attacker.example" }, none: {} })) {
      request.headers = new Headers(headers as Record<string, string>);
      callbacks = [];
      const declined = await newCheckout();
      await pay(declined, "4000000000000002");
      const challenged = await newCheckout();
      await pay(challenged, CARD_3DS);
      await approve(challenged);
      await cancel(await newCheckout());
      expect(callbacks.map((c) => c.url), label).toEqual(Array(4).fill(`${APP_URL}/api/payments/webhooks/sandbox`));
    }
  });
});

describe("with another payment provider configured", () => {
  it("the sandbox's page, actions and webhook answer 404 and change nothing", async () => {
    const id = await newCheckout();
    await pay(id, CARD_3DS);
    callbacks = [];
    const before = await statusOf(id);
    process.env.PAYMENT_PROVIDER = "stripe";
    resetEnvCache();

    const { default: SandboxCheckoutPage } = await import("@/app/sandbox/checkout/[id]/page");
    expect(await outcome(SandboxCheckoutPage({ params: Promise.resolve({ id }), searchParams: Promise.resolve({}) }))).toBe("not found");
    expect(await approve(id)).toBe("not found");
    expect(await cancel(id)).toBe("not found");
    expect(await pay(await newCheckout(), "4242424242424242")).toBe("not found");

    // A correctly signed callback for the checkout: still 404, nothing applied.
    const { POST } = await import("@/app/api/payments/webhooks/sandbox/route");
    const body = sandboxEventBody(id, "succeeded", 12_300n, "EUR", null);
    const ts = Math.floor(Date.now() / 1000);
    const res = await POST(
      new Request(`${APP_URL}/api/payments/webhooks/sandbox`, {
        method: "POST",
        headers: { "content-type": "application/json", [SIGNATURE_HEADER]: signSandboxPayload(body, ts), [TIMESTAMP_HEADER]: String(ts) },
        body,
      }),
    );
    expect(res.status).toBe(404);
    expect(await statusOf(id)).toEqual(before);
    expect(callbacks).toEqual([]);

    // The same page with the sandbox configured renders (the 404 above was the provider check).
    process.env.PAYMENT_PROVIDER = "sandbox";
    resetEnvCache();
    expect(await outcome(SandboxCheckoutPage({ params: Promise.resolve({ id }), searchParams: Promise.resolve({}) }))).toMatch(/^returned /);
  });
});
