/**
 * Registers the TTF fonts shipped in lib/pdf/fonts/ with react-pdf. The built-in Helvetica
 * only covers WinAnsi (Polish letters come out garbled) and nothing may be fetched at render
 * time, so the PDF embeds (a subset of) DejaVu Sans, which covers all of Latin. The files are
 * themselves cut down to Latin, Greek and Cyrillic by scripts/subset-fonts.sh (faster renders).
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Font } from "@react-pdf/renderer";
import { env } from "@/lib/env";

export const PDF_FONT_FAMILY = "DejaVu Sans";

/**
 * Where the TTF files are. `next start`, vitest and tsx all run with the repository root as the
 * working directory; CUMULUS_PDF_FONT_DIR overrides it (e.g. a standalone build that copies the
 * fonts elsewhere); the module's own directory is the fallback when it runs from source.
 */
function fontDirectory(): string {
  const candidates: string[] = [];
  const configured = env().CUMULUS_PDF_FONT_DIR;
  if (configured) candidates.push(path.resolve(configured));
  candidates.push(path.join(process.cwd(), "lib", "pdf", "fonts"));
  if (import.meta.url.startsWith("file:")) {
    candidates.push(path.join(path.dirname(fileURLToPath(import.meta.url)), "fonts"));
  }
  const found = candidates.find((dir) => existsSync(path.join(dir, "DejaVuSans.ttf")));
  if (!found) {
    throw new Error(
      `Cumulus: the PDF fonts were not found (looked in ${candidates.join(", ")}); ` +
        "set CUMULUS_PDF_FONT_DIR to the directory holding DejaVuSans.ttf and DejaVuSans-Bold.ttf",
    );
  }
  return found;
}

let registered = false;

/** Idempotent: react-pdf's font store is per process (per worker thread). */
export function registerPdfFonts(): void {
  if (registered) return;
  const dir = fontDirectory();
  Font.register({
    family: PDF_FONT_FAMILY,
    fonts: [
      { src: path.join(dir, "DejaVuSans.ttf"), fontWeight: "normal" },
      { src: path.join(dir, "DejaVuSans-Bold.ttf"), fontWeight: "bold" },
    ],
  });
  // Hyphenating invoice labels, numbers and IBANs would only corrupt them.
  Font.registerHyphenationCallback((word) => [word]);
  registered = true;
}
