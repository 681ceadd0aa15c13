/**
 * GET /invoices/N/ubl: the invoice or credit note as a UBL 2.1 e-invoice (EN 16931, Peppol BIS
 * Billing 3.0), as an attachment. The same access as its PDF: no invoice access, or another
 * account's number, answers 404.
 */
import { getInvoiceUbl, parseInvoiceNumber } from "@/lib/dal/invoices";
import { requireViewer } from "@/lib/dal/session";
import { notFoundFor, ublResponse } from "@/lib/http";

export async function GET(request: Request, { params }: { params: Promise<{ number: string }> }) {
  const viewer = await requireViewer();
  const number = parseInvoiceNumber((await params).number);
  if (number === null) return notFoundFor(request);
  const ubl = await getInvoiceUbl(viewer, number);
  if (!ubl) return notFoundFor(request);
  return ublResponse(ubl);
}
