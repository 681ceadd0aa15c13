/**
 * The cloud provider that issues the invoices: its block on every PDF and its bank account for
 * transfers. Operators set it through the environment (lib/env.ts); the defaults describe the
 * demo provider.
 */
import { env } from "@/lib/env";
import type { InvoicePdfProvider } from "@/lib/invoices/types";

/** The provider's calendar decides whether a month has ended and what "today" is for a job (Cumulus is a Swedish provider). */
export const PROVIDER_TIME_ZONE = "Europe/Stockholm";

/** The demo provider's bank account, used only while the operator has set none of their own. */
const DEMO_BANK = { iban: "SE45 5000 0000 0583 9825 7466", bic: "ESSESESS", bankgiro: "5050-1055" };

export function providerDetails(): InvoicePdfProvider {
  const e = env();
  // An operator's own IBAN never pairs with the demo's BIC or bankgiro: a code would pay someone else.
  const bank = e.CUMULUS_PROVIDER_IBAN === undefined ? DEMO_BANK : { iban: e.CUMULUS_PROVIDER_IBAN, bic: "", bankgiro: null };
  return {
    name: e.CUMULUS_PROVIDER_NAME,
    addressLines: e.CUMULUS_PROVIDER_ADDRESS.split("|"),
    countryCode: e.CUMULUS_PROVIDER_COUNTRY,
    organisationNumber: e.CUMULUS_PROVIDER_ORG_NUMBER,
    vatNumber: e.CUMULUS_PROVIDER_VAT_NUMBER,
    iban: bank.iban,
    bic: e.CUMULUS_PROVIDER_BIC ?? bank.bic,
    bankgiro: e.CUMULUS_PROVIDER_BANKGIRO ?? bank.bankgiro,
    email: e.CUMULUS_PROVIDER_EMAIL,
    web: e.CUMULUS_PROVIDER_WEB,
  };
}
