import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "./redirect";

describe("safeCallbackPath", () => {
  it("keeps a path on this origin, with its query and fragment", () => {
    expect(safeCallbackPath("/users")).toBe("/users");
    expect(safeCallbackPath("/invoices?status=overdue&q=1000#top")).toBe("/invoices?status=overdue&q=1000#top");
  });

  it("percent-encodes any Unicode, so the redirect header is plain ASCII", () => {
    for (const value of ["/ö", "/€", "/invoices?q=Ä€😀", "/users#ä", "/\u2028", "/\u0085", "/\ufeff", "/a b", "/x\u202ey"]) {
      const path = safeCallbackPath(value);
      expect(path, value).toMatch(/^\/[\x21-\x7e]*$/);
      expect(decodeURIComponent(new URL(path, "http://x").pathname + new URL(path, "http://x").search).length).toBeGreaterThan(0);
    }
    expect(safeCallbackPath("/€")).toBe("/%E2%82%AC");
    expect(safeCallbackPath("/invoices?q=ö")).toBe("/invoices?q=%C3%B6");
  });

  it("never leaves the origin", () => {
    for (const value of ["//evil.example", "/\\evil.example", "https://evil.example/", "/.//evil.example", "/\t/evil.example", "/%2F/evil.example/..", "javascript:alert(1)", "evil.example", "", "/\u0000", "/\r\nLocation: x"]) {
      const path = safeCallbackPath(value);
      expect(new URL(path, "http://app.example").origin, value).toBe("http://app.example");
      expect(path.startsWith("//"), value).toBe(false);
    }
    expect(safeCallbackPath("/.//evil.example")).toBe("/");
  });

  it("never back to the login page or Auth.js", () => {
    expect(safeCallbackPath("/login?callbackUrl=/users")).toBe("/");
    expect(safeCallbackPath("/api/auth/signout")).toBe("/");
    expect(safeCallbackPath("/./login")).toBe("/");
    expect(safeCallbackPath(42)).toBe("/");
    expect(safeCallbackPath("/" + "a".repeat(3000))).toBe("/");
  });
});
