/**
 * Text widths from the embedded fonts' own advance widths, and greedy line wrapping.
 *
 * The layout plans every page itself (see layout.ts), so it must know how many lines each
 * text takes. The document switches off OpenType features (kerning, ligatures: see
 * FONT_FEATURES) so react-pdf places exactly these advance widths, and the width measured here
 * is the width it lays out: a line wrapped here never wraps again inside react-pdf.
 */

/** The part of a fontkit font used here (react-pdf's Font.getFont(...).data is one). */
export type MetricsFont = {
  unitsPerEm: number;
  characterSet: number[];
  glyphForCodePoint(codePoint: number): { advanceWidth: number };
};

/**
 * fontkit caches one glyph object per glyph id, with the code points of whoever created it
 * first, and pdfkit writes a PDF's text layer (ToUnicode) from those code points. When a
 * document embeds "ż", the font subset creates the component glyph "z" without code points;
 * every later PDF from the same thread then shows "z" but copies and searches as nothing.
 * Creating every glyph from its code point once, before any render, keeps the text layer right.
 */
export function primeGlyphCodePoints(font: MetricsFont): void {
  for (const codePoint of font.characterSet) font.glyphForCodePoint(codePoint);
}

const NAMES_KEPT = new Set(["fontFamily", "fontSubfamily", "fullName", "postscriptName", "preferredFamily"]);

/**
 * pdfkit compares fonts on every text run by JSON-serialising their whole decoded `name` table,
 * and DejaVu's carries its 4.9 KB licence text: about 40 ms of a 300-line invoice. The decoded
 * table is only read for names (the subset embedded in the PDF has no `name` table), so all
 * but the family and PostScript names are dropped from the in-memory copy; the font file and its licence
 * (fonts/LICENSE) are untouched.
 */
export function trimDecodedNameTable(font: unknown): void {
  const records = (font as { name?: { records?: Record<string, unknown> } }).name?.records;
  if (!records) return;
  for (const key of Object.keys(records)) if (!NAMES_KEPT.has(key)) delete records[key];
}

/** Every default OpenType feature fontkit applies to Latin text, switched off. */
export const FONT_FEATURES: Record<string, boolean> = {
  ccmp: false,
  locl: false,
  rlig: false,
  rvrn: false,
  mark: false,
  mkmk: false,
  calt: false,
  clig: false,
  liga: false,
  rclt: false,
  curs: false,
  kern: false,
};

export type Measure = (text: string, fontSize: number, bold?: boolean) => number;

export function createMeasure(regular: MetricsFont, bold: MetricsFont): Measure {
  // Advance widths per code point, in font units; a few hundred entries at most.
  const caches = [new Map<number, number>(), new Map<number, number>()] as const;
  const fonts = [regular, bold] as const;
  return (text, fontSize, isBold = false) => {
    const i = isBold ? 1 : 0;
    const font = fonts[i];
    const cache = caches[i];
    let units = 0;
    for (const ch of text) {
      const cp = ch.codePointAt(0) ?? 0;
      let w = cache.get(cp);
      if (w === undefined) {
        w = font.glyphForCodePoint(cp).advanceWidth;
        cache.set(cp, w);
      }
      units += w;
    }
    return (units * fontSize) / font.unitsPerEm;
  };
}

// Safety margin against rounding between this sum and react-pdf's own.
const SLACK = 0.5;

/**
 * Splits text into lines no wider than `width` points: at spaces, after hyphens and slashes,
 * and inside a word only when the word alone is too wide. Explicit newlines are kept.
 */
export function wrapText(text: string, width: number, measure: Measure, fontSize: number, bold = false): string[] {
  const max = width - SLACK;
  const out: string[] = [];
  for (const paragraph of text.split("\n")) {
    const fits = (s: string) => measure(s, fontSize, bold) <= max;
    if (fits(paragraph)) {
      out.push(paragraph);
      continue;
    }
    // Tokens keep a trailing hyphen, slash or dash, so "Łódź–Malmö" may break after the dash.
    const tokens = paragraph.match(/[^\s\-/–]*[\-/–]|[^\s\-/–]+|\s+/g) ?? [];
    let line = "";
    for (const token of tokens) {
      if (/^\s+$/.test(token)) {
        if (line) line += " ";
        continue;
      }
      const candidate = line + token;
      if (fits(candidate.trimEnd())) {
        line = candidate;
        continue;
      }
      if (line.trim()) out.push(line.trimEnd());
      line = "";
      // A word wider than the line is cut by characters.
      let rest = token;
      while (!fits(rest)) {
        let cut = 1;
        const chars = [...rest];
        while (cut < chars.length && fits(chars.slice(0, cut + 1).join(""))) cut++;
        out.push(chars.slice(0, cut).join(""));
        rest = chars.slice(cut).join("");
      }
      line = rest;
    }
    if (line.trim() || out.length === 0) out.push(line.trimEnd());
  }
  return out;
}
