// Vitest 5 requires Node ≥ 22 and its main process calls Map.groupBy (to print a failed test),
// Object.groupBy (to save snapshots) and Promise.withResolvers (watch mode), which Node 20
// lacks: without these, the first failing test crashes the reporter instead of being shown.
// vitest.config.ts imports this file, so it is evaluated in that main process (a setupFiles entry
// would only reach the test workers). Remove once the project runs on Node ≥ 22.
if (typeof Map.groupBy !== "function") {
  Object.defineProperty(Map, "groupBy", {
    configurable: true,
    writable: true,
    value(items, key) {
      const groups = new Map();
      let i = 0;
      for (const item of items) {
        const k = key(item, i++);
        const list = groups.get(k);
        if (list) list.push(item);
        else groups.set(k, [item]);
      }
      return groups;
    },
  });
}
if (typeof Object.groupBy !== "function") {
  Object.defineProperty(Object, "groupBy", {
    configurable: true,
    writable: true,
    value(items, key) {
      const groups = Object.create(null);
      let i = 0;
      for (const item of items) (groups[key(item, i++)] ??= []).push(item);
      return groups;
    },
  });
}
if (typeof Promise.withResolvers !== "function") {
  Object.defineProperty(Promise, "withResolvers", {
    configurable: true,
    writable: true,
    value() {
      let resolve;
      let reject;
      const promise = new Promise((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}
