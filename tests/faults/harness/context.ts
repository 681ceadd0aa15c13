/** What every fault scenario gets from tests/faults/run.ts. */
import type { PrivatePostgres } from "@/scripts/lib/postgres";

export type FaultContext = {
  /** A superuser URL of the PostgreSQL server the scenarios create their databases on. */
  adminUrl: string;
  /** The private server (null when the scenarios run on DATABASE_URL's server instead). */
  pg: PrivatePostgres | null;
  /** The servers' AUTH_SECRET: the same across restarts, so sessions survive them. */
  authSecret: string;
  /** Keep the scenario databases for inspection. */
  keep: boolean;
  log: (line: string) => void;
};
