/** Plain responses shared by route handlers. A foreign id answers exactly like a missing one. */
import { appBaseUrl } from "@/lib/email/templates";
import { PdfRenderError, type PdfRenderErrorCode } from "@/lib/pdf/worker-pool";

export function notFoundResponse(): Response {
  return new Response("Not found\n", {
    status: 404,
    headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
  });
}

/** A browser opening the URL as a page (a link, the address bar), not a script or a download tool. */
function isBrowserNavigation(request: Request): boolean {
  const dest = request.headers.get("sec-fetch-dest");
  if (dest) return dest === "document";
  return (request.headers.get("accept") ?? "").includes("text/html");
}

// An address no route answers: Next renders app/not-found.tsx for it. Under /login, so that the
// proxy lets it through without a session cookie (none is sent).
const NOT_FOUND_PAGE_PATH = "/login/not-found";

/**
 * The 404 of a route handler (a PDF, a receipt, a ZIP): to a browser navigation the styled page
 * of app/not-found.tsx, to anything else the plain text. Status 404 either way.
 */
export async function notFoundFor(request: Request): Promise<Response> {
  if (!isBrowserNavigation(request)) return notFoundResponse();
  const html = await notFoundPageHtml();
  if (html === null) return notFoundResponse();
  return new Response(html, { status: 404, headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" } });
}

let notFoundPage: Promise<string | null> | null = null;

/**
 * Route handlers cannot render a page, so the page is asked of this server, once: it is the same
 * for every request of this build. Not kept when the request failed, so the next one asks again.
 */
function notFoundPageHtml(): Promise<string | null> {
  notFoundPage ??= fetchNotFoundPage().then((html) => {
    if (html === null) notFoundPage = null;
    return html;
  });
  return notFoundPage;
}

/** The page without its scripts: it needs none, and they carry that request's CSP nonce. */
async function fetchNotFoundPage(): Promise<string | null> {
  try {
    const page = await fetch(`${appBaseUrl()}${NOT_FOUND_PAGE_PATH}`, {
      headers: { accept: "text/html" },
      redirect: "manual",
      cache: "no-store",
      signal: AbortSignal.timeout(5000),
    });
    if (page.status !== 404 || !(page.headers.get("content-type") ?? "").includes("text/html")) return null;
    return (await page.text()).replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, "").replace(/<link\b[^>]*\bas="script"[^>]*>/gi, "");
  } catch {
    return null;
  }
}

export function badRequest(message: string): Response {
  return new Response(`${message}\n`, {
    status: 400,
    headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
  });
}

/**
 * An invoice PDF: inline, or as an attachment with ?download=1 (or always). It carries an ETag, and a
 * matching If-None-Match answers 304 Not Modified. Never kept by any cache.
 */
export function pdfResponse(
  request: Request,
  pdf: { bytes: Uint8Array; etag: string; fileName: string },
  disposition?: "attachment",
): Response {
  const download = disposition === "attachment" || new URL(request.url).searchParams.get("download") === "1";
  const cacheControl = "private, no-store";
  const inm = request.headers.get("if-none-match");
  if (inm && inm.split(",").some((t) => t.trim() === pdf.etag)) {
    return new Response(null, { status: 304, headers: { etag: pdf.etag, "cache-control": cacheControl } });
  }
  return new Response(pdf.bytes as Uint8Array<ArrayBuffer>, {
    status: 200,
    headers: {
      etag: pdf.etag,
      "cache-control": cacheControl,
      "content-type": "application/pdf",
      "content-disposition": `${download ? "attachment" : "inline"}; filename="${pdf.fileName}"`,
      "x-content-type-options": "nosniff",
    },
  });
}

/** A UBL e-invoice as an attachment: the panel's download and the API answer it alike. */
export function ublResponse(ubl: { xml: string; fileName: string }): Response {
  return new Response(ubl.xml, {
    status: 200,
    headers: {
      "cache-control": "private, no-store",
      "content-type": "application/xml; charset=utf-8",
      "content-disposition": `attachment; filename="${ubl.fileName}"`,
      "x-content-type-options": "nosniff",
    },
  });
}

/** The render pool's refusals that pass with time: a job over its limit, a full queue, no worker yet. */
const RENDER_BUSY_CODES: ReadonlySet<PdfRenderErrorCode> = new Set(["timeout", "overloaded", "unavailable"]);

/** Seconds a client is asked to wait before asking for a PDF again. */
export const RENDER_RETRY_AFTER_SECONDS = 30;

/**
 * A route's answer, or, when a PDF could not be rendered just now (see RENDER_BUSY_CODES), 503
 * with Retry-After, as during a database outage: the request was fine and will succeed later,
 * which a 500 would not say. Any other error is thrown on.
 */
export async function answerOrRenderBusy(answer: () => Promise<Response>): Promise<Response> {
  try {
    return await answer();
  } catch (err) {
    if (!(err instanceof PdfRenderError) || !RENDER_BUSY_CODES.has(err.code)) throw err;
    console.error(`Cumulus: a PDF could not be rendered now (${err.code}): ${err.message}`);
    return new Response("The PDF could not be made just now. Please try again in a minute.\n", {
      status: 503,
      headers: {
        "content-type": "text/plain; charset=utf-8",
        "cache-control": "no-store",
        "retry-after": String(RENDER_RETRY_AFTER_SECONDS),
      },
    });
  }
}
