/**
 * Reads a QR code back from a PDF page as a phone would from paper: poppler's pdftoppm
 * (Debian's poppler-utils) rasterises the page in grey, jsQR finds and decodes the code. Tests
 * skip when pdftoppm is missing.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import jsQR from "jsqr";

export const hasPdftoppm = (() => {
  try {
    execFileSync("pdftoppm", ["-v"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

/** A binary PGM (P5, 8-bit) as RGBA pixels, which is what jsQR reads. */
function pgmToRgba(pgm: Buffer): { width: number; height: number; rgba: Uint8ClampedArray } {
  // Header: "P5", width, height, maxval, each separated by whitespace, then one byte per pixel.
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 64).toString("latin1"));
  if (!header) throw new Error("pdftoppm did not write a binary PGM");
  const [width, height] = [Number(header[1]), Number(header[2])];
  const grey = pgm.subarray(header[0].length);
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    rgba.set([grey[i]!, grey[i]!, grey[i]!, 255], i * 4);
  }
  return { width, height, rgba };
}

/**
 * The text of the QR code on `page` (1-based), or null when the page shows none. `fromX` (0–1)
 * leaves out the page's left part, where the caller knows no code is: jsQR's time grows with
 * the pixels.
 */
export function decodePdfQr(pdf: Uint8Array, page = 1, { dpi = 150, fromX = 0 } = {}): string | null {
  const dir = mkdtempSync(path.join(tmpdir(), "cumulus-qr-"));
  const file = path.join(dir, "document.pdf");
  try {
    writeFileSync(file, pdf);
    const out = path.join(dir, "page");
    const a4WidthPx = Math.ceil((595.28 / 72) * dpi);
    const crop = fromX > 0 ? ["-x", String(Math.floor(a4WidthPx * fromX)), "-W", String(a4WidthPx)] : [];
    execFileSync("pdftoppm", ["-gray", "-r", String(dpi), ...crop, "-f", String(page), "-l", String(page), "-singlefile", file, out]);
    const { width, height, rgba } = pgmToRgba(readFileSync(`${out}.pgm`));
    return jsQR(rgba, width, height)?.data ?? null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
