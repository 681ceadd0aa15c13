import path from "node:path";

export const DEMO_PASSWORD = "cumulus-demo-2026";

/** The demo users of docs/product.md, one per role. */
export const ROLES = {
  demo: "demo@example.com", // admin, invoice access Full
  reader: "reader@example.com", // invoice access Read
  noaccess: "noaccess@example.com", // invoice access None
  other: "other@example.com", // another account
} as const;

export type Role = keyof typeof ROLES;

export function storageStatePath(role: Role): string {
  return path.join(process.cwd(), "test-results", ".auth", `${role}.json`);
}
