/**
 * The one wrapper every server action goes through: authenticate, authorize (a refusal is
 * audited and answers 403), validate with zod, and return a typed state with per-field errors
 * for useActionState. Repeated form fields (checkbox lists) arrive as arrays.
 */
import "server-only";
import { forbidden, redirect } from "next/navigation";
import type { z } from "zod";
import { getDb } from "@/db/client";
import { audit } from "@/lib/audit";
import { getViewer, type Viewer } from "./session";

export type ActionState<F extends string = string> = {
  ok?: boolean;
  message?: string;
  fieldErrors?: Partial<Record<F, string>>;
  /** What was submitted, when it was refused: the form shows it again next to the errors. */
  values?: Record<string, string | string[]>;
};

export function formDataToObject(formData: FormData): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(formData.keys())) {
    if (key.startsWith("$ACTION")) continue;
    const all = formData.getAll(key).filter((v): v is string => typeof v === "string");
    out[key] = all.length === 1 && !key.endsWith("[]") ? all[0]! : all;
  }
  return out;
}

export function fieldErrorsOf<F extends string>(error: z.ZodError): Partial<Record<F, string>> {
  const errors: Partial<Record<F, string>> = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? "form") as F;
    errors[key] ??= issue.message;
  }
  return errors;
}

export function defineAction<S extends z.ZodType, State extends ActionState>(options: {
  /** Name written to the audit log when the viewer is refused. */
  name: string;
  schema: S;
  authorize: (viewer: Viewer) => boolean;
  handler: (viewer: Viewer, input: z.infer<S>, prev: State) => Promise<State>;
}) {
  return async (prev: State, formData: FormData): Promise<State> => {
    const viewer = await getViewer();
    if (!viewer) redirect("/login");
    if (!options.authorize(viewer)) {
      await audit(getDb(), {
        accountId: viewer.account.id,
        actorUserId: viewer.userId,
        action: "access.denied",
        entityType: "action",
        entityId: options.name,
      });
      forbidden();
    }
    const raw = formDataToObject(formData);
    const parsed = options.schema.safeParse(raw);
    // Passwords (current, new, repeated) are never sent back to the browser.
    const values = Object.fromEntries(Object.entries(raw).filter(([key]) => !/password/i.test(key)));
    if (!parsed.success) return { ...prev, ok: false, message: undefined, fieldErrors: fieldErrorsOf(parsed.error), values } as State;
    const result = await options.handler(viewer, parsed.data, prev);
    return result.ok === false ? ({ ...result, values } as State) : result;
  };
}
