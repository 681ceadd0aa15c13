// Stands in for the `server-only` marker package in tests (see vitest.config.ts): the real one
// throws when imported outside a React Server Components bundle.
export {};
