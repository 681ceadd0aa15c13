import { asc, eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { users } from "@/db/schema";

/** The account's panel users, for the Users page. */
export function listUsers(db: Executor, accountId: string) {
  return db
    .select({ id: users.id, name: users.name, email: users.email, isAdmin: users.isAdmin, invoiceAccess: users.invoiceAccess })
    .from(users)
    .where(eq(users.accountId, accountId))
    .orderBy(asc(users.name), asc(users.email));
}
