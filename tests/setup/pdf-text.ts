/**
 * Reads a PDF's text back with poppler's pdftotext (Debian's poppler-utils), for tests that
 * compare what a PDF prints with the data it was made from. Tests skip when it is missing.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export const hasPdftotext = (() => {
  try {
    execFileSync("pdftotext", ["-v"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

/** The text of one page (or all), with the no-break and narrow spaces of sv-SE made plain. */
export function pdfText(pdf: Uint8Array, page?: number): string {
  const dir = mkdtempSync(path.join(tmpdir(), "cumulus-pdf-"));
  const file = path.join(dir, "document.pdf");
  try {
    writeFileSync(file, pdf);
    const range = page ? ["-f", String(page), "-l", String(page)] : [];
    return execFileSync("pdftotext", [...range, "-layout", "-enc", "UTF-8", file, "-"], { encoding: "utf8" }).replace(
      /[\u00a0\u202f]/g,
      " ",
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
