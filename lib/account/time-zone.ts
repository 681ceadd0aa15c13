/** The account's time zone, which its due dates, reminders, card notices and charges follow. */
import { and, eq, ne, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { accounts } from "@/db/schema";
import { audit } from "@/lib/audit";
import { isTimeZone } from "@/lib/time-zones";

export const TIME_ZONE_UNKNOWN = "Choose a time zone from the list, e.g. Europe/Stockholm.";

export type TimeZoneChange = { ok: true; changed: boolean } | { ok: false; message: string };

/**
 * Sets the account's time zone, with an audit row (before and after) in the same transaction.
 * A zone the runtime does not know changes nothing; the same zone again writes nothing.
 */
export async function updateTimeZone(db: Database, accountId: string, actorUserId: string, timeZone: string): Promise<TimeZoneChange> {
  if (!isTimeZone(timeZone)) return { ok: false, message: TIME_ZONE_UNKNOWN };
  return db.transaction(async (tx) => {
    const [before] = await tx.select({ timeZone: accounts.timeZone }).from(accounts).where(eq(accounts.id, accountId)).for("update");
    if (!before) return { ok: false as const, message: "Account not found." };
    const changed = await tx
      .update(accounts)
      .set({ timeZone, updatedAt: sql`now()` })
      .where(and(eq(accounts.id, accountId), ne(accounts.timeZone, timeZone)))
      .returning({ id: accounts.id });
    if (changed.length === 0) return { ok: true as const, changed: false };
    await audit(tx, { accountId, actorUserId, action: "account.time_zone_changed", entityType: "account", entityId: accountId, before, after: { timeZone } });
    return { ok: true as const, changed: true };
  });
}
