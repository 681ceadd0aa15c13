import { z } from "zod";

/** The number of the first invoice ever issued; invoice and credit-note numbers go up from it, without gaps. */
export const FIRST_INVOICE_NUMBER = 100_001;

/** What an invoice number looks like in a URL or a form: digits, no leading zero, at most 15 (a safe integer). */
export const INVOICE_NUMBER_PATTERN = /^[1-9]\d{0,14}$/;

/** An invoice number from a URL or a form field; the message is what a form shows for any other value. */
export const invoiceNumberSchema = z.string().regex(INVOICE_NUMBER_PATTERN, "Unknown invoice.").transform(Number);
