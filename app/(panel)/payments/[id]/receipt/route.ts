/**
 * GET /payments/ID/receipt: a settled payment's receipt as application/pdf, inline;
 * ?download=1 as an attachment. Unknown, foreign and unsettled payments answer 404 alike.
 */
import { getPaymentReceipt } from "@/lib/dal/payments";
import { requireViewer } from "@/lib/dal/session";
import { answerOrRenderBusy, notFoundFor } from "@/lib/http";

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const viewer = await requireViewer();
  const id = (await params).id;
  return answerOrRenderBusy(async () => {
    const receipt = await getPaymentReceipt(viewer, id);
    if (!receipt) return notFoundFor(request);
    const download = new URL(request.url).searchParams.get("download") === "1";
    return new Response(receipt.bytes as Uint8Array<ArrayBuffer>, {
      status: 200,
      headers: {
        // Account data: never kept by any cache.
        "cache-control": "private, no-store",
        "content-type": "application/pdf",
        "content-disposition": `${download ? "attachment" : "inline"}; filename="${receipt.fileName}"`,
        "x-content-type-options": "nosniff",
      },
    });
  });
}
