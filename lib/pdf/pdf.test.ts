/**
 * The invoice PDF engine: exact number formatting, the page plan, real PDFs read back as text
 * (poppler's pdftotext), and the worker pool's failure handling.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { Font } from "@react-pdf/renderer";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { hasPdftotext, pdfText } from "@/tests/setup/pdf-text";
import { formatAmount, formatMoney, toDecimalString } from "@/lib/money";
import { formatDecimal, formatQuantity, formatUnitPrice, minorToMajorDecimal } from "@/lib/format/decimal";
import { describeLine, planInvoice } from "./layout";
import { PAGE_GEOMETRY } from "./page-geometry";
import { closePdfPool, createPdfPool, renderInvoicePdf, TEMPLATE_VERSION } from "./render";
import { PdfRenderError } from "./worker-pool";
import { PDF_FONT_FAMILY } from "./register-fonts";
import { loadPdfMeasure } from "./render-document";
import { sampleInvoicePdfData } from "./sample";
import { pdfStrings } from "@/lib/format/invoice-strings";
import { wrapText } from "./text-measure";
import type { InvoicePdfData } from "@/lib/invoices/types";

afterAll(async () => {
  await closePdfPool();
});
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, " ");

function pageCount(pdf: Uint8Array): number {
  // Every page object carries "/Type /Page" (the page tree itself is "/Type /Pages").
  return (Buffer.from(pdf).toString("latin1").match(/\/Type \/Page\b(?!s)/g) ?? []).length;
}

/** Labels with Polish and Swedish letters, to prove the embedded font covers them. */
function withLetters(data: InvoicePdfData): InvoicePdfData {
  const names = ["Łódź łącze", "Żółw żywność", "Åsa ängel öl", "Ärlig ström", "Gdańsk ÅÄÖ åäö"];
  return { ...data, lines: data.lines.map((l, i) => ({ ...l, label: `${names[i % names.length]} ${i + 1}` })) };
}

describe("exact decimals", () => {
  it("shows fractional unit prices in major units without floats", () => {
    expect(minorToMajorDecimal("1.9", "EUR")).toBe("0.019");
    expect(minorToMajorDecimal("250.000000", "EUR")).toBe("2.5");
    expect(minorToMajorDecimal("-5000", "EUR")).toBe("-50");
    expect(minorToMajorDecimal("5", "JPY")).toBe("5");
    expect(formatUnitPrice("1.9", "EUR", "en")).toBe("0.019");
    expect(formatUnitPrice("1.9", "EUR", "sv")).toBe("0,019");
    expect(formatUnitPrice("250", "EUR", "en")).toBe("2.50");
    expect(formatUnitPrice("123456789.123456", "EUR", "en")).toBe("1,234,567.89123456");
    expect(plain(formatUnitPrice("-5000", "EUR", "sv"))).toBe("−50,00");
    expect(formatQuantity("720.000000", "en")).toBe("720");
    expect(plain(formatQuantity("1250.500000", "sv"))).toBe("1 250,5");
  });

  it("formats whole minor amounts exactly like formatAmount", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), fc.constantFrom("en", "sv"), (minor, lang) => {
        const language = lang as "en" | "sv";
        expect(formatDecimal(toDecimalString(minor, "EUR"), language, 2)).toBe(formatAmount(minor, "EUR", language));
      }),
    );
  });
});

