"use client";

import { Field as HField, Label, Description, Switch } from "@headlessui/react";
import { CheckIcon, XMarkIcon } from "@heroicons/react/20/solid";
import { useActionState, useEffect, useState } from "react";
import {
  createEmail,
  createPhone,
  deleteEmail,
  deletePhone,
  resendCode,
  saveRoles,
  verifyEmail,
  type SettingsState,
} from "@/app/(panel)/account-actions";
import { ROLE_DESCRIPTION, ROLE_LABEL, ROLES, type Role } from "@/lib/contacts/roles";
import type { BillingSettingsView } from "@/lib/dal/account";
import { Field, FormMessage, primaryButton, secondaryButton } from "./fields";

type Email = BillingSettingsView["contacts"]["emails"][number];
const ROLE_ROWS = ROLES.map((key) => ({ key, label: ROLE_LABEL[key], description: ROLE_DESCRIPTION[key] }));

/** Calls `onSaved` once per successful action (the slide-over then reloads its data). */
function useSaved(state: SettingsState, onSaved: () => void) {
  useEffect(() => {
    if (state.ok && state.done) onSaved();
  }, [state.ok, state.done, onSaved]);
}

function RoleCell({ on, role }: { on: boolean; role: string }) {
  return on ? (
    <span className="inline-flex items-center gap-1 text-green-800">
      <CheckIcon aria-hidden="true" className="size-4" />
      Yes<span className="sr-only">, {role}</span>
    </span>
  ) : (
    <span className="inline-flex items-center gap-1 text-slate-600">
      <XMarkIcon aria-hidden="true" className="size-4" />
      No<span className="sr-only">, not {role}</span>
    </span>
  );
}

function VerifyForm({ email, onVerified }: { email: Email; onVerified: (id: string, message: string) => void }) {
  const [state, action, pending] = useActionState<SettingsState, FormData>(verifyEmail, {});
  const [resent, resend, resending] = useActionState<SettingsState, FormData>(resendCode, {});
  // Verified: this form goes away with the row's new state, so the tab says it and opens the roles.
  useSaved(state, () => onVerified(email.id, state.message ?? "Address verified."));
  const id = `code-${email.id}`;
  return (
    <div className="mt-2 space-y-2 rounded-md bg-slate-50 p-3">
      <form action={action} className="flex flex-wrap items-end gap-2" noValidate>
        <input type="hidden" name="id" value={email.id} />
        <div>
          <Field id={id} name="code" label={`Verification code for ${email.email}`} error={state.fieldErrors?.code} autoComplete="one-time-code" />
        </div>
        <button type="submit" disabled={pending} className={primaryButton}>Verify</button>
      </form>
      <form action={resend}>
        <input type="hidden" name="id" value={email.id} />
        <button type="submit" disabled={resending} className="text-sm font-medium text-brand-700 underline">Send a new code</button>
      </form>
      {/* Success is announced by the tab (this form goes away once verified); only errors stand here. */}
      <FormMessage ok={false} message={state.ok ? undefined : state.message} />
      <FormMessage ok={resent.ok} message={resent.message} />
    </div>
  );
}

function RolesForm({ email, onSaved, onClose }: { email: Email; onSaved: () => void; onClose: () => void }) {
  const [state, action, pending] = useActionState<SettingsState, FormData>(saveRoles, {});
  const [roles, setRoles] = useState<Record<Role, boolean>>({ billing: email.billing, tech: email.tech, dpo: email.dpo });
  useSaved(state, onSaved);
  const addsBilling = roles.billing && !email.billing;
  return (
    <form action={action} className="mt-2 space-y-3 rounded-md bg-slate-50 p-3" aria-label={`Roles of ${email.email}`} noValidate>
      <input type="hidden" name="id" value={email.id} />
      <input type="hidden" name="hadBilling" value={String(email.billing)} />
      {ROLE_ROWS.map((r) => (
        <HField key={r.key} className="flex items-start gap-3">
          <Switch
            checked={roles[r.key]}
            onChange={(on) => setRoles((prev) => ({ ...prev, [r.key]: on }))}
            name={r.key}
            value="on"
            className="group relative mt-0.5 inline-flex h-6 w-11 shrink-0 cursor-pointer rounded-full bg-slate-300 transition data-checked:bg-brand-600 focus:outline-none data-focus:ring-2 data-focus:ring-brand-600 data-focus:ring-offset-2"
          >
            <span aria-hidden="true" className="inline-block size-5 translate-x-0.5 translate-y-0.5 rounded-full bg-white shadow transition group-data-checked:translate-x-5" />
          </Switch>
          <div>
            <Label className="text-sm font-medium">{r.label}</Label>
            <Description className="text-xs text-slate-600">{r.description}</Description>
          </div>
        </HField>
      ))}
      {addsBilling && (
        <Field
          id={`pw-${email.id}`}
          name="password"
          type="password"
          label="Your password"
          note="Invoices will go to this address: confirm with your password."
          error={state.fieldErrors?.password}
          autoComplete="current-password"
        />
      )}
      <FormMessage ok={state.ok} message={state.message} />
      <div className="flex gap-2">
        <button type="submit" disabled={pending} className={primaryButton}>Save roles</button>
        <button type="button" onClick={onClose} className={secondaryButton}>Close</button>
      </div>
    </form>
  );
}

