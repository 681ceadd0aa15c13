/**
 * The API's errors as RFC 9457 problem details (application/problem+json). Each carries only
 * what the caller may know: an unexpected failure says nothing of what failed.
 */
export const PROBLEM_TITLES = {
  400: "Bad request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not found",
  405: "Method not allowed",
  429: "Too many requests",
  503: "Service unavailable",
} as const;

export type ProblemStatus = keyof typeof PROBLEM_TITLES;

/** One refused query or path parameter, with why. */
export type ParameterProblem = { parameter: string; message: string };

export type Problem = { type: "about:blank"; title: string; status: ProblemStatus; detail?: string; errors?: ParameterProblem[] };

export function problemResponse(status: ProblemStatus, detail?: string, extra: { errors?: ParameterProblem[]; headers?: Record<string, string> } = {}): Response {
  const body: Problem = { type: "about:blank", title: PROBLEM_TITLES[status], status, ...(detail ? { detail } : {}), ...(extra.errors ? { errors: extra.errors } : {}) };
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/problem+json", "cache-control": "no-store", ...extra.headers },
  });
}

/** A missing invoice, another account's and a malformed number answer exactly alike. */
export const notFoundProblem = () => problemResponse(404, "No such resource.");

/** The 401 of a request without a usable token: which of missing, unknown, revoked or expired is not said. */
export const unauthorizedProblem = () =>
  problemResponse(401, "Send a valid personal API token: Authorization: Bearer <token>.", {
    headers: { "www-authenticate": 'Bearer realm="cumulus"' },
  });

/**
 * The API is read-only: a write method on one of its endpoints answers a 405 problem with
 * `Allow`, rather than Next's empty 405. Each route file exports these beside its GET.
 */
function methodNotAllowed(): Response {
  return problemResponse(405, "This API is read-only: use GET.", { headers: { allow: "GET, HEAD" } });
}
export const READ_ONLY_METHODS = { POST: methodNotAllowed, PUT: methodNotAllowed, PATCH: methodNotAllowed, DELETE: methodNotAllowed };
