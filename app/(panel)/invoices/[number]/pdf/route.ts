/**
 * GET /invoices/N/pdf: the invoice as application/pdf, inline; ?download=1 as an attachment.
 * Stored bytes carry an ETag, and a matching If-None-Match answers 304 Not Modified.
 */
import { after } from "next/server";
import { getInvoicePdf, parseInvoiceNumber } from "@/lib/dal/invoices";
import { requireViewer } from "@/lib/dal/session";
import { answerOrRenderBusy, notFoundFor, pdfResponse } from "@/lib/http";

export async function GET(request: Request, { params }: { params: Promise<{ number: string }> }) {
  const viewer = await requireViewer();
  const number = parseInvoiceNumber((await params).number);
  if (number === null) return notFoundFor(request);
  return answerOrRenderBusy(async () => {
    const pdf = await getInvoicePdf(viewer, number);
    if (!pdf) return notFoundFor(request);
    // A first rendering is answered while its bytes are being stored; after() keeps a serverless
    // function alive until they are.
    if (pdf.stored) after(pdf.stored);
    return pdfResponse(request, pdf);
  });
}
