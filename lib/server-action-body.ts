/**
 * Checks a server action's request body before Next decodes it. Next answers 500 when it cannot
 * decode one (a broken multipart body, a missing or non-JSON argument row, a dangling
 * reference, a wrong content type): the proxy answers those 400 instead, before any of our code
 * runs. What passes is the shape React's client sends for this app's actions: multipart form
 * data (or text/plain for a reply without forms) whose row "0" is the JSON argument list, using
 * only the reply tokens plain values and FormData arguments produce.
 */
/** Next's default limit for a server action's body (serverActions.bodySizeLimit, "1mb"). */
export const ACTION_BODY_LIMIT_BYTES = 1024 * 1024;

export type BodyProblem = { status: 400 | 413; reason: string };

const MAX_DEPTH = 64;
/** Reply tokens of plain values: escaped "$…", undefined, -0, NaN, ±Infinity, a date, a bigint. */
const PLAIN_TOKEN = /^\$(\$|undefined$|-0$|NaN$|-?Infinity$|D|n-?\d+$)/;
const FORM_TOKEN = /^\$K[0-9a-f]+$/;
const ROW_TOKEN = /^\$([0-9a-f]+)$/;

/** Why Next could not decode this action request's body, or null when it is well formed. */
export async function actionBodyProblem(request: Request): Promise<BodyProblem | null> {
  const length = Number(request.headers.get("content-length") ?? "0");
  if (length > ACTION_BODY_LIMIT_BYTES) return { status: 413, reason: "The request is too large." };
  const contentType = (request.headers.get("content-type") ?? "").toLowerCase();
  let rows: Map<string, string>;
  try {
    if (contentType.startsWith("multipart/form-data")) {
      if (!/;\s*boundary=/.test(contentType)) return bad("multipart body without a boundary");
      const form = await request.formData();
      // Outlined rows are named by their decimal id ("0", "1", …); references to them are hex ("$a").
      rows = new Map([...form.entries()].filter((e): e is [string, string] => /^\d+$/.test(e[0]) && typeof e[1] === "string"));
    } else if (contentType.startsWith("text/plain")) {
      rows = new Map([["0", await request.text()]]);
    } else {
      return bad(`content type ${contentType || "missing"}`);
    }
  } catch {
    return bad("unreadable body");
  }
  const root = rows.get("0");
  if (root === undefined) return bad("no argument row");
  if (root.length > ACTION_BODY_LIMIT_BYTES) return { status: 413, reason: "The request is too large." };
  const parsed = parseRow(root);
  if (typeof parsed === "symbol") return bad("the argument row is not JSON");
  if (!Array.isArray(parsed)) return bad("the arguments are not a list");
  const problem = checkValue(parsed, rows, new Set(["0"]), 0);
  return problem ? bad(problem) : null;
}

function bad(reason: string): BodyProblem {
  return { status: 400, reason };
}

function parseRow(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return Symbol.for("unparsable");
  }
}

/** A reason the value cannot be decoded, or null. Outlined rows ("$1") must exist and be JSON. */
function checkValue(value: unknown, rows: Map<string, string>, seen: Set<string>, depth: number): string | null {
  if (depth > MAX_DEPTH) return "nested too deeply";
  if (typeof value === "string") {
    if (!value.startsWith("$") || PLAIN_TOKEN.test(value) || FORM_TOKEN.test(value)) return null;
    const row = ROW_TOKEN.exec(value)?.[1];
    if (row === undefined) return `unsupported reference ${value.slice(0, 20)}`;
    const id = String(parseInt(row, 16));
    if (seen.has(id)) return null;
    const text = rows.get(id);
    if (text === undefined) return `missing row ${id}`;
    const outlined = parseRow(text);
    if (typeof outlined === "symbol") return `row ${id} is not JSON`;
    return checkValue(outlined, rows, new Set([...seen, id]), depth + 1);
  }
  if (typeof value === "symbol") return "not JSON";
  if (value === null || typeof value !== "object") return null;
  for (const item of Array.isArray(value) ? value : Object.values(value)) {
    const problem = checkValue(item, rows, seen, depth + 1);
    if (problem) return problem;
  }
  return null;
}
