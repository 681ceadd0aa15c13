import { describe, expect, it } from "vitest";
import { keptPromises } from "./kept-promises";

let names = 0;
const fresh = (capacity: number) => keptPromises<number>(`test.${names++}`, capacity);

describe("keptPromises", () => {
  it("computes once per key and stamp, and shares a computation still running", async () => {
    const kept = fresh(10);
    let runs = 0;
    const compute = () => Promise.resolve(++runs);
    const [a, b] = [kept.get("k", [1], compute), kept.get("k", [1], compute)];
    expect(a).toBe(b);
    expect(await a).toBe(1);
    expect(await kept.get("k", [1], compute)).toBe(1);
    // Another stamp (a newer ledger version): computed again, and kept in place of the old one.
    expect(await kept.get("k", [2], compute)).toBe(2);
    expect(kept.size).toBe(1);
  });

  it("forgets a failed computation", async () => {
    const kept = fresh(10);
    await expect(kept.get("k", [1], () => Promise.reject(new Error("down")))).rejects.toThrow("down");
    expect(await kept.get("k", [1], () => Promise.resolve(7))).toBe(7);
  });

  it("drops the least recently used entry beyond its capacity", async () => {
    const kept = fresh(2);
    await kept.get("a", [], () => Promise.resolve(1));
    await kept.get("b", [], () => Promise.resolve(2));
    await kept.get("a", [], () => Promise.resolve(-1)); // a is now the most recent
    await kept.get("c", [], () => Promise.resolve(3)); // b goes
    expect(kept.size).toBe(2);
    expect(await kept.get("a", [], () => Promise.resolve(-1))).toBe(1);
    expect(await kept.get("b", [], () => Promise.resolve(20))).toBe(20);
  });
});
