/**
 * The cloud provider that issues the invoices: its block on every PDF and its bank account for
 * transfers. Operators set it through the environment (lib/env.ts); the defaults describe the
 * demo provider.
 */
import { env } from "@/lib/env";
import type { InvoicePdfProvider } from "@/lib/invoices/types";

/** The provider's calendar decides whether a month has ended and what "today" is for a job (Cumulus is a Swedish provider). */
export const PROVIDER_TIME_ZONE = "Europe/Stockholm";

export function providerDetails(): InvoicePdfProvider {
  const e = env();
  return {
    name: e.CUMULUS_PROVIDER_NAME,
    addressLines: e.CUMULUS_PROVIDER_ADDRESS.split("|"),
    countryCode: e.CUMULUS_PROVIDER_COUNTRY,
    organisationNumber: e.CUMULUS_PROVIDER_ORG_NUMBER,
    vatNumber: e.CUMULUS_PROVIDER_VAT_NUMBER,
    iban: e.CUMULUS_PROVIDER_IBAN,
    bic: e.CUMULUS_PROVIDER_BIC,
    bankgiro: e.CUMULUS_PROVIDER_BANKGIRO ?? "5050-1055",
    email: e.CUMULUS_PROVIDER_EMAIL,
    web: e.CUMULUS_PROVIDER_WEB,
  };
}