describe("shipped fonts", () => {
  // lib/pdf/fonts/ holds subsets (scripts/subset-fonts.sh): a customer's name or address must never
  // print as empty boxes because the subset dropped its script.
  const needed = [
    "ÅÄÖåäö ÆØæø ÐÞðþß", // Nordic
    "Łódź Żółw ĄĘĆŃŚŹ čšžřěůő ĞğŞşİı ăâîșț", // Latin Extended-A/B: Polish, Czech, Hungarian, Turkish, Romanian
    "Ελληνική Εταιρεία", // Greek (Greece, Cyprus)
    "България ООД Україна", // Cyrillic (Bulgaria, Ukraine)
    "€ £ ¥ № – — ‘’ “” • … \u00a0\u202f\u2009 −", // currency, dashes, quotes, the spaces and minus of number formats
  ].join("");

  it.each([400, 700] as const)("weight %i covers Latin, Greek and Cyrillic and the symbols invoices use", async (fontWeight) => {
    await loadPdfMeasure();
    const font = Font.getFont({ fontFamily: PDF_FONT_FAMILY, fontWeight }).data as unknown as { hasGlyphForCodePoint(c: number): boolean };
    const missing = [...needed].filter((ch) => !font.hasGlyphForCodePoint(ch.codePointAt(0)!));
    expect(missing).toEqual([]);
  });
});

describe("page plan", () => {
  it("wraps text within the width and keeps every word", async () => {
    const measure = await loadPdfMeasure();
    const text = "Objektlagring för Åsa Öberg i region Łódź–Malmö, replikerad till tre zoner med versionering";
    const lines = wrapText(text, 120, measure, PAGE_GEOMETRY.fontSize);
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(measure(line, PAGE_GEOMETRY.fontSize)).toBeLessThanOrEqual(120);
    expect(lines.join(" ").replace(/– /g, "–")).toBe(text);
  });

  it("fills pages without overflowing them and repeats the table head", async () => {
    const measure = await loadPdfMeasure();
    const plan = planInvoice(sampleInvoicePdfData({ lines: 300 }), measure);
    const content = PAGE_GEOMETRY.pageHeight - PAGE_GEOMETRY.marginTop - plan.paddingBottom;
    expect(plan.pages.length).toBeGreaterThan(3);
    plan.pages.forEach((page, i) => {
      const used =
        (page.top ? plan.top.height : 0) +
        (page.tableHead ? PAGE_GEOMETRY.headHeight : 0) +
        page.rows.reduce((h, r) => h + r.height, 0) +
        (page.summary ? plan.summary.height : 0);
      expect(used).toBeLessThanOrEqual(content + 0.01);
      expect(page.pageLabel).toBe(`Invoice 10042 · Page ${i + 1} of ${plan.pages.length}`);
      if (page.rows.length > 0) expect(page.tableHead).toBe(true);
    });
    expect(plan.pages.filter((p) => p.summary)).toHaveLength(1);
    expect(plan.pages.at(-1)?.summary).toBe(true);
  });
});

