/** GET /api/v1/invoices/N/pdf: the invoice's PDF, the same bytes as the panel's download. */
import { after } from "next/server";
import { apiRoute } from "@/lib/dal/api";
import { getInvoicePdf, parseInvoiceNumber } from "@/lib/dal/invoices";
import { notFoundProblem } from "@/lib/api/problem";

export const GET = apiRoute<{ number: string }>(async (viewer, _request, params) => {
  const number = parseInvoiceNumber(params.number);
  if (number === null) return notFoundProblem();
  const pdf = await getInvoicePdf(viewer, number);
  if (!pdf) return notFoundProblem();
  // A first rendering is answered while its bytes are being stored.
  if ("stored" in pdf) after(pdf.stored);
  return new Response(pdf.bytes as Uint8Array<ArrayBuffer>, {
    status: 200,
    headers: {
      etag: pdf.etag,
      "cache-control": "private, no-store",
      "content-type": "application/pdf",
      "content-disposition": `attachment; filename="${pdf.fileName}"`,
      "x-content-type-options": "nosniff",
    },
  });
});
