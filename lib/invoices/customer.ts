import type { IssuedCustomer, PostalAddress } from "@/db/schema";

/** What an account holds of its customer block (the accounts row, or a seed's account spec). */
export type CustomerBlockSource = PostalAddress &
  Partial<Pick<IssuedCustomer, "organisationNumber" | "vatNumber" | "purchaseOrder">> & { billingAddress?: PostalAddress | null };

/**
 * The customer block printed on an invoice, frozen as the account is now: the billing address
 * when one is set, else the account's own. An issued invoice keeps it whatever changes later.
 */
export function issuedCustomerOf(account: CustomerBlockSource): IssuedCustomer {
  const billing = account.billingAddress;
  const address = billing
    ? { name: billing.name, careOf: billing.careOf ?? null, street: billing.street, zipCode: billing.zipCode, city: billing.city, countryCode: billing.countryCode }
    : { name: account.name, careOf: account.careOf ?? null, street: account.street, zipCode: account.zipCode, city: account.city, countryCode: account.countryCode };
  return {
    ...address,
    organisationNumber: account.organisationNumber ?? null,
    vatNumber: account.vatNumber ?? null,
    purchaseOrder: account.purchaseOrder ?? null,
  };
}
