import { accounts, users } from "@/db/schema";

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
};
