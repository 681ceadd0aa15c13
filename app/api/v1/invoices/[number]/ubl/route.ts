/** GET /api/v1/invoices/N/ubl: the invoice as a UBL e-invoice, the same document as the panel's. */
import { apiRoute } from "@/lib/dal/api";
import { getInvoiceUbl, parseInvoiceNumber } from "@/lib/dal/invoices";
import { notFoundProblem, READ_ONLY_METHODS } from "@/lib/api/problem";
import { ublResponse } from "@/lib/http";

export const GET = apiRoute<{ number: string }>(async (viewer, _request, params) => {
  const number = parseInvoiceNumber(params.number);
  const ubl = number === null ? null : await getInvoiceUbl(viewer, number);
  return ubl ? ublResponse(ubl) : notFoundProblem();
});

export const { POST, PUT, PATCH, DELETE } = READ_ONLY_METHODS;
