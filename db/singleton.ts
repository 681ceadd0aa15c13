/**
 * Values shared by the whole server process. Next.js bundles the proxy, instrumentation and the
 * app's routes as separate module graphs (and reloads modules in development), so a module-level
 * `const` would exist once per graph: these live on `globalThis` under a `Symbol.for` key instead.
 * In db/ so that db/ can use it; lib/ imports it from here.
 */

type Store = Record<symbol, unknown>;

export type ProcessSlot<T> = {
  get(): T | undefined;
  /** The value, created by `create` when the slot is empty. */
  getOrCreate(create: () => T): T;
  /** `undefined` empties the slot (a pool that was closed). */
  set(value: T | undefined): void;
};

/** A process-wide slot that can be read, filled and emptied. */
export function processSlot<T>(name: string): ProcessSlot<T> {
  const key = Symbol.for(`cumulus.${name}`);
  const store = globalThis as unknown as Store;
  const slot: ProcessSlot<T> = {
    get: () => store[key] as T | undefined,
    getOrCreate(create) {
      if (!(key in store)) store[key] = create();
      return store[key] as T;
    },
    set(value) {
      if (value === undefined) delete store[key];
      else store[key] = value;
    },
  };
  return slot;
}

/** The process's one `name`, created by `create` on first use and never replaced. */
export function processSingleton<T>(name: string, create: () => T): T {
  return processSlot<T>(name).getOrCreate(create);
}
