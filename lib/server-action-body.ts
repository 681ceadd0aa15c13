/**
 * Checks a server action's request body before Next decodes it. Next answers 500 when it cannot
 * decode one (a broken multipart body, a missing or non-JSON argument row, a dangling
 * reference, a wrong content type): the proxy answers those 400 instead, before any of our code
 * runs. What passes is the shape React's client sends for this app's actions:
 * - with a Next-Action header (the page's JavaScript): multipart form data (or text/plain for a
 *   reply without forms) whose row "0" is the JSON argument list, using only the reply tokens
 *   that plain values and FormData arguments produce;
 * - without it (a form posted before the page's JavaScript ran): multipart form data that
 *   parses, whose `$ACTION_REF_n` entries name an action and its bound arguments in rows that
 *   exist and are JSON.
 */
/** Next's default limit for a server action's body (serverActions.bodySizeLimit, "1mb"). */
export const ACTION_BODY_LIMIT_BYTES = 1024 * 1024;

export type BodyProblem = { status: 400 | 413; reason: string };
type Rows = Map<string, string>;

const MAX_DEPTH = 64;
/** Reply tokens of plain values: escaped "$…", undefined, -0, NaN, ±Infinity, a date, a bigint. */
const PLAIN_TOKEN = /^\$(\$|undefined$|-0$|NaN$|-?Infinity$|D|n-?\d+$)/;
const FORM_TOKEN = /^\$K[0-9a-f]+$/;
const ROW_TOKEN = /^\$([0-9a-f]+)$/;
const TOO_LARGE: BodyProblem = { status: 413, reason: "The request is too large." };

/** Why Next could not decode the body of this fetch action (Next-Action header), or null. */
export async function actionBodyProblem(request: Request): Promise<BodyProblem | null> {
  if (Number(request.headers.get("content-length") ?? "0") > ACTION_BODY_LIMIT_BYTES) return TOO_LARGE;
  const contentType = (request.headers.get("content-type") ?? "").toLowerCase();
  let rows: Rows;
  if (contentType.startsWith("multipart/form-data")) {
    const form = await readForm(request, contentType);
    if (typeof form === "string") return bad(form);
    // Outlined rows are named by their decimal id ("0", "1", …); references to them are hex ("$a").
    rows = new Map([...form.entries()].filter((e): e is [string, string] => /^\d+$/.test(e[0]) && typeof e[1] === "string"));
  } else if (contentType.startsWith("text/plain")) {
    try {
      rows = new Map([["0", await request.text()]]);
    } catch {
      return bad("unreadable body");
    }
  } else {
    return bad(`content type ${contentType || "missing"}`);
  }
  const root = rows.get("0");
  if (root === undefined) return bad("no argument row");
  if (root.length > ACTION_BODY_LIMIT_BYTES) return TOO_LARGE;
  const args = parseRow(root);
  if (typeof args === "symbol") return bad("the argument row is not JSON");
  if (!Array.isArray(args)) return bad("the arguments are not a list");
  const problem = checkValue(args, rows, new Set(["0"]), 0);
  return problem ? bad(problem) : null;
}

/** Why Next could not decode this multipart form post to a page (a form action without JavaScript), or null. */
export async function formPostProblem(request: Request): Promise<BodyProblem | null> {
  if (Number(request.headers.get("content-length") ?? "0") > ACTION_BODY_LIMIT_BYTES) return TOO_LARGE;
  const form = await readForm(request, (request.headers.get("content-type") ?? "").toLowerCase());
  if (typeof form === "string") return bad(form);
  for (const key of form.keys()) {
    const n = /^\$ACTION_REF_(.*)$/.exec(key)?.[1];
    if (n === undefined) continue;
    // Its rows are "$ACTION_<n>:<id>"; row 0 is {id, bound}, bound null or a promise of the bound arguments.
    const prefix = `$ACTION_${n}:`;
    const rows: Rows = new Map(
      [...form.entries()].filter((e): e is [string, string] => e[0].startsWith(prefix) && typeof e[1] === "string").map(([k, v]) => [k.slice(prefix.length), v]),
    );
    const ref = parseRow(rows.get("0") ?? "");
    if (typeof ref !== "object" || ref === null || typeof (ref as { id?: unknown }).id !== "string") return bad(`${key} names no action`);
    const bound = (ref as { bound?: unknown }).bound;
    if (bound === null || bound === undefined) continue;
    const row = typeof bound === "string" ? /^\$@([0-9a-f]+)$/.exec(bound)?.[1] : undefined;
    if (row === undefined) return bad(`${key}: unsupported bound arguments`);
    const problem = checkValue(`$${row}`, rows, new Set(["0"]), 0);
    if (problem) return bad(`${key}: ${problem}`);
    if (!Array.isArray(parseRow(rows.get(String(parseInt(row, 16))) ?? ""))) return bad(`${key}: the bound arguments are not a list`);
  }
  return null;
}

async function readForm(request: Request, contentType: string): Promise<FormData | string> {
  if (!/;\s*boundary=/.test(contentType)) return "multipart body without a boundary";
  try {
    return await request.formData();
  } catch {
    return "unreadable body";
  }
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
