import { describe, expect, it } from "vitest";
import { serviceUnavailableResponse } from "./db-health";

describe("serviceUnavailableResponse", () => {
  it("answers pages with an HTML 503 that says what happened", async () => {
    const r = serviceUnavailableResponse("/invoices/1<script>", { nonce: "abc" });
    expect(r.status).toBe(503);
    expect(r.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(r.headers.get("cache-control")).toBe("no-store");
    const html = await r.text();
    expect(html).toContain("Service temporarily unavailable");
    expect(html).toContain('nonce="abc"');
    expect(html).not.toContain("<script>");
  });

  it("answers API routes and server actions with JSON", async () => {
    for (const r of [serviceUnavailableResponse("/api/payments/webhooks/sandbox"), serviceUnavailableResponse("/invoices", { json: true })]) {
      expect(r.status).toBe(503);
      expect(r.headers.get("retry-after")).toMatch(/^\d+$/);
      expect(await r.json()).toMatchObject({ error: "service_unavailable" });
    }
  });

  it("answers the REST API with a problem detail, as every error of it", async () => {
    const r = serviceUnavailableResponse("/api/v1/invoices");
    expect(r.status).toBe(503);
    expect(r.headers.get("content-type")).toBe("application/problem+json");
    expect(r.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(await r.json()).toMatchObject({ type: "about:blank", status: 503, title: "Service unavailable" });
  });
});
