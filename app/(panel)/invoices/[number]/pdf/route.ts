/**
 * GET /invoices/N/pdf: the invoice as application/pdf, inline; ?download=1 as an attachment.
 * Stored bytes carry an ETag, and a matching If-None-Match answers 304 Not Modified.
 */
import { after } from "next/server";
import { getInvoicePdf, parseInvoiceNumber } from "@/lib/dal/invoices";
import { requireViewer } from "@/lib/dal/session";
import { notFoundFor } from "@/lib/http";

export async function GET(request: Request, { params }: { params: Promise<{ number: string }> }) {
  const viewer = await requireViewer();
  const number = parseInvoiceNumber((await params).number);
  if (number === null) return notFoundFor(request);
  const pdf = await getInvoicePdf(viewer, number);
  if (!pdf) return notFoundFor(request);
  // A first rendering is answered while its bytes are being stored; after() keeps a serverless
  // function alive until they are.
  if ("stored" in pdf) after(pdf.stored);

  const download = new URL(request.url).searchParams.get("download") === "1";
  const headers = {
    etag: pdf.etag,
    // Account data is never kept by any cache; a client that has the bytes may still ask with If-None-Match.
    "cache-control": "private, no-store",
    "content-type": "application/pdf",
    "content-disposition": `${download ? "attachment" : "inline"}; filename="${pdf.fileName}"`,
    "x-content-type-options": "nosniff",
  };
  const inm = request.headers.get("if-none-match");
  if (inm && inm.split(",").some((t) => t.trim() === pdf.etag)) {
    return new Response(null, { status: 304, headers: { etag: pdf.etag, "cache-control": headers["cache-control"] } });
  }
  return new Response(pdf.bytes as Uint8Array<ArrayBuffer>, { status: 200, headers });
}
