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

/** One word as pdftotext -bbox places it, in PDF points from the page's top left. */
export type WordBox = { page: number; text: string; xMin: number; yMin: number; xMax: number; yMax: number };

export type PageBoxes = { width: number; height: number; words: WordBox[] };

const decodeEntities = (s: string) =>
  s.replace(/&(amp|lt|gt|quot|apos|#\d+);/g, (_, e: string) =>
    e === "amp" ? "&" : e === "lt" ? "<" : e === "gt" ? ">" : e === "quot" ? '"' : e === "apos" ? "'" : String.fromCodePoint(Number(e.slice(1))),
  );

/** Every page's size and the box of every word on it (poppler's `pdftotext -bbox`). */
export function pdfWordBoxes(pdf: Uint8Array): PageBoxes[] {
  const dir = mkdtempSync(path.join(tmpdir(), "cumulus-pdf-"));
  const file = path.join(dir, "document.pdf");
  try {
    writeFileSync(file, pdf);
    const html = execFileSync("pdftotext", ["-bbox", "-enc", "UTF-8", file, "-"], { encoding: "utf8" });
    const pages: PageBoxes[] = [];
    for (const [, attrs, body] of html.matchAll(/<page ([^>]*)>([\s\S]*?)<\/page>/g)) {
      const size = (name: string) => Number(new RegExp(`${name}="([\\d.]+)"`).exec(attrs!)![1]);
      const page = pages.length + 1;
      const words = [...body!.matchAll(/<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">([^<]*)<\/word>/g)].map(
        ([, xMin, yMin, xMax, yMax, text]) => ({ page, text: decodeEntities(text!), xMin: +xMin!, yMin: +yMin!, xMax: +xMax!, yMax: +yMax! }),
      );
      pages.push({ width: size("width"), height: size("height"), words });
    }
    return pages;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
