/**
 * GET /share/TOKEN/download: a shared bundle as the ZIP of Download selected (PDFs and index.csv),
 * at most SHARED_ZIPS_PER_HOUR (lib/auth/throttle.ts) times an hour per link: each may render hundreds of PDFs.
 */
import { countSharedZipDownload, getSharedInvoicePdf, getSharedInvoiceRows, getSharedLink, recordSharedFetch } from "@/lib/dal/shared";
import { accountToday } from "@/lib/dates";
import { notFoundFor } from "@/lib/http";
import { invoiceZipStream, zipFileName } from "@/lib/invoices/zip";

export async function GET(request: Request, { params }: { params: Promise<{ token: string }> }) {
  const link = await getSharedLink((await params).token);
  if (!link?.isBundle) return notFoundFor(request);
  const rate = await countSharedZipDownload(link);
  if (!rate.allowed) {
    return new Response("Too many downloads of this bundle; try again later.\n", {
      status: 429,
      headers: { "content-type": "text/plain; charset=utf-8", "retry-after": String(rate.retryAfterSeconds), "cache-control": "no-store" },
    });
  }
  const rows = await getSharedInvoiceRows(link);
  await recordSharedFetch(link, { what: "zip" });
  return new Response(invoiceZipStream(rows, (number) => getSharedInvoicePdf(link, number)), {
    headers: {
      "content-type": "application/zip",
      "content-disposition": `attachment; filename="${zipFileName(accountToday(link.account.timeZone))}"`,
      "cache-control": "no-store",
    },
  });
}
