/**
 * The invoice PDF's payment QR code, planned beside the bank details: the code for what is
 * outstanding now (lib/payments/payment-qr.ts) as a vector path, and its caption. None on a
 * credit note, a paid invoice, in a currency without a format, or while a card payment is under
 * way (the panel hides the bank transfer then too).
 */
import { pdfStrings } from "@/lib/format/invoice-strings";
import type { InvoicePdfData } from "@/lib/invoices/types";
import { paymentQrFor } from "@/lib/payments/payment-qr";
import { qrSvgPath } from "@/lib/payments/qr-matrix";
import { PAGE_GEOMETRY } from "./page-geometry";
import type { PlanText } from "./plan-blocks";

export type PlanPaymentQr = {
  /** Modules across, the quiet zone included: the Svg's viewBox. */
  modules: number;
  path: string;
  caption: string;
  /** Width taken from the payment block: the code and the gap before it. */
  width: number;
  height: number;
};

export function planPaymentQr(data: InvoicePdfData, text: PlanText): PlanPaymentQr | null {
  const qr = data.paymentUnderWay ? null : paymentQrFor(data.provider, data);
  if (!qr) return null;
  const { size, path } = qrSvgPath(qr.payload);
  const g = PAGE_GEOMETRY;
  const caption = text.wrap(pdfStrings(data.language).scanToPay, g.qrSize, g.smallSize);
  return { modules: size, path, caption: caption.text, width: g.qrSize + g.qrGap, height: g.qrSize + caption.lines * g.smallLine };
}