describe.skipIf(!hasPdftotext)("rendered PDF", () => {
  it("shows a one-page invoice: number, customer, every line, totals", async () => {
    const data = withLetters(sampleInvoicePdfData({ lines: 6, language: "en" }));
    const pdf = await renderInvoicePdf(data);
    expect(Buffer.from(pdf.subarray(0, 5)).toString("latin1")).toBe("%PDF-");
    expect(pageCount(pdf)).toBe(1);
    const text = pdfText(pdf);
    expect(text).toContain("Invoice No 10042");
    expect(text).toContain("Example Cloud Customer AB");
    expect(text).toContain("c/o Łucja Żak");
    expect(text).toContain("Göteborg");
    for (const line of data.lines) {
      // Each label on one line, with its region: nothing wrapped unexpectedly.
      expect(text).toContain(line.region ? `${line.label} · ${line.region}` : line.label);
    }
    expect(text).toContain(formatMoney(data.totals.netMinor, "EUR", "en"));
    expect(text).toContain(formatMoney(data.totals.vatMinor, "EUR", "en"));
    expect(text).toContain(formatMoney(data.totals.totalMinor, "EUR", "en"));
    expect(text).toContain(formatMoney(data.outstandingMinor, "EUR", "en"));
    expect(text).toContain("VAT 25 % of");
    expect(text).toContain("0.019"); // 1.9 cents per GiB-month
    expect(text).toContain(data.paymentReference);
    expect(text).toContain(data.provider.iban);
    expect(text).toContain("Page 1 of 1");
    for (const letter of ["ł", "ż", "ó", "å", "ä", "ö", "Å", "Ä", "Ö", "Ł", "Ż"]) expect(text).toContain(letter);
    expect(text).not.toContain("Reverse charge");
  }, 120_000);

  it("wraps a 300-line Swedish invoice onto pages with the head repeated and Sida x av N", async () => {
    const data = withLetters(sampleInvoicePdfData({ lines: 300, language: "sv" }));
    const pdf = await renderInvoicePdf(data);
    const pages = pageCount(pdf);
    expect(pages).toBeGreaterThan(3);
    const first = pdfText(pdf, 1);
    const second = pdfText(pdf, 2);
    const last = pdfText(pdf, pages);
    expect(first).toContain(`Sida 1 av ${pages}`);
    expect(first).toContain("Faktura");
    expect(second).toContain(`Sida 2 av ${pages}`);
    expect(second).toMatch(/Beskrivning\s+Antal\s+Enhet\s+À-pris\s+Belopp EUR/);
    expect(second).not.toContain("Example Cloud Customer AB"); // the customer block is page 1 only
    expect(last).toContain(`Sida ${pages} av ${pages}`);
    expect(last).toContain(plain(formatMoney(data.totals.totalMinor, "EUR", "sv")));
    expect(last).toContain("Kvar att betala");
    const all = pdfText(pdf);
    for (const line of data.lines) expect(all).toContain(line.label);
    for (const letter of ["ł", "ż", "å", "ä", "ö", "Ł", "Ż", "Å", "Ä", "Ö", "ń"]) expect(all).toContain(letter);
  }, 120_000);

  it("names a line's region once: after the label, unless the label already says it", () => {
    expect(describeLine({ label: "vCPU", region: "sto1" })).toBe("vCPU · sto1");
    expect(describeLine({ label: "vCPU (sto1)", region: "sto1" })).toBe("vCPU (sto1)");
    expect(describeLine({ label: "Business support", region: null })).toBe("Business support");
  });

  it("prints the reverse-charge note in both languages", async () => {
    const [en, sv] = await Promise.all(
      (["en", "sv"] as const).map((language) =>
        renderInvoicePdf(sampleInvoicePdfData({ lines: 4, language, vatCategory: "reverse_charge" })),
      ),
    );
    const enText = pdfText(en!).replace(/\s+/g, " ");
    const svText = pdfText(sv!).replace(/\s+/g, " ");
    expect(enText).toContain(pdfStrings("en").reverseChargeNote);
    expect(enText).toContain("Article 196 Council Directive 2006/112/EC");
    expect(enText).toContain("PL5260001246"); // the customer's VAT number
    expect(svText).toContain(pdfStrings("sv").reverseChargeNote);
    expect(svText).toContain("Omvänd skattskyldighet");
    const standard = pdfText(await renderInvoicePdf(sampleInvoicePdfData({ lines: 4, language: "sv" })));
    expect(standard).not.toContain("Omvänd");
  }, 120_000);

  it("renders a credit note with the invoice it credits and an export note", async () => {
    const data: InvoicePdfData = {
      ...sampleInvoicePdfData({ lines: 3, language: "en", vatCategory: "export" }),
      type: "credit_note",
      number: 10050,
      creditedInvoiceNumber: 10042,
    };
    const text = pdfText(await renderInvoicePdf(data));
    expect(text).toContain("Credit note No 10050");
    expect(text).toContain("Credits invoice No");
    expect(text).toContain("10042");
    expect(text).toContain("Export of services outside the EU");
    expect(text).not.toContain("Outstanding amount");
  }, 120_000);

  it("says on a credit note why it was issued and that nothing is to be paid, without bank details", async () => {
    const base = sampleInvoicePdfData({ lines: 1, language: "sv" });
    const data: InvoicePdfData = {
      ...base,
      type: "credit_note",
      number: 10051,
      creditedInvoiceNumber: 10042,
      creditReason: "Driftavbrott i sto2 den 3 oktober, 4 timmar",
    };
    const text = pdfText(await renderInvoicePdf(data)).replace(/\s+/g, " ");
    expect(text).toContain("Kreditfaktura");
    expect(text).toContain("Krediterar faktura 10042");
    expect(text).toContain("Denna kreditfaktura minskar beloppet att betala på faktura 10042.");
    expect(text).toContain("Det finns inget att betala på en kreditfaktura.");
    expect(text).toContain("Orsak: Driftavbrott i sto2 den 3 oktober, 4 timmar");
    for (const absent of ["IBAN", "Bankgiro", "Betalningsreferens", "Kvar att betala", "Förfallodatum"]) expect(text).not.toContain(absent);
    // An invoice keeps its bank details and says nothing of a reason.
    const invoice = pdfText(await renderInvoicePdf({ ...base, creditReason: "ignored" })).replace(/\s+/g, " ");
    expect(invoice).toContain("IBAN");
    expect(invoice).not.toContain("Orsak");
  }, 120_000);

  it("keeps the planned line breaks: react-pdf wraps no text again", async () => {
    const base = sampleInvoicePdfData({ lines: 40, language: "sv" });
    const long = "Dedikerad GPU-instans med NVIDIA-accelerator för maskininlärning, reserverad kapacitet och övervakning dygnet runt";
    const data: InvoicePdfData = {
      ...base,
      customer: { ...base.customer, name: "Mycket Långt Företagsnamn Aktiebolag med Filialer i Norden och Baltikum (publ)" },
      lines: base.lines.map((l, i) => (i % 5 === 2 ? { ...l, label: long } : l)),
    };
    const plan = planInvoice(data, await loadPdfMeasure());
    const text = pdfText(await renderInvoicePdf(data)).replace(/ +/g, " ");
    const planned = [
      ...plan.top.customerName.split("\n"),
      ...plan.pages.flatMap((p) => p.rows.flatMap((r) => (r.kind === "line" ? r.desc.split("\n") : []))),
    ];
    expect(plan.top.customerName.split("\n").length).toBe(2); // bold is measured as bold
    // A line react-pdf had wrapped again would come out split over two lines of text.
    for (const line of planned) expect(text).toContain(line);
  }, 120_000);

  it("keeps the text layer of later PDFs in the same worker (glyph cache)", async () => {
    // "ź" and "ż" embed "z" as a component glyph; a later "z" must still copy as "z".
    const pool = createPdfPool({ size: 1 });
    try {
      const base = sampleInvoicePdfData({ lines: 1 });
      const only = (label: string): InvoicePdfData => ({ ...base, lines: [{ ...base.lines[0]!, label, region: null }] });
      await pool.render(only("Źródło żółć Å"));
      const text = pdfText(await pool.render(only("zebra Azure")));
      expect(text).toContain("zebra Azure");
    } finally {
      await pool.close();
    }
  }, 120_000);

  it("renders the same bytes for the same data (stable ETags)", async () => {
    const data = sampleInvoicePdfData({ lines: 5 });
    const [a, b] = await Promise.all([renderInvoicePdf(data), renderInvoicePdf(data)]);
    expect(Buffer.from(a!).equals(Buffer.from(b!))).toBe(true);
    expect(TEMPLATE_VERSION).toBeGreaterThanOrEqual(1);
  }, 120_000);
});

