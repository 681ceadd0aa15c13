/**
 * Renders one invoice PDF in the current thread. The app calls renderInvoicePdf (render.ts),
 * which runs this inside a worker thread; tests and benchmarks may call it directly.
 */
import { Font, renderToBuffer } from "@react-pdf/renderer";
import { InvoiceDocument } from "./invoice-document";
import { planInvoice } from "./layout";
import { ReceiptDocument } from "./receipt-document";
import { planReceipt } from "./receipt-layout";
import { PDF_FONT_FAMILY, registerPdfFonts } from "./register-fonts";
import { createMeasure, primeGlyphCodePoints, trimDecodedNameTable, type Measure, type MetricsFont } from "./text-measure";
import type { InvoicePdfData, ReceiptPdfData } from "@/lib/invoices/types";

function isMetricsFont(font: unknown): font is MetricsFont {
  if (typeof font !== "object" || font === null) return false;
  const f = font as Partial<Record<keyof MetricsFont, unknown>>;
  return typeof f.unitsPerEm === "number" && Array.isArray(f.characterSet) && typeof f.glyphForCodePoint === "function";
}

let measurePromise: Promise<Measure> | undefined;

/** Loads the fonts once per thread; the layout measures text with react-pdf's own font objects. */
export function loadPdfMeasure(): Promise<Measure> {
  measurePromise ??= (async () => {
    registerPdfFonts();
    // Numeric weights: react-pdf's font lookup matches "bold" only as 700.
    const load = async (fontWeight: 400 | 700): Promise<MetricsFont> => {
      const descriptor = { fontFamily: PDF_FONT_FAMILY, fontWeight };
      await Font.load(descriptor);
      // react-pdf types its font objects without fontkit's typings: check the parts used here.
      const font: unknown = Font.getFont(descriptor).data;
      if (!isMetricsFont(font)) throw new Error(`Cumulus: PDF font ${PDF_FONT_FAMILY} ${fontWeight} did not load`);
      primeGlyphCodePoints(font);
      trimDecodedNameTable(font);
      return font;
    };
    const [regular, bold] = await Promise.all([load(400), load(700)]);
    return createMeasure(regular, bold);
  })();
  measurePromise.catch(() => {
    measurePromise = undefined; // let the next render retry
  });
  return measurePromise;
}

export async function renderInvoicePdfInProcess(data: InvoicePdfData): Promise<Uint8Array> {
  const plan = planInvoice(data, await loadPdfMeasure());
  const buffer = await renderToBuffer(<InvoiceDocument plan={plan} />);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

export async function renderReceiptPdfInProcess(data: ReceiptPdfData): Promise<Uint8Array> {
  const plan = planReceipt(data, await loadPdfMeasure());
  const buffer = await renderToBuffer(<ReceiptDocument plan={plan} />);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}
