/** GET /invoices/statement/pdf?period=…: the account statement for the period as a PDF download. */
import { getStatementPdf, readStatementRequest } from "@/lib/dal/statement";
import { answerOrRenderBusy } from "@/lib/http";

export async function GET(request: Request) {
  const asked = await readStatementRequest(request);
  if (asked instanceof Response) return asked;
  return answerOrRenderBusy(async () => {
    const pdf = await getStatementPdf(asked.viewer, asked.period);
    return new Response(pdf.bytes as Uint8Array<ArrayBuffer>, {
      headers: {
        "cache-control": "private, no-store",
        "content-type": "application/pdf",
        "content-disposition": `attachment; filename="${pdf.fileName}"`,
        "x-content-type-options": "nosniff",
      },
    });
  });
}
