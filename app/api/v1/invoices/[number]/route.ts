/** GET /api/v1/invoices/N: one invoice with its lines; a missing or foreign number answers 404 alike. */
import { apiJson, apiRoute } from "@/lib/dal/api";
import { getInvoice, parseInvoiceNumber } from "@/lib/dal/invoices";
import { notFoundProblem, READ_ONLY_METHODS } from "@/lib/api/problem";
import { invoiceJson } from "@/lib/api/serialize";

export const GET = apiRoute<{ number: string }>(async (viewer, _request, params) => {
  const number = parseInvoiceNumber(params.number);
  const invoice = number === null ? null : await getInvoice(viewer, number);
  return invoice ? apiJson(invoiceJson(invoice)) : notFoundProblem();
});

export const { POST, PUT, PATCH, DELETE } = READ_ONLY_METHODS;
