/**
 * A QR code as one SVG path: the `qrcode` library encodes (byte mode, UTF-8, error correction
 * level M as EPC069-12 asks), this draws its dark modules as filled rectangles, one unit per
 * module, inside a quiet zone of four modules. The same path draws the code in the browser
 * (<svg>) and in the PDF (@react-pdf/renderer's <Path>), so both stay vector and crisp.
 */
import QRCode from "qrcode";

export const QR_QUIET_ZONE_MODULES = 4;

export type QrSvgPath = {
  /** Width and height in modules, the quiet zone included: the SVG's viewBox is 0 0 size size. */
  size: number;
  /** The dark modules, filled (no stroke): one rectangle per run of dark modules in a row. */
  path: string;
};

export function qrSvgPath(text: string): QrSvgPath {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: "M" });
  const n = modules.size;
  const q = QR_QUIET_ZONE_MODULES;
  const parts: string[] = [];
  for (let row = 0; row < n; row++) {
    let col = 0;
    while (col < n) {
      if (!modules.data[row * n + col]) {
        col++;
        continue;
      }
      const start = col;
      while (col < n && modules.data[row * n + col]) col++;
      parts.push(`M${start + q} ${row + q}h${col - start}v1h-${col - start}z`);
    }
  }
  return { size: n + 2 * q, path: parts.join("") };
}
