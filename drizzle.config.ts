import { defineConfig } from "drizzle-kit";

// Migrations are generated from db/schema.ts and committed; the app applies them itself
// (embedded database) or through `npm run db:migrate` (a PostgreSQL server).
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema.ts",
  out: "./db/migrations",
  dbCredentials: { url: process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/cumulus" },
  strict: true,
  verbose: true,
});
