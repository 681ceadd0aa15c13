/**
 * Account settings for the current viewer. The billing part (customer info, VAT number,
 * contacts, invoice settings) is read only for invoice access Read or Full, and changed only
 * with Full; invoice access None gets none of it, whatever the UI shows.
 */
import "server-only";
import { getDb } from "@/db/client";
import { accountSettings, updateCustomerInfo, updateInvoiceSettings, type InvoiceSettingsInput } from "@/lib/account/settings";
import type { CustomerInfoInput } from "@/lib/account/validation";
import { billingRecipients, listContacts } from "@/lib/contacts/contacts";
import { countryOptions } from "@/lib/countries";
import { timeZoneOptions } from "@/lib/time-zones";
import { automaticPaymentPreviewOf } from "./autopay";
import { budgetSettingsOf } from "./budget";
import { canManageBilling, canReadBilling, FULL_ACCESS_REQUIRED, type Viewer } from "./session";

async function billingSettingsView(viewer: Viewer) {
  const db = getDb();
  const [settings, contacts, nextInvoiceTo, autopayPreview, budget] = await Promise.all([
    accountSettings(db, viewer.account.id),
    listContacts(db, viewer.account.id),
    billingRecipients(db, viewer.account.id),
    automaticPaymentPreviewOf(viewer),
    budgetSettingsOf(viewer),
  ]);
  if (!settings) return null;
  // The Country list in the page's language (the panel's pages are English: app/layout.tsx).
  const countries = countryOptions("en");
  // The zones to choose from, for those who may change the account's.
  const timeZones = canManageBilling(viewer) ? timeZoneOptions() : [];
  return { canManage: canManageBilling(viewer), settings, contacts, nextInvoiceTo, countries, timeZones, autopayPreview, budget };
}

export type BillingSettingsView = NonNullable<Awaited<ReturnType<typeof billingSettingsView>>>;
/** `billing` is null for invoice access None: the slide-over then shows only the user's own controls. */
export type AccountSettingsView = { email: string; billing: BillingSettingsView | null };

export async function getAccountSettingsView(viewer: Viewer): Promise<AccountSettingsView> {
  return { email: viewer.email, billing: canReadBilling(viewer) ? await billingSettingsView(viewer) : null };
}

/** The viewer's account's customer info; null when the account is gone or the viewer may not change it. */
export async function saveViewerCustomerInfo(viewer: Viewer, input: CustomerInfoInput) {
  if (!canManageBilling(viewer)) return null;
  return updateCustomerInfo(getDb(), viewer.account.id, viewer.userId, input);
}

export async function saveViewerInvoiceSettings(viewer: Viewer, input: InvoiceSettingsInput) {
  if (!canManageBilling(viewer)) return { ok: false as const, message: FULL_ACCESS_REQUIRED };
  return updateInvoiceSettings(getDb(), viewer.account.id, viewer.userId, input);
}
