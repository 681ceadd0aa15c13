"use server";

/**
 * Server actions of the Account settings slide-over. Every one goes through defineAction:
 * signed in, allowed (invoice access Full; being an admin does not count here, and a forged
 * request from anyone else is audited and answers 403), validated with zod; the account is
 * always the viewer's own. Change password and Log out everywhere are open to every signed-in
 * user, for themselves.
 */
import { revalidatePath } from "next/cache";
import { after } from "next/server";
import { redirect } from "next/navigation";
import { z } from "zod";
import { customerInfoSchema, emailAddressSchema, phoneSchema } from "@/lib/account/validation";
import { signOut } from "@/lib/auth";
import { formatParticipantId, parseParticipantId } from "@/lib/einvoice/participant";
import { MIN_PASSWORD_LENGTH } from "@/lib/auth/password-change";
import { confirmPassword, reauthRefusal } from "@/lib/auth/reauth";
import { ROLE_LABEL, ROLES, type Roles } from "@/lib/contacts/roles";
import { getAccountSettingsView, saveViewerCustomerInfo, saveViewerInvoiceSettings, type AccountSettingsView } from "@/lib/dal/account";
import { defineAction, type ActionState } from "@/lib/dal/action";
import {
  addViewerContactEmail,
  addViewerPhone,
  deleteViewerContactEmail,
  removeViewerPhone,
  resendViewerVerificationCode,
  setViewerContactRoles,
  verifyViewerContactEmail,
} from "@/lib/dal/contacts";
import { canManageBilling, changeViewerPassword, endEveryViewerSession, getViewer, type Viewer } from "@/lib/dal/session";
import { sendOutboxSoon } from "@/lib/email/sender";

export type SettingsState = ActionState & { done?: number; createdId?: string };

const ok = (message: string, extra: Partial<SettingsState> = {}): SettingsState => {
  revalidatePath("/", "layout");
  return { ok: true, message, fieldErrors: {}, done: Date.now(), ...extra };
};
const fail = (message: string, field?: string): SettingsState => ({ ok: false, message: field ? undefined : message, fieldErrors: field ? { [field]: message } : {} });

/** An action on the account's billing data (customer info, settings, contacts): invoice access Full only. */
function billingAction<S extends z.ZodType>(name: string, schema: S, handler: (viewer: Viewer, input: z.infer<S>) => Promise<SettingsState>) {
  return defineAction<S, SettingsState>({ name, schema, authorize: canManageBilling, handler });
}

/** The slide-over's data: read-only for invoice access Read, without any billing data for None. */
export async function loadAccountSettings(): Promise<AccountSettingsView> {
  const viewer = await getViewer();
  if (!viewer) redirect("/login");
  return getAccountSettingsView(viewer);
}

const uuid = z.uuid("This address is not on the list.");
const password = z.string().min(1, "Enter your password to confirm.").max(1024);
const checkbox = z.preprocess((v) => v === "on" || v === "true", z.boolean());

async function reauthenticate(userId: string, pw: string): Promise<SettingsState | null> {
  const refusal = reauthRefusal(await confirmPassword(userId, pw));
  return refusal === null ? null : fail(refusal, "password");
}

export const saveCustomerInfo = billingAction("account.customer_info", customerInfoSchema, async (viewer, input) => {
  const saved = await saveViewerCustomerInfo(viewer, input);
  return saved ? ok("Customer info saved. It applies to invoices issued from now on.") : fail("Account not found.");
});

const settingsSchema = z
  .object({
    receiveInvoicesByEmail: checkbox,
    receiveInvoicesByPeppol: checkbox,
    peppolParticipantId: z.string().max(100, "A participant id is at most 100 characters.").optional(),
    language: z.enum(["en", "sv"], { error: "Choose English or Svenska." }),
    automaticPayment: checkbox,
    /** The switch as the form was loaded with (a hidden field): the switch is set only when the form changed it. */
    automaticPaymentWas: checkbox,
  })
  .transform((input, ctx) => {
    const typed = input.peppolParticipantId?.trim() ?? "";
    const parsed = typed === "" ? null : parseParticipantId(typed);
    if (parsed && !parsed.ok) ctx.addIssue({ code: "custom", path: ["peppolParticipantId"], message: parsed.message });
    else if (input.receiveInvoicesByPeppol && !parsed) ctx.addIssue({ code: "custom", path: ["peppolParticipantId"], message: "Enter the Peppol participant id that receives your e-invoices." });
    if (!input.receiveInvoicesByEmail && !input.receiveInvoicesByPeppol) ctx.addIssue({ code: "custom", path: ["receiveInvoicesByEmail"], message: "Choose Email, E-invoice (Peppol) or both." });
    return { ...input, peppolParticipantId: parsed?.ok ? formatParticipantId(parsed.value) : null };
  });

export const saveInvoiceSettings = billingAction("account.invoice_settings", settingsSchema, async (viewer, input) => {
  const r = await saveViewerInvoiceSettings(viewer, input);
  return r.ok ? ok("Settings saved.") : fail(r.message, "field" in r ? r.field : undefined);
});

const createSchema = z.object({ email: emailAddressSchema, password });

