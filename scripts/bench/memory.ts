/** Steps 6–7 of the bench: the server's memory under a ZIP and over many first renders. */
import { median } from "../lib/stats";
import { deleteStoredPdfs } from "./database";
import { mustGet } from "./http";
import { cfg, fmtMb, fmtMs, log, MB, sleep } from "./options";
import { check, type Check } from "./report";
import type { BenchRun } from "./run";
import type { Server } from "./server";

/** Entries of a ZIP, from its end-of-central-directory record. */
function zipEntries(bytes: Buffer): number | null {
  const at = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  return at < 0 || at + 22 > bytes.length ? null : bytes.readUInt16LE(at + 10);
}

/** 6. A ZIP of 100 invoices never rendered: time and the server's peak memory. */
export async function benchZip(run: BenchRun): Promise<void> {
  const { server, base, authHeaders, zipNumbers, checks, details, noteRss } = run;
  await sleep(2000);
  const zipUrl = `${base}/invoices/download?${zipNumbers.map((n) => `n=${n}`).join("&")}`;
  const rssBeforeZip = server.rss();
  const hwmReset = server.resetPeak();
  let zipPeak = rssBeforeZip;
  const sampler = setInterval(() => {
    zipPeak = Math.max(zipPeak, server.rss());
  }, 25);
  log(`ZIP of ${zipNumbers.length} invoices never rendered (RSS before ${fmtMb(rssBeforeZip)})…`);
  let zip;
  try {
    zip = await mustGet(zipUrl, authHeaders);
  } finally {
    clearInterval(sampler);
  }
  zipPeak = Math.max(zipPeak, server.rss());
  const hwm = hwmReset ? server.peak() : null;
  const entries = zipEntries(zip.body);
  if (zip.headers["content-type"] !== "application/zip" || entries !== zipNumbers.length + 1) {
    throw new Error(`the ZIP is not what was asked for: ${zip.headers["content-type"]}, ${entries} entries`);
  }
  const zipGrowth = zipPeak - rssBeforeZip;
  log(`  ${fmtMs(zip.ms)}, ${(zip.body.length / MB).toFixed(1)} MB, ${entries} entries; peak RSS ${fmtMb(zipPeak)} (+${fmtMb(zipGrowth)})${hwm ? `, VmHWM ${fmtMb(hwm)}` : ""}`);
  noteRss("after ZIP");
  details.zip = {
    invoices: zipNumbers.length,
    ms: zip.ms,
    bytes: zip.body.length,
    entries,
    rssBeforeMb: rssBeforeZip / MB,
    peakSampledMb: zipPeak / MB,
    vmHwmMb: hwm === null ? null : hwm / MB,
  };
  checks.push(check("zip.time", `ZIP of ${zipNumbers.length} invoices: to last byte`, zip.ms / 1000, "s", "< 2 s", (v) => v < 2));
  checks.push(
    check(
      "zip.peak_growth",
      "ZIP: server peak RSS growth",
      zipGrowth / MB,
      "MB",
      "< 100 MB",
      (v) => v < 100,
      hwm ? `VmHWM +${((hwm - rssBeforeZip) / MB).toFixed(0)} MB` : "sampled every 25 ms",
    ),
  );
}

