"use client";

/** Small form pieces shared by the Account settings tabs: a labelled input with its error next to it. */
export const inputClass =
  "mt-1 block w-full rounded-md border border-slate-300 px-3 py-1.5 text-sm shadow-sm focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-600/30 read-only:bg-slate-50 read-only:text-slate-700 disabled:bg-slate-50";

export const primaryButton =
  "rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-600 focus-visible:ring-offset-2 disabled:opacity-60";

export const secondaryButton =
  "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-600 disabled:opacity-60";

export function Field({
  id,
  name,
  label,
  defaultValue,
  error,
  type = "text",
  readOnly,
  note,
  autoComplete,
  required,
}: {
  id: string;
  name: string;
  label: string;
  defaultValue?: string | null;
  error?: string;
  type?: string;
  readOnly?: boolean;
  note?: string;
  autoComplete?: string;
  required?: boolean;
}) {
  const describedBy = [error ? `${id}-error` : null, note ? `${id}-note` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      <input
        id={id}
        name={name}
        type={type}
        defaultValue={defaultValue ?? ""}
        readOnly={readOnly}
        required={required}
        autoComplete={autoComplete}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        className={inputClass}
      />
      {note && (
        <p id={`${id}-note`} className="mt-1 text-xs text-slate-600">
          {note}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="mt-1 text-sm text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}

/** The person's current password, asked again to confirm a change (the browser may fill it in). */
export function CurrentPasswordField({ id, label = "Your password", note, error }: { id: string; label?: string; note?: string; error?: string }) {
  return <Field id={id} name="password" type="password" label={label} note={note} error={error} autoComplete="current-password" />;
}

export function FormMessage({ ok, message }: { ok?: boolean; message?: string }) {
  if (!message) return null;
  return ok ? (
    <p role="status" className="rounded-md border border-green-200 bg-green-50 px-3 py-2 text-sm text-green-900">
      {message}
    </p>
  ) : (
    <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-900">
      {message}
    </p>
  );
}