function DeleteForm({ email, onSaved, onCancel }: { email: Email; onSaved: () => void; onCancel: () => void }) {
  const [state, action, pending] = useActionState<SettingsState, FormData>(deleteEmail, {});
  useSaved(state, onSaved);
  return (
    <form action={action} className="mt-2 space-y-2 rounded-md bg-red-50 p-3" aria-label={`Confirm deleting ${email.email}`} noValidate>
      <input type="hidden" name="id" value={email.id} />
      <p className="text-sm">Delete {email.email} from the contact list?</p>
      <FormMessage ok={state.ok} message={state.message} />
      <div className="flex gap-2">
        <button type="submit" disabled={pending} className="rounded-md bg-red-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-800 focus:outline-none focus-visible:ring-2 focus-visible:ring-red-700 focus-visible:ring-offset-2">
          Delete {email.email}
        </button>
        <button type="button" onClick={onCancel} className={secondaryButton}>Cancel</button>
      </div>
    </form>
  );
}

function CreateEmail({ onSaved }: { onSaved: () => void }) {
  const [open, setOpen] = useState(false);
  const [state, action, pending] = useActionState<SettingsState, FormData>(createEmail, {});
  useSaved(state, onSaved);
  if (!open) {
    return (
      <button type="button" onClick={() => setOpen(true)} className={secondaryButton}>
        Create new Email
      </button>
    );
  }
  return (
    <form action={action} className="space-y-3 rounded-md border border-slate-200 p-3" aria-label="Create new Email" noValidate>
      <Field id="new-email" name="email" type="email" label="Email address" defaultValue={typeof state.values?.email === "string" ? state.values.email : ""} error={state.fieldErrors?.email} autoComplete="email" />
      <Field id="new-email-pw" name="password" type="password" label="Your password" note="Adding an address needs your password again." error={state.fieldErrors?.password} autoComplete="current-password" />
      <FormMessage ok={state.ok} message={state.message} />
      <div className="flex gap-2">
        <button type="submit" disabled={pending} className={primaryButton}>Create</button>
        <button type="button" onClick={() => setOpen(false)} className={secondaryButton}>Close</button>
      </div>
    </form>
  );
}

function Phones({ view, onSaved }: { view: BillingSettingsView; onSaved: () => void }) {
  const [added, add, adding] = useActionState<SettingsState, FormData>(createPhone, {});
  const [removed, remove] = useActionState<SettingsState, FormData>(deletePhone, {});
  useSaved(added, onSaved);
  useSaved(removed, onSaved);
  const phones = view.contacts.phones;
  return (
    <section aria-labelledby="phones-heading" className="space-y-3">
      <h3 id="phones-heading" className="font-semibold">Phone numbers</h3>
      {phones.length === 0 ? (
        <p className="text-sm text-slate-700">No phone numbers.</p>
      ) : (
        <ul className="divide-y divide-slate-100 rounded-md border border-slate-200">
          {phones.map((p) => (
            <li key={p.id} className="flex items-center justify-between gap-2 px-3 py-2 text-sm">
              <span>
                <span className="font-mono">{p.phone}</span>
                {p.label && <span className="ml-2 text-slate-600">{p.label}</span>}
              </span>
              {view.canManage && (
                <form action={remove}>
                  <input type="hidden" name="id" value={p.id} />
                  <button type="submit" aria-label={`Remove ${p.phone}`} className="text-sm font-medium text-red-700 underline">Remove</button>
                </form>
              )}
            </li>
          ))}
        </ul>
      )}
      <FormMessage ok={removed.ok} message={removed.ok ? undefined : removed.message} />
      {view.canManage && (
        <form action={add} className="grid gap-2 sm:grid-cols-[1fr_1fr_auto] sm:items-end" aria-label="Add phone number" noValidate>
          <Field id="new-phone" name="phone" type="tel" label="Phone number" defaultValue={typeof added.values?.phone === "string" ? added.values.phone : ""} error={added.fieldErrors?.phone} autoComplete="tel" />
          <Field id="new-phone-label" name="label" label="Label (optional)" defaultValue={typeof added.values?.label === "string" ? added.values.label : ""} error={added.fieldErrors?.label} />
          <button type="submit" disabled={adding} className={`${primaryButton} h-9`}>Add phone</button>
        </form>
      )}
      {added.ok && <FormMessage ok message={added.message} />}
    </section>
  );
}

