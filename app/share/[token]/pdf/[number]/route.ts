/** GET /share/TOKEN/pdf/N: one of a share link's invoices as a PDF (no session: the token is the key). */
import { after } from "next/server";
import { parseInvoiceNumber } from "@/lib/dal/invoices";
import { getSharedInvoicePdf, getSharedLink, recordSharedFetch } from "@/lib/dal/shared";
import { answerOrRenderBusy, notFoundFor, pdfResponse } from "@/lib/http";

export async function GET(request: Request, { params }: { params: Promise<{ token: string; number: string }> }) {
  const { token, number: raw } = await params;
  const link = await getSharedLink(token);
  const number = parseInvoiceNumber(raw);
  if (!link || number === null) return notFoundFor(request);
  return answerOrRenderBusy(async () => {
    const pdf = await getSharedInvoicePdf(link, number);
    if (!pdf) return notFoundFor(request);
    await recordSharedFetch(link, { what: "pdf", invoiceNumber: number });
    if (pdf.stored) after(pdf.stored);
    return pdfResponse(request, pdf);
  });
}
