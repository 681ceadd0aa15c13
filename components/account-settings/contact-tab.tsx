"use client";

import { Field as HField, Label, Description, Switch } from "@headlessui/react";
import { CheckIcon, XMarkIcon } from "@heroicons/react/20/solid";
import { useActionState, useCallback, useEffect, useState } from "react";
import {
  createEmail,
  createPhone,
  deleteEmail,
  deletePhone,
  resendCode,
  saveRoles,
  verifyEmail,
  type SettingsState,
} from "@/lib/actions/account";
import { ROLE_DESCRIPTION, ROLE_LABEL, ROLES, type Role } from "@/lib/contacts/roles";
import type { BillingSettingsView } from "@/lib/dal/account";
import { CurrentPasswordField, Field, FormMessage, primaryButton, secondaryButton } from "./fields";

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

/** Moves focus to the element with this id once the current render has been painted. */
function focusSoon(id: string) {
  requestAnimationFrame(() => document.getElementById(id)?.focus());
}

function VerifyForm({ email, sentMessage, onVerified }: { email: Email; sentMessage: string | null; onVerified: (id: string, message: string) => void }) {
  const [state, action, pending] = useActionState<SettingsState, FormData>(verifyEmail, {});
  const [resent, resend, resending] = useActionState<SettingsState, FormData>(resendCode, {});
  // Verified: this form goes away with the row's new state, so the tab says it and opens the roles.
  useSaved(state, () => onVerified(email.id, state.message ?? "Address verified."));
  const id = `code-${email.id}`;
  // Just created: the code field is where the person continues.
  useEffect(() => {
    if (sentMessage) focusSoon(id);
  }, [sentMessage, id]);
  return (
    <div className="space-y-2 rounded-md bg-slate-50 p-3">
      {/* Shown while the address waits for its code; it goes with this form once verified. */}
      {sentMessage && <FormMessage ok message={sentMessage} />}
      <form action={action} className="flex flex-wrap items-end gap-2" noValidate>
        <input type="hidden" name="id" value={email.id} />
        <div className="min-w-0 flex-1 basis-48">
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
  // The server decides from the address's row whether the password is needed; ask for it
  // when Billing is being given, and whenever the server asked for it.
  const asksPassword = (roles.billing && !email.billing) || Boolean(state.fieldErrors?.password);
  return (
    <form action={action} className="space-y-3 rounded-md bg-slate-50 p-3" aria-label={`Roles of ${email.email}`} noValidate>
      <input type="hidden" name="id" value={email.id} />
      {/* The roles travel in hidden inputs written from React state, not in the switches' own
          checkboxes: React resets a form after its action runs, which put those back to their
          first state behind the switches' backs, so a second Save sent roles nobody chose. */}
      {ROLE_ROWS.map((r) => (
        <input key={r.key} type="hidden" name={r.key} value={roles[r.key] ? "on" : "off"} />
      ))}
      {ROLE_ROWS.map((r) => (
        <HField key={r.key} className="flex items-start gap-3">
          <Switch
            checked={roles[r.key]}
            onChange={(on) => setRoles((prev) => ({ ...prev, [r.key]: on }))}
            className="group relative mt-0.5 inline-flex h-6 w-11 shrink-0 cursor-pointer rounded-full bg-slate-300 transition data-checked:bg-brand-600 focus:outline-none data-focus:ring-2 data-focus:ring-brand-600 data-focus:ring-offset-2"
          >
            <span aria-hidden="true" className="inline-block size-5 translate-x-0.5 translate-y-0.5 rounded-full bg-white shadow transition group-data-checked:translate-x-5" />
          </Switch>
          <div className="min-w-0">
            <Label className="text-sm font-medium">{r.label}</Label>
            <Description className="text-xs text-slate-600">{r.description}</Description>
          </div>
        </HField>
      ))}
      {asksPassword && (
        <CurrentPasswordField
          id={`pw-${email.id}`}
          note="Invoices will go to this address: confirm with your password."
          error={state.fieldErrors?.password}
        />
      )}
      <FormMessage ok={state.ok} message={state.message} />
      <div className="flex flex-wrap gap-2">
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
    <form action={action} className="space-y-2 rounded-md bg-red-50 p-3" aria-label={`Confirm deleting ${email.email}`} noValidate>
      <input type="hidden" name="id" value={email.id} />
      <p className="text-sm [overflow-wrap:anywhere]">Delete {email.email} from the contact list?</p>
      <FormMessage ok={state.ok} message={state.message} />
      <div className="flex flex-wrap gap-2">
        {/* Named apart from the row's "Delete …" button: this one deletes. */}
        <button type="submit" disabled={pending} className="rounded-md bg-red-700 px-3 py-1.5 text-left text-sm font-medium text-white [overflow-wrap:anywhere] hover:bg-red-800 focus:outline-none focus-visible:ring-2 focus-visible:ring-red-700 focus-visible:ring-offset-2">
          Yes, delete {email.email}
        </button>
        <button type="button" onClick={onCancel} className={secondaryButton}>Cancel</button>
      </div>
    </form>
  );
}

function CreateEmailForm({ onCreated, onClose }: { onCreated: (id: string, message: string) => void; onClose: () => void }) {
  const [state, action, pending] = useActionState<SettingsState, FormData>(createEmail, {});
  useEffect(() => {
    if (state.ok && state.done && state.createdId) onCreated(state.createdId, state.message ?? "");
  }, [state.ok, state.done, state.createdId, state.message, onCreated]);
  return (
    <form action={action} className="space-y-3 rounded-md border border-slate-200 p-3" aria-label="Create new Email" noValidate>
      <Field id="new-email" name="email" type="email" label="Email address" defaultValue={typeof state.values?.email === "string" ? state.values.email : ""} error={state.fieldErrors?.email} autoComplete="email" />
      <CurrentPasswordField id="new-email-pw" note="Adding an address needs your password again." error={state.fieldErrors?.password} />
      <FormMessage ok={false} message={state.ok ? undefined : state.message} />
      <div className="flex gap-2">
        <button type="submit" disabled={pending} className={primaryButton}>Create</button>
        <button type="button" onClick={onClose} className={secondaryButton}>Close</button>
      </div>
    </form>
  );
}

/** "Create new Email": once created, the form closes and the address's row asks for its code. */
function CreateEmail({ onCreated }: { onCreated: (id: string, message: string) => void }) {
  const [open, setOpen] = useState(false);
  const created = useCallback(
    (id: string, message: string) => {
      setOpen(false);
      onCreated(id, message);
    },
    [onCreated],
  );
  if (!open) {
    return (
      <button id="create-email" type="button" onClick={() => setOpen(true)} className={secondaryButton}>
        Create new Email
      </button>
    );
  }
  return (
    <CreateEmailForm
      onCreated={created}
      onClose={() => {
        setOpen(false);
        focusSoon("create-email");
      }}
    />
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
              <span className="min-w-0 [overflow-wrap:anywhere]">
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

const ONLY_ADDRESS_REASON = "The only address cannot be deleted.";

/** One address: its row, and below it (the row's full width) the form that is open for it. */
function AddressRows({
  email,
  view,
  only,
  editing,
  deleting,
  sentMessage,
  setEditing,
  setDeleting,
  onVerified,
  onSaved,
}: {
  email: Email;
  view: BillingSettingsView;
  only: boolean;
  editing: boolean;
  deleting: boolean;
  sentMessage: string | null;
  setEditing: (id: string | null) => void;
  setDeleting: (id: string | null) => void;
  onVerified: (id: string, message: string) => void;
  onSaved: () => void;
}) {
  const e = email;
  const cell = "px-1 py-2 sm:px-2";
  // Delete wins over the verify form, so an address added by mistake can be removed before it is verified.
  const form = view.canManage && (deleting ? "delete" : !e.verified ? "verify" : editing ? "roles" : null);
  return (
    <tbody className="border-t border-slate-200">
      <tr className="align-top">
        <td className={cell}>
          <div className="font-medium [overflow-wrap:anywhere]">{e.email}</div>
          {!e.verified && <div className="text-xs text-amber-800">Not verified: holds no role until verified</div>}
          {view.canManage && only && <div id={`only-${e.id}`} className="text-xs text-slate-600">{ONLY_ADDRESS_REASON}</div>}
        </td>
        <td className={cell}><RoleCell on={e.billing} role="Billing" /></td>
        <td className={cell}><RoleCell on={e.tech} role="Tech" /></td>
        <td className={cell}><RoleCell on={e.dpo} role="DPO" /></td>
        <td className={cell}>
          {view.canManage && (
            <div className="flex flex-col items-start gap-1">
              <button
                id={`modify-${e.id}`}
                type="button"
                disabled={!e.verified}
                onClick={() => { setDeleting(null); setEditing(editing ? null : e.id); }}
                aria-label={`Modify ${e.email}`}
                aria-expanded={editing}
                className="text-sm font-medium text-brand-700 underline disabled:text-slate-500 disabled:no-underline"
              >
                Modify
              </button>
              <button
                id={`delete-${e.id}`}
                type="button"
                disabled={only}
                aria-describedby={only ? `only-${e.id}` : undefined}
                onClick={() => { setEditing(null); setDeleting(deleting ? null : e.id); }}
                aria-label={`Delete ${e.email}`}
                aria-expanded={deleting}
                className="text-sm font-medium text-red-700 underline disabled:text-slate-500 disabled:no-underline"
              >
                Delete
              </button>
            </div>
          )}
        </td>
      </tr>
      {form && (
        <tr>
          <td colSpan={5} className="px-1 pb-3 sm:px-2">
            {form === "verify" && <VerifyForm email={e} sentMessage={sentMessage} onVerified={onVerified} />}
            {form === "roles" && (
              <RolesForm email={e} onSaved={onSaved} onClose={() => { setEditing(null); focusSoon(`modify-${e.id}`); }} />
            )}
            {form === "delete" && (
              <DeleteForm email={e} onSaved={onSaved} onCancel={() => { setDeleting(null); focusSoon(`delete-${e.id}`); }} />
            )}
          </td>
        </tr>
      )}
    </tbody>
  );
}

export function ContactTab({ view, onSaved }: { view: BillingSettingsView; onSaved: () => void }) {
  const [editing, setEditing] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  // The "We sent a verification code…" message, kept with the address it was sent to.
  const [sent, setSent] = useState<{ id: string; message: string } | null>(null);
  const onVerified = (id: string, message: string) => {
    setNotice(message);
    setSent(null);
    setDeleting(null);
    setEditing(id);
    onSaved();
  };
  const onCreated = useCallback(
    (id: string, message: string) => {
      setSent({ id, message });
      setNotice(null);
      onSaved();
    },
    [onSaved],
  );
  const emails = view.contacts.emails;
  const th = "px-1 py-2 text-left font-semibold sm:px-2";
  return (
    <div className="space-y-6">
      {!view.canManage && <p className="text-sm text-slate-700">You can see the contacts; a user with invoice access Full can change them.</p>}
      <Phones view={view} onSaved={onSaved} />

      <section aria-labelledby="emails-heading" className="space-y-3">
        <h3 id="emails-heading" className="font-semibold">Email addresses</h3>
        {notice && <FormMessage ok message={notice} />}
        <p className="text-sm [overflow-wrap:anywhere]" role="status">
          Next invoice will be sent to: <strong>{view.nextInvoiceTo.length ? view.nextInvoiceTo.join(", ") : "nobody (no verified Billing address)"}</strong>
        </p>
        {/* Fixed columns: the roles and actions keep their width, the address wraps, and the
            forms take the row's full width below it, so nothing scrolls sideways at 390 px. */}
        <table className="w-full table-fixed text-sm">
          <caption className="sr-only">Contact email addresses and their roles</caption>
          <colgroup>
            <col />
            <col className="w-15 sm:w-17" />
            <col className="w-15 sm:w-17" />
            <col className="w-15 sm:w-17" />
            <col className="w-16 sm:w-18" />
          </colgroup>
          <thead>
            <tr>
              <th scope="col" className={th}>Email Address</th>
              <th scope="col" className={th}>Billing</th>
              <th scope="col" className={th}>Tech</th>
              <th scope="col" className={th}>DPO</th>
              <th scope="col" className={th}><span className="sr-only">Actions</span></th>
            </tr>
          </thead>
          {emails.map((e) => (
            <AddressRows
              key={e.id}
              email={e}
              view={view}
              only={emails.length === 1}
              editing={editing === e.id && e.verified}
              deleting={deleting === e.id}
              sentMessage={sent?.id === e.id ? sent.message : null}
              setEditing={setEditing}
              setDeleting={setDeleting}
              onVerified={onVerified}
              onSaved={onSaved}
            />
          ))}
        </table>
        {view.canManage && <CreateEmail onCreated={onCreated} />}
      </section>
    </div>
  );
}
