/** Every change writes an audit row in the same transaction: who, what, before, after, when. */
import type { Executor } from "@/db/client";
import { auditEvents } from "@/db/schema";

export type AuditInput = {
  accountId: string | null;
  actorUserId: string | null;
  action: string;
  entityType: string;
  entityId?: string | null;
  before?: unknown;
  after?: unknown;
};

/** JSON cannot hold bigint: amounts are written as decimal strings of minor units. */
function jsonSafe(value: unknown): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v)));
}

export async function audit(db: Executor, e: AuditInput): Promise<void> {
  await db.insert(auditEvents).values({
    accountId: e.accountId,
    actorUserId: e.actorUserId,
    action: e.action,
    entityType: e.entityType,
    entityId: e.entityId ?? null,
    before: jsonSafe(e.before),
    after: jsonSafe(e.after),
  });
}
