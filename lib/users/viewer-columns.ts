import { sql } from "drizzle-orm";
import { accounts, paymentsUnderWayVersions, users } from "@/db/schema";

/** The user and account columns a viewer is made of: a session's and an API token's alike. */
export const viewerColumns = {
  userId: users.id,
  email: users.email,
  name: users.name,
  isAdmin: users.isAdmin,
  invoiceAccess: users.invoiceAccess,
  accountId: accounts.id,
  accountName: accounts.name,
  kind: accounts.kind,
  countryCode: accounts.countryCode,
  currency: accounts.currency,
  language: accounts.language,
  timeZone: accounts.timeZone,
  ledgerVersion: accounts.ledgerVersion,
  // No row until the account's first payment comes under way.
  underWayVersion: sql<number>`coalesce((select ${paymentsUnderWayVersions.version} from ${paymentsUnderWayVersions} where ${paymentsUnderWayVersions.accountId} = ${accounts.id}), 0)`.mapWith(Number),
};
