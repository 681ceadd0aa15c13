/**
 * The cloud provider that issues the invoices: its block on every PDF and its bank account for
 * transfers. Operators set it through the environment; the defaults describe the demo provider.
 */
import type { InvoicePdfProvider } from "@/lib/pdf/types";

export function providerDetails(): InvoicePdfProvider {
  const e = process.env;
  return {
    name: e.CUMULUS_PROVIDER_NAME || "Cumulus Cloud AB",
    addressLines: (e.CUMULUS_PROVIDER_ADDRESS || "Molnvägen 1|111 21 Stockholm|Sweden").split("|"),
    organisationNumber: e.CUMULUS_PROVIDER_ORG_NUMBER || "559000-0001",
    vatNumber: e.CUMULUS_PROVIDER_VAT_NUMBER || "SE559000000101",
    iban: e.CUMULUS_PROVIDER_IBAN || "SE45 5000 0000 0583 9825 7466",
    bic: e.CUMULUS_PROVIDER_BIC || "ESSESESS",
    bankgiro: e.CUMULUS_PROVIDER_BANKGIRO || "5050-1055",
    email: e.CUMULUS_PROVIDER_EMAIL || "billing@cumulus.example",
    web: e.CUMULUS_PROVIDER_WEB || "https://cumulus.example",
  };
}
