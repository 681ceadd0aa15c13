import { describe, expect, it } from "vitest";
import { isCrossSiteWrite } from "./csrf";

const h = (entries: Record<string, string>) => new Headers(entries);

describe("isCrossSiteWrite", () => {
  it("refuses a POST from another site or from a null origin", () => {
    expect(isCrossSiteWrite("POST", "/invoices", h({ host: "panel.example", origin: "https://evil.example" }))).toBe(true);
    expect(isCrossSiteWrite("POST", "/", h({ host: "panel.example", origin: "null" }))).toBe(true);
    expect(isCrossSiteWrite("DELETE", "/users", h({ host: "panel.example", origin: "https://panel.example.evil.example" }))).toBe(true);
    expect(isCrossSiteWrite("POST", "/login", h({ host: "panel.example:3000", origin: "http://panel.example:3001" }))).toBe(true);
  });

  it("lets the panel's own posts, reads, server-to-server calls and origin-less clients through", () => {
    expect(isCrossSiteWrite("POST", "/invoices", h({ host: "panel.example", origin: "https://panel.example" }))).toBe(false);
    // Behind a TLS-terminating proxy the public host arrives as X-Forwarded-Host.
    expect(isCrossSiteWrite("POST", "/", h({ host: "10.0.0.5:3000", "x-forwarded-host": "panel.example", origin: "https://panel.example" }))).toBe(false);
    expect(isCrossSiteWrite("GET", "/invoices", h({ host: "panel.example", origin: "https://evil.example" }))).toBe(false);
    expect(isCrossSiteWrite("POST", "/api/payments/webhooks/stripe", h({ host: "panel.example", origin: "https://stripe.example" }))).toBe(false);
    expect(isCrossSiteWrite("POST", "/invoices", h({ host: "panel.example" }))).toBe(false);
  });
});
