import { describe, expect, it } from "vitest";
import { isCrossSiteWrite } from "./csrf";

const h = (entries: Record<string, string>) => new Headers(entries);
const PANEL = "https://panel.example";

describe("isCrossSiteWrite", () => {
  it("refuses a POST from another site or from a null origin", () => {
    expect(isCrossSiteWrite("POST", "/invoices", h({ host: "panel.example", origin: "https://evil.example" }), PANEL)).toBe(true);
    expect(isCrossSiteWrite("POST", "/", h({ host: "panel.example", origin: "null" }), PANEL)).toBe(true);
    expect(isCrossSiteWrite("DELETE", "/users", h({ host: "panel.example", origin: "https://panel.example.evil.example" }), PANEL)).toBe(true);
    expect(isCrossSiteWrite("POST", "/login", h({ host: "panel.example:3000", origin: "http://panel.example:3001" }), "http://panel.example:3000")).toBe(true);
    // The same host over another scheme is another origin.
    expect(isCrossSiteWrite("POST", "/invoices", h({ host: "panel.example", origin: "http://panel.example" }), PANEL)).toBe(true);
  });

  it("compares with APP_URL's origin, never with the Host or X-Forwarded-Host the request names", () => {
    const spoofed: Record<string, string>[] = [
      { host: "evil.example", origin: "https://evil.example" },
      { host: "panel.example", "x-forwarded-host": "evil.example", "x-forwarded-proto": "https", origin: "https://evil.example" },
      { host: "evil.example:8443", "x-forwarded-host": "evil.example:8443", origin: "https://evil.example:8443" },
    ];
    for (const headers of spoofed) expect(isCrossSiteWrite("POST", "/invoices", h(headers), PANEL), JSON.stringify(headers)).toBe(true);
  });

  it("lets the panel's own posts, reads, server-to-server calls and origin-less clients through", () => {
    expect(isCrossSiteWrite("POST", "/invoices", h({ host: "panel.example", origin: PANEL }), PANEL)).toBe(false);
    // Behind a TLS-terminating proxy the app sees its own address as Host: only APP_URL counts.
    expect(isCrossSiteWrite("POST", "/", h({ host: "10.0.0.5:3000", origin: PANEL }), PANEL)).toBe(false);
    expect(isCrossSiteWrite("GET", "/invoices", h({ host: "panel.example", origin: "https://evil.example" }), PANEL)).toBe(false);
    expect(isCrossSiteWrite("POST", "/api/payments/webhooks/stripe", h({ host: "panel.example", origin: "https://stripe.example" }), PANEL)).toBe(false);
    expect(isCrossSiteWrite("POST", "/invoices", h({ host: "panel.example" }), PANEL)).toBe(false);
  });
});