export function ContactTab({ view, onSaved }: { view: BillingSettingsView; onSaved: () => void }) {
  const [editing, setEditing] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const onVerified = (id: string, message: string) => {
    setNotice(message);
    setDeleting(null);
    setEditing(id);
    onSaved();
  };
  const emails = view.contacts.emails;
  const th = "px-2 py-2 text-left font-semibold";
  return (
    <div className="space-y-6">
      {!view.canManage && <p className="text-sm text-slate-700">You can see the contacts; a user with invoice access Full can change them.</p>}
      <Phones view={view} onSaved={onSaved} />

      <section aria-labelledby="emails-heading" className="space-y-3">
        <h3 id="emails-heading" className="font-semibold">Email addresses</h3>
        {notice && <FormMessage ok message={notice} />}
        <p className="text-sm" role="status">
          Next invoice will be sent to: <strong>{view.nextInvoiceTo.length ? view.nextInvoiceTo.join(", ") : "nobody (no verified Billing address)"}</strong>
        </p>
        <div className="overflow-x-auto">
          <table className="min-w-full text-sm">
            <caption className="sr-only">Contact email addresses and their roles</caption>
            <thead className="border-b border-slate-200">
              <tr>
                <th scope="col" className={th}>Email Address</th>
                <th scope="col" className={th}>Billing</th>
                <th scope="col" className={th}>Tech</th>
                <th scope="col" className={th}>DPO</th>
                <th scope="col" className={th}><span className="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {emails.map((e) => (
                <tr key={e.id} className="align-top">
                  <td className="px-2 py-2">
                    <div className="font-medium break-all">{e.email}</div>
                    {!e.verified && <div className="text-xs text-amber-800">Not verified: holds no role until verified</div>}
                    {view.canManage && !e.verified && <VerifyForm email={e} onVerified={onVerified} />}
                    {view.canManage && editing === e.id && e.verified && (
                      <RolesForm email={e} onSaved={onSaved} onClose={() => setEditing(null)} />
                    )}
                    {view.canManage && deleting === e.id && <DeleteForm email={e} onSaved={onSaved} onCancel={() => setDeleting(null)} />}
                  </td>
                  <td className="px-2 py-2"><RoleCell on={e.billing} role="Billing" /></td>
                  <td className="px-2 py-2"><RoleCell on={e.tech} role="Tech" /></td>
                  <td className="px-2 py-2"><RoleCell on={e.dpo} role="DPO" /></td>
                  <td className="px-2 py-2">
                    {view.canManage && (
                      <div className="flex gap-2">
                        <button
                          type="button"
                          disabled={!e.verified}
                          onClick={() => { setDeleting(null); setEditing(editing === e.id ? null : e.id); }}
                          aria-label={`Modify ${e.email}`}
                          aria-expanded={editing === e.id}
                          className="text-sm font-medium text-brand-700 underline disabled:text-slate-400 disabled:no-underline"
                        >
                          Modify
                        </button>
                        <button
                          type="button"
                          onClick={() => { setEditing(null); setDeleting(deleting === e.id ? null : e.id); }}
                          aria-label={`Delete ${e.email}`}
                          aria-expanded={deleting === e.id}
                          className="text-sm font-medium text-red-700 underline"
                        >
                          Delete
                        </button>
                      </div>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {view.canManage && <CreateEmail onSaved={onSaved} />}
      </section>
    </div>
  );
}
