import { processSingleton } from "@/db/singleton";

/**
 * A bounded, process-wide cache of computations, the least recently used going first. An entry
 * is served while its stamp (e.g. the database handle, the account's ledger version and the day)
 * matches the caller's, element by element; the promise is kept at once, so that requests asking
 * together share one computation, and a failed one is forgotten, so that the next request asks
 * again.
 */
export type KeptPromises<V> = {
  get(key: string, stamp: readonly unknown[], compute: () => Promise<V>): Promise<V>;
  readonly size: number;
};

type Entry<V> = { stamp: readonly unknown[]; value: Promise<V> };

const sameStamp = (a: readonly unknown[], b: readonly unknown[]) => a.length === b.length && a.every((v, i) => v === b[i]);

export function keptPromises<V>(name: string, capacity: number): KeptPromises<V> {
  const entries = processSingleton(`kept.${name}`, () => new Map<string, Entry<V>>());
  return {
    get(key, stamp, compute) {
      const hit = entries.get(key);
      entries.delete(key);
      if (hit && sameStamp(hit.stamp, stamp)) {
        entries.set(key, hit);
        return hit.value;
      }
      const value = compute();
      entries.set(key, { stamp, value });
      if (entries.size > capacity) entries.delete(entries.keys().next().value!);
      value.catch(() => {
        if (entries.get(key)?.value === value) entries.delete(key);
      });
      return value;
    },
    get size() {
      return entries.size;
    },
  };
}