/** 7. Server memory over many first-render downloads: a leak keeps climbing. */
export async function benchMemory(run: BenchRun): Promise<void> {
  const { db, server, authHeaders, pdfUrl, numbers, checks, details, noteRss, bigAccountId } = run;
  const forgottenAgain = await deleteStoredPdfs(db, bigAccountId);
  const downloads = numbers.slice(0, Math.min(cfg.downloads, numbers.length));
  if (downloads.length < cfg.downloads) log(`only ${downloads.length} invoices available for the memory check`);
  log(`memory: ${downloads.length} PDF downloads, all first renders (${forgottenAgain} stored PDFs deleted), ${cfg.downloadClients} clients…`);
  let nextIndex = 0;
  let memPeak = 0;
  const memSampler = setInterval(() => {
    memPeak = Math.max(memPeak, server.rss());
  }, 250);
  // RSS every tenth of the run: a leak keeps climbing, a warm-up flattens out.
  const trend: { done: number; rssMb: number }[] = [];
  const step = Math.max(1, Math.floor(downloads.length / 10));
  let completed = 0;
  const runUntil = async (end: number) => {
    const worker = async () => {
      while (nextIndex < end) {
        const n = downloads[nextIndex++]!;
        const r = await mustGet(pdfUrl(n), authHeaders);
        if (r.body.length < 1000) throw new Error(`PDF ${n} is only ${r.body.length} bytes`);
        if (++completed % step === 0) trend.push({ done: completed, rssMb: Math.round(server.rss() / MB) });
      }
    };
    await Promise.all(Array.from({ length: cfg.downloadClients }, worker));
  };
  let rssAfter100: number;
  let rssAfterAll: number;
  let downloadSeconds: number;
  try {
    await runUntil(Math.min(100, downloads.length));
    rssAfter100 = await settledRss(server);
    log(`  after 100: RSS ${fmtMb(rssAfter100)}`);
    const t = Date.now();
    let lastReport = Date.now();
    const progress = setInterval(() => {
      if (Date.now() - lastReport >= 10_000) {
        lastReport = Date.now();
        log(`  ${nextIndex}/${downloads.length}, RSS ${fmtMb(server.rss())}`);
      }
    }, 1000);
    try {
      await runUntil(downloads.length);
    } finally {
      clearInterval(progress);
    }
    downloadSeconds = (Date.now() - t) / 1000;
    rssAfterAll = await settledRss(server);
  } finally {
    clearInterval(memSampler);
  }
  const memDiff = rssAfterAll - rssAfter100;
  log(`  after ${downloads.length}: RSS ${fmtMb(rssAfterAll)} (${memDiff >= 0 ? "+" : ""}${fmtMb(memDiff)}), peak ${fmtMb(memPeak)}; ${((downloads.length - 100) / downloadSeconds).toFixed(0)} PDFs/s`);
  noteRss("after downloads");
  details.memory = {
    downloads: downloads.length,
    clients: cfg.downloadClients,
    rssAfter100Mb: rssAfter100 / MB,
    rssAfterAllMb: rssAfterAll / MB,
    peakMb: memPeak / MB,
    pdfsPerSecond: (downloads.length - 100) / downloadSeconds,
    trend,
  };
  checks.push(...memoryChecks(downloads.length, trend, rssAfter100, rssAfterAll, memPeak));
}

/** RSS after the server idled: 3 s of rest, then the median of 20 samples over 2 s. */
async function settledRss(server: Server): Promise<number> {
  await sleep(3000);
  const samples: number[] = [];
  for (let i = 0; i < 20; i++) {
    samples.push(server.rss());
    await sleep(100);
  }
  return median(samples);
}

/** Memory stays within 100 MB over the downloads, and does not keep climbing. */
function memoryChecks(downloads: number, trend: { done: number; rssMb: number }[], rssAfter100: number, rssAfterAll: number, memPeak: number): Check[] {
  log(`  RSS trend (downloads:MB): ${trend.map((x) => `${x.done}:${x.rssMb}`).join(" ")}`);
  // RSS swings with garbage collection under load: compare the highs of the two halves.
  const half = Math.floor(trend.length / 2);
  const firstHigh = Math.max(...trend.slice(0, half).map((x) => x.rssMb));
  const secondHigh = Math.max(...trend.slice(half).map((x) => x.rssMb));
  const checks = [
    check(
      "memory.downloads",
      `Server RSS after ${downloads.toLocaleString("en")} PDFs − after 100`,
      (rssAfterAll - rssAfter100) / MB,
      "MB",
      "within 100 MB",
      (v) => Math.abs(v) < 100,
      `${fmtMb(rssAfter100)} → ${fmtMb(rssAfterAll)}, peak ${fmtMb(memPeak)}`,
    ),
  ];
  if (half > 0) {
    checks.push(
      check(
        "memory.second_half",
        "Server RSS high, 2nd half of downloads − 1st half",
        secondHigh - firstHigh,
        "MB",
        "",
        null,
        `${firstHigh} → ${secondHigh} MB; a leak keeps climbing`,
      ),
    );
  }
  return checks;
}