export const createEmail = billingAction("contact.create_email", createSchema, async (viewer, input) => {
  const denied = await reauthenticate(viewer.userId, input.password);
  if (denied) return denied;
  const r = await addViewerContactEmail(viewer, input.email);
  if (!r.ok) return fail(r.message, r.field);
  // The code is in the outbox: send it now rather than at the sender's next tick.
  after(sendOutboxSoon);
  return ok(`We sent a verification code to ${input.email}. Enter it below.`, { createdId: r.id });
});

const verifySchema = z.object({ id: uuid, code: z.string().trim().regex(/^\d{6}$/, "Enter the 6-digit code from the email.") });

export const verifyEmail = billingAction("contact.verify_email", verifySchema, async (viewer, input) => {
  const r = await verifyViewerContactEmail(viewer, input.id, input.code);
  return r.ok ? ok("Address verified. Now choose its roles.") : fail(r.message, r.field);
});

const idSchema = z.object({ id: uuid });

/** "Billing, Tech" or "no roles": what the saved row holds, in the success message. */
const rolesText = (roles: Roles) => ROLES.filter((r) => roles[r]).map((r) => ROLE_LABEL[r]).join(", ") || "no roles";

export const resendCode = billingAction("contact.resend_code", idSchema, async (viewer, input) => {
  const r = await resendViewerVerificationCode(viewer, input.id);
  if (r.ok) after(sendOutboxSoon);
  return r.ok ? ok("A new code is on its way.") : fail(r.message);
});

const rolesSchema = z.object({
  id: uuid,
  billing: checkbox,
  tech: checkbox,
  dpo: checkbox,
  password: z.string().max(1024).optional(),
});

export const saveRoles = billingAction("contact.set_roles", rolesSchema, async (viewer, input) => {
  // Whether Billing is being given is decided from the locked row (setContactRoles), not
  // from the form: a typed password is checked here, a missing one refused there.
  if (input.password) {
    const denied = await reauthenticate(viewer.userId, input.password);
    if (denied) return denied;
  }
  const roles = { billing: input.billing, tech: input.tech, dpo: input.dpo };
  const r = await setViewerContactRoles(viewer, input.id, roles, Boolean(input.password));
  if (!r.ok) return fail(r.message, r.field);
  if (r.billingRemoved) after(sendOutboxSoon); // the "invoices go elsewhere now" notice
  return r.changed ? ok(`Roles saved: ${rolesText(roles)}.`) : ok("Nothing to save: the address already has these roles.");
});

export const deleteEmail = billingAction("contact.delete_email", idSchema, async (viewer, input) => {
  const r = await deleteViewerContactEmail(viewer, input.id);
  return r.ok ? ok("Address deleted.") : fail(r.message);
});

const phoneAddSchema = z.object({
  phone: phoneSchema,
  label: z
    .string()
    .trim()
    .max(40, "The label can be at most 40 characters.")
    // PostgreSQL text cannot hold NUL; no control characters in a one-line label at all.
    .regex(/^\P{Cc}*$/u, "The label contains characters that are not allowed.")
    .transform((v) => (v === "" ? null : v)),
});

export const createPhone = billingAction("contact.add_phone", phoneAddSchema, async (viewer, input) => {
  const r = await addViewerPhone(viewer, input.phone, input.label);
  return r.ok ? ok("Phone number added.") : fail(r.message, r.field);
});

export const deletePhone = billingAction("contact.remove_phone", idSchema, async (viewer, input) => {
  const r = await removeViewerPhone(viewer, input.id);
  return r.ok ? ok("Phone number removed.") : fail(r.message);
});

/** Everyone signed in may end their own sessions and change their own password. */
const anySignedInUser = (_viewer: Viewer) => true;

// The button's form says "everywhere": a bare call of the action ends nothing.
const everywhereSchema = z.object({ scope: z.literal("everywhere", { error: "Choose Log out everywhere to end every session." }) });

export const logOutEverywhere = defineAction<typeof everywhereSchema, SettingsState>({
  name: "user.log_out_everywhere",
  schema: everywhereSchema,
  authorize: anySignedInUser,
  async handler(viewer) {
    await endEveryViewerSession(viewer);
    await signOut({ redirect: false });
    redirect("/login");
  },
});

const changePasswordSchema = z
  .object({
    password: z.string().min(1, "Enter your current password.").max(1024, "That password is too long."),
    newPassword: z
      .string()
      .min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters.`)
      .max(1024, "Use at most 1024 characters."),
    confirmPassword: z.string().max(1024, "That password is too long."),
  })
  .refine((v) => v.newPassword === v.confirmPassword, { path: ["confirmPassword"], message: "This is not the same as the new password." });

export const changePassword = defineAction<typeof changePasswordSchema, SettingsState>({
  name: "user.change_password",
  schema: changePasswordSchema,
  authorize: anySignedInUser,
  async handler(viewer, input) {
    const r = await changeViewerPassword(viewer, input.password, input.newPassword);
    if (!r.ok) return fail(r.message, r.field ?? undefined);
    return ok(r.sessionsEnded > 0 ? "Password changed. Your other sessions have ended." : "Password changed.");
  },
});
