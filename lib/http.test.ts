import { describe, expect, it, vi } from "vitest";
import { PdfRenderError } from "@/lib/pdf/worker-pool";
import { answerOrRenderBusy, RENDER_RETRY_AFTER_SECONDS } from "./http";

describe("answerOrRenderBusy", () => {
  it("passes the route's answer through", async () => {
    const answer = await answerOrRenderBusy(async () => new Response("ok", { status: 200 }));
    expect(answer.status).toBe(200);
    expect(await answer.text()).toBe("ok");
  });

  it.each(["timeout", "overloaded", "unavailable"] as const)("answers 503 with Retry-After when the render pool says %s", async (code) => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const answer = await answerOrRenderBusy(async () => {
      throw new PdfRenderError(code, "busy");
    });
    expect(answer.status).toBe(503);
    expect(answer.headers.get("retry-after")).toBe(String(RENDER_RETRY_AFTER_SECONDS));
    expect(answer.headers.get("cache-control")).toBe("no-store");
    expect(await answer.text()).toMatch(/try again/);
    expect(logged).toHaveBeenCalledOnce();
    logged.mockRestore();
  });

  it.each(["failed", "crashed", "closed"] as const)("throws a render that %s on: retrying would not help", async (code) => {
    await expect(answerOrRenderBusy(async () => Promise.reject(new PdfRenderError(code, "broken")))).rejects.toThrow("broken");
  });

  it("throws any other error on", async () => {
    await expect(answerOrRenderBusy(async () => Promise.reject(new Error("database")))).rejects.toThrow("database");
  });
});
