/** Account settings for the current viewer: anyone signed in may read them; changing needs admin or invoice access Full. */
import "server-only";
import { getDb } from "@/db/client";
import { accountSettings } from "@/lib/account/settings";
import { billingRecipients, listContacts } from "@/lib/contacts/contacts";
import { countryOptions } from "@/lib/countries";
import { canManageBilling, type Viewer } from "./session";

export async function getAccountSettingsView(viewer: Viewer) {
  const db = getDb();
  const [settings, contacts, nextInvoiceTo] = await Promise.all([
    accountSettings(db, viewer.account.id),
    listContacts(db, viewer.account.id),
    billingRecipients(db, viewer.account.id),
  ]);
  if (!settings) return null;
  // The Country list in the page's language (the panel's pages are English: app/layout.tsx).
  const countries = countryOptions("en");
  return { email: viewer.email, canManage: canManageBilling(viewer), settings, contacts, nextInvoiceTo, countries };
}

export type AccountSettingsView = NonNullable<Awaited<ReturnType<typeof getAccountSettingsView>>>;
