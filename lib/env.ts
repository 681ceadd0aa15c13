/**
 * The one place that reads process.env. Validated lazily (on first use) so that `next build`
 * never needs runtime secrets, and cached afterwards.
 */
import path from "node:path";
import { z } from "zod";

const bool = z
  .enum(["1", "0", "true", "false", "yes", "no", ""])
  .optional()
  .transform((v) => v === "1" || v === "true" || v === "yes");

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** A PostgreSQL server; without it the embedded PGlite database in CUMULUS_DATA_DIR is used. */
  DATABASE_URL: z.preprocess((v) => (v === "" ? undefined : v), z.url({ protocol: /^postgres(ql)?$/ }).optional()),
  /** Pool size per server process on PostgreSQL. */
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
  CUMULUS_DATA_DIR: z.string().min(1).default(".data"),
  /** Production refuses the embedded database unless this explicit opt-in is given. */
  CUMULUS_ALLOW_EMBEDDED: bool,
  AUTH_SECRET: z.string().optional(),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
});

export type Env = z.infer<typeof schema> & { dataDir: string; embedded: boolean };

let cached: Env | undefined;

export function env(): Env {
  if (cached) return cached;
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`Cumulus: invalid environment\n${problems}`);
  }
  const e = parsed.data;
  cached = {
    ...e,
    DATABASE_URL: e.DATABASE_URL || undefined,
    dataDir: path.resolve(e.CUMULUS_DATA_DIR),
    embedded: !e.DATABASE_URL,
  };
  return cached;
}

/** Tests switch databases between files. */
export function resetEnvCache() {
  cached = undefined;
}
