/**
 * Step 1b of the bench (issue 20): the invoice list against `/users`, the lightest signed-in
 * table of the same app, under the same load in the same run: the big account's first page, its
 * 100th page (keyset cursor) and the Overdue filter. Then the first page's size: the document
 * (HTML with the RSC payload inlined for hydration) and a client navigation's RSC payload,
 * uncompressed and gzipped.
 */
import { gzipSync } from "node:zlib";
import { load, mustGet, timedGet, type Load } from "./http";
import { cfg, log } from "./options";
import { bad } from "./pages";
import { check } from "./report";
import type { BenchRun } from "./run";

const KB = 1024;
/** The goals of issue 20. */
const MIN_USERS_RATIO = 0.75;
const MAX_PAGE_KB = 45;

type Target = { key: string; label: string; url: string };

/** A warm-up, then the load; logged and kept among the run's loads. */
async function measured(run: BenchRun, label: string, url: string): Promise<Load> {
  const o = { url, connections: cfg.connections, headers: run.authHeaders };
  // At least 3 s: on a busy machine a fresh server's first seconds on a route are still compiling it.
  await load(`warm-up ${label}`, { ...o, seconds: Math.max(cfg.warmSeconds, 3) });
  const l = await load(label, { ...o, seconds: cfg.seconds });
  run.loads.push(l);
  log(`  ${label}: ${l.reqPerSec.toFixed(0)} req/s, p50 ${l.p50} ms, p90 ${l.p90} ms, p99 ${l.p99} ms`);
  return l;
}

/** 1b. `/users` before and after the three list loads; each list's rate over the mean of the two. */
export async function benchListVsUsers(run: BenchRun): Promise<void> {
  const { base, listUrl, page100Url, checks, details } = run;
  const targets: Target[] = [
    { key: "page1", label: "first page", url: listUrl },
    { key: "page100", label: "page 100", url: page100Url },
    { key: "overdue", label: "Overdue filter", url: `${base}/invoices?status=overdue` },
  ];
  log(`the list vs /users, ${cfg.connections} clients, ${cfg.seconds} s each (/users before and after)…`);
  const usersBefore = await measured(run, "users /users (before)", `${base}/users`);
  const lists = [];
  for (const t of targets) lists.push({ ...t, load: await measured(run, `list ${t.label}`, t.url) });
  const usersAfter = await measured(run, "users /users (after)", `${base}/users`);
  const usersRps = (usersBefore.reqPerSec + usersAfter.reqPerSec) / 2;
  const usersBad = bad(usersBefore) ?? bad(usersAfter);
  checks.push(check("users.rps", "/users: req/s (mean of before and after)", usersRps, "req/s", "", null, usersBad ?? `p50 ${usersBefore.p50}/${usersAfter.p50} ms, p99 ${usersBefore.p99}/${usersAfter.p99} ms`));
  for (const l of lists) {
    const why = usersBad ?? bad(l.load);
    checks.push(
      check(
        `list.users_ratio.${l.key}`,
        `List ${l.label} / /users, req/s`,
        l.load.reqPerSec / usersRps,
        "×",
        `≥ ${MIN_USERS_RATIO}×`,
        (v) => v >= MIN_USERS_RATIO && !why,
        why ?? `${l.load.reqPerSec.toFixed(0)} req/s, p50 ${l.load.p50} ms, p90 ${l.load.p90} ms, p99 ${l.load.p99} ms`,
      ),
    );
  }
  details.listVsUsers = {
    usersRps,
    users: [usersBefore, usersAfter],
    lists: Object.fromEntries(lists.map((l) => [l.key, { url: l.url.slice(base.length), ...l.load, ratio: l.load.reqPerSec / usersRps }])),
  };
}

/** The inline RSC payload of a document: the strings pushed to self.__next_f. */
function inlineRscBytes(html: string): number {
  let bytes = 0;
  for (const m of html.matchAll(/<script[^>]*>self\.__next_f\.push\(([\s\S]*?)\)<\/script>/g)) bytes += Buffer.byteLength(m[0]);
  return bytes;
}

/** 1c. The first page's bytes: the document (what the 45 KB goal counts) and a client navigation's RSC. */
export async function benchListSize(run: BenchRun): Promise<void> {
  const { listUrl, authHeaders, checks, details } = run;
  const doc = await mustGet(listUrl, authHeaders);
  const html = doc.body.toString("utf8");
  const rows = new Set([...html.matchAll(/aria-label="Select invoice (\d+)"/g)].map((m) => m[1])).size;
  // What a client navigation to the list fetches (Next's RSC request header). Next answers a
  // request without the matching `_rsc` cache-busting parameter with a redirect to it.
  const rscHeaders = { ...authHeaders, rsc: "1" };
  let nav = await timedGet(listUrl, rscHeaders);
  if (nav.status === 307 && nav.headers.location) nav = await timedGet(new URL(nav.headers.location, listUrl).href, rscHeaders);
  if (nav.status !== 200 || !String(nav.headers["content-type"]).startsWith("text/x-component")) {
    throw new Error(`the list's RSC request answered ${nav.status} ${nav.headers["content-type"]}`);
  }
  const sizes = {
    rows,
    documentBytes: doc.body.length,
    documentGzipBytes: gzipSync(doc.body).length,
    inlineRscBytes: inlineRscBytes(html),
    navigationRscBytes: nav.body.length,
    navigationRscGzipBytes: gzipSync(nav.body).length,
  };
  details.listSize = sizes;
  log(`  list page (${rows} rows): document ${(sizes.documentBytes / KB).toFixed(1)} KB (gzip ${(sizes.documentGzipBytes / KB).toFixed(1)} KB, inline RSC ${(sizes.inlineRscBytes / KB).toFixed(1)} KB); navigation RSC ${(sizes.navigationRscBytes / KB).toFixed(1)} KB (gzip ${(sizes.navigationRscGzipBytes / KB).toFixed(1)} KB)`);
  checks.push(
    check("list.document_kb", `List page, ${rows} rows: HTML + inline RSC`, sizes.documentBytes / KB, "KB", `≤ ${MAX_PAGE_KB} KB`, (v) => v <= MAX_PAGE_KB, `gzip ${(sizes.documentGzipBytes / KB).toFixed(1)} KB, of which inline RSC ${(sizes.inlineRscBytes / KB).toFixed(1)} KB`),
  );
  checks.push(check("list.navigation_rsc_kb", "List page: RSC payload of a client navigation", sizes.navigationRscBytes / KB, "KB", "", null, `gzip ${(sizes.navigationRscGzipBytes / KB).toFixed(1)} KB`));
}
