/** GET /api/v1/invoices/N/pdf: the invoice's PDF, the same bytes as the panel's download. */
import { after } from "next/server";
import { apiRoute } from "@/lib/dal/api";
import { getInvoicePdf, parseInvoiceNumber } from "@/lib/dal/invoices";
import { notFoundProblem, READ_ONLY_METHODS } from "@/lib/api/problem";
import { pdfResponse } from "@/lib/http";

export const GET = apiRoute<{ number: string }>(async (viewer, request, params) => {
  const number = parseInvoiceNumber(params.number);
  if (number === null) return notFoundProblem();
  const pdf = await getInvoicePdf(viewer, number);
  if (!pdf) return notFoundProblem();
  // A first rendering is answered while its bytes are being stored.
  if (pdf.stored) after(pdf.stored);
  return pdfResponse(request, pdf, "attachment");
});

export const { POST, PUT, PATCH, DELETE } = READ_ONLY_METHODS;