describe("worker pool", () => {
  const workerSource = pathToFileURL(path.join(path.dirname(fileURLToPath(import.meta.url)), "render-worker.ts")).href;
  /**
   * The real worker, plus a listener that crashes on invoice 666 and hangs on invoice 777. It is
   * added after the worker's own (an earlier listener would take the queued warm-up message);
   * it still runs before the render, which starts after a microtask.
   */
  const faultyWorker = () =>
    new Worker(
      `const { parentPort } = require("node:worker_threads");
       import("tsx/esm/api")
         .then((api) => { api.register(); return import(${JSON.stringify(workerSource)}); })
         .then(() => parentPort.on("message", (m) => {
           if (m.type === "render" && m.doc.data.number === 666) process.exit(7);
           if (m.type === "render" && m.doc.data.number === 777) for (;;);
         }));`,
      { eval: true },
    );

  it("fails only the job of a crashed or hung worker, and replaces the worker", async () => {
    const pool = createPdfPool({ size: 1, jobTimeoutMs: 5_000, createWorker: faultyWorker });
    try {
      const results = await Promise.allSettled([
        pool.render(sampleInvoicePdfData({ lines: 2, number: 666 })),
        pool.render(sampleInvoicePdfData({ lines: 2, number: 1 })),
        pool.render(sampleInvoicePdfData({ lines: 2, number: 777 })),
        pool.render(sampleInvoicePdfData({ lines: 2, number: 2 })),
      ]);
      const codes = results.map((r) => (r.status === "fulfilled" ? "ok" : (r.reason as PdfRenderError).code));
      expect(codes).toEqual(["crashed", "ok", "timeout", "ok"]);
      expect(pool.stats()).toMatchObject({ crashed: 1, timedOut: 1, rendered: 2, failed: 2 });
    } finally {
      await pool.close();
    }
  }, 120_000);

  it.runIf(process.platform === "linux")("renders at a lower CPU priority than the main thread", async () => {
    /** Nice value of each thread of this process (field 19 of /proc/self/task/TID/stat). */
    const niceByThread = () =>
      new Map(
        fs.readdirSync("/proc/self/task").map((tid) => {
          const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
          return [Number(tid), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16])] as const;
        }),
      );
    const before = niceByThread();
    const pool = createPdfPool({ size: 1 });
    try {
      await pool.render(sampleInvoicePdfData({ lines: 2 }));
      const started = [...niceByThread()].filter(([tid]) => !before.has(tid));
      expect(started.some(([, nice]) => nice === 10)).toBe(true);
      expect(niceByThread().get(process.pid)).toBe(before.get(process.pid));
    } finally {
      await pool.close();
    }
  }, 120_000);

  it("recycles a worker after N jobs without failing any", async () => {
    const pool = createPdfPool({ size: 1, maxJobsPerWorker: 2 });
    try {
      for (let n = 1; n <= 5; n++) await pool.render(sampleInvoicePdfData({ lines: 2, number: n }));
      const stats = pool.stats();
      expect(stats.rendered).toBe(5);
      expect(stats.failed).toBe(0);
      expect(stats.recycled).toBeGreaterThanOrEqual(1);
    } finally {
      await pool.close();
    }
    await expect(pool.render(sampleInvoicePdfData())).rejects.toMatchObject({ code: "closed" });
  }, 120_000);

  it("reports a render error without losing the worker", async () => {
    const pool = createPdfPool({ size: 1 });
    try {
      const bad = { ...sampleInvoicePdfData({ lines: 1 }), lines: [{ ...sampleInvoicePdfData().lines[0]!, quantity: "x" }] };
      await expect(pool.render(bad)).rejects.toMatchObject({ code: "failed" });
      const uncloneable = { ...sampleInvoicePdfData({ lines: 1 }), invoiceDate: new Date() as unknown as string, x: () => 1 };
      await expect(pool.render(uncloneable)).rejects.toMatchObject({ code: "failed" });
      await expect(pool.render(sampleInvoicePdfData({ lines: 1 }))).resolves.toBeInstanceOf(Uint8Array);
      expect(pool.stats()).toMatchObject({ crashed: 0, workers: 1 });
    } finally {
      await pool.close();
    }
  }, 120_000);
});
