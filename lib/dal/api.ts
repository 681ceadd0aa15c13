/**
 * The REST API's front door (/api/v1): a bearer token, never a cookie, names the viewer, who then
 * reads through the same data-access functions as the pages, with the invoice access their user
 * has now. Every answer is JSON or a problem detail; an unexpected failure is logged and answers
 * a 503 problem that says nothing about it.
 */
import "server-only";
import type { z } from "zod";
import { getDb } from "@/db/client";
import { findApiToken, markApiTokenUsed } from "@/lib/api-tokens/tokens";
import { problemResponse, unauthorizedProblem, notFoundProblem, type ParameterProblem } from "@/lib/api/problem";
import { countApiRequest } from "@/lib/auth/throttle";
import { canReadInvoices, viewerOf, type Viewer } from "./session";

/** `Authorization: Bearer <token>`; anything else is no token. */
function bearerTokenOf(request: Request): string | null {
  const m = /^Bearer +([A-Za-z0-9_-]{1,200})$/i.exec(request.headers.get("authorization")?.trim() ?? "");
  return m ? m[1]! : null;
}

/** The token's viewer, or the problem that answers instead: 401, 403 or 429 (with Retry-After). */
async function authenticate(request: Request): Promise<{ viewer: Viewer } | { refusal: Response }> {
  const bearer = bearerTokenOf(request);
  const found = bearer ? await findApiToken(getDb(), bearer) : null;
  if (!found || !found.live) return { refusal: unauthorizedProblem() };
  const viewer = viewerOf(found, found.tokenId);
  if (!canReadInvoices(viewer)) return { refusal: problemResponse(403, "The token's user has no invoice access.") };
  const [rate] = await Promise.all([countApiRequest(found.tokenId), markApiTokenUsed(getDb(), found.tokenId)]);
  if (!rate.allowed) {
    return { refusal: problemResponse(429, "Too many requests with this token; wait and try again.", { headers: { "retry-after": String(rate.retryAfterSeconds) } }) };
  }
  return { viewer };
}

/** Next's notFound() (a DAL refusal) thrown inside a handler: the API answers it as its own 404. */
const isNextNotFound = (error: unknown) =>
  typeof error === "object" && error !== null && String((error as { digest?: unknown }).digest ?? "").endsWith(";404");

type RouteContext<P> = { params: Promise<P> };

/** A GET handler of the API: authenticated by bearer token, and never an unhandled 500. */
export function apiRoute<P = Record<string, never>>(handle: (viewer: Viewer, request: Request, params: P) => Promise<Response>) {
  return async (request: Request, context: RouteContext<P>): Promise<Response> => {
    try {
      const auth = await authenticate(request);
      if ("refusal" in auth) return auth.refusal;
      return await handle(auth.viewer, request, await context.params);
    } catch (error) {
      if (isNextNotFound(error)) return notFoundProblem();
      console.error("Cumulus: API request failed:", error);
      return problemResponse(503, "The request could not be answered; try again later.", { headers: { "retry-after": "30" } });
    }
  };
}

/** The query string parsed with the operation's schema, or the 400 problem naming each bad parameter. */
export function parseApiQuery<S extends z.ZodType>(request: Request, schema: S): { ok: true; query: z.infer<S> } | { ok: false; response: Response } {
  const raw: Record<string, string> = {};
  // A repeated parameter counts as its first value, as on the panel's lists.
  for (const [key, value] of new URL(request.url).searchParams) raw[key] ??= value;
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, query: parsed.data };
  const errors: ParameterProblem[] = parsed.error.issues.map((issue) => ({ parameter: String(issue.path[0] ?? "query"), message: issue.message }));
  return { ok: false, response: problemResponse(400, errors.map((e) => e.message).join(" "), { errors }) };
}

export const apiJson = (body: unknown) =>
  new Response(JSON.stringify(body), { status: 200, headers: { "content-type": "application/json", "cache-control": "private, no-store" } });
