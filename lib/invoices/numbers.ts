/** The number of the first invoice ever issued; invoice and credit-note numbers go up from it, without gaps. */
export const FIRST_INVOICE_NUMBER = 100_001;
