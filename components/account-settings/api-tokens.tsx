"use client";

import { useActionState, useCallback, useEffect, useId, useState } from "react";
import { createApiToken, loadApiTokens, revokeApiToken, type ApiTokenRow, type CreateApiTokenState, type RevokeApiTokenState } from "@/lib/actions/api-tokens";
import { API_TOKEN_EXPIRY_DAYS } from "@/lib/api-tokens/limits";
import { CopyButton } from "@/components/invoices/copy-button";
import { Field, FormMessage, inputClass, primaryButton, secondaryButton } from "./fields";

/**
 * Personal API tokens in Settings (invoice access Read or Full; the tab is not shown for None):
 * create one with a name and an expiry, see it once with Copy, and revoke each on its own.
 */
export function ApiTokens() {
  const [tokens, setTokens] = useState<ApiTokenRow[] | null>(null);
  const [loadError, setLoadError] = useState(false);
  const reload = useCallback(() => {
    loadApiTokens()
      .then((rows) => {
        setTokens(rows ?? []);
        setLoadError(false);
      })
      .catch(() => setLoadError(true));
  }, []);
  useEffect(reload, [reload]);

  return (
    <section aria-labelledby="api-tokens-heading" className="mt-6 space-y-3 border-t border-slate-200 pt-5">
      <h3 id="api-tokens-heading" className="text-sm font-semibold">API tokens</h3>
      <p className="text-sm text-slate-700">
        Personal tokens let scripts read your invoices and payments through the REST API (<code>/api/v1</code>), with the invoice access you have.
        They are read-only. <strong className="font-semibold">Log out everywhere does not revoke them</strong>: revoke each token here.
      </p>
      <CreateTokenForm onCreated={reload} />
      {loadError ? (
        <p role="alert" className="text-sm text-red-800">The tokens could not be loaded. Close and open the settings again.</p>
      ) : tokens === null ? (
        <p className="text-sm text-slate-600">Loading…</p>
      ) : (
        <TokenList tokens={tokens} onRevoked={reload} />
      )}
    </section>
  );
}

function CreateTokenForm({ onCreated }: { onCreated: () => void }) {
  const [state, action, pending] = useActionState<CreateApiTokenState, FormData>(createApiToken, {});
  const id = useId();
  useEffect(() => {
    if (state.ok && state.done) onCreated();
  }, [state.ok, state.done, onCreated]);
  const expiryError = state.fieldErrors?.expiresInDays;
  const submittedName = typeof state.values?.name === "string" ? state.values.name : "";
  return (
    <form action={action} aria-label="Create API token" noValidate className="space-y-3 rounded-md border border-slate-200 p-3">
      {/* A refused name is shown again; after a creation the field starts empty. */}
      <Field key={`name-${state.done ?? 0}`} id={`${id}-name`} name="name" label="Token name" defaultValue={state.ok ? "" : submittedName} error={state.fieldErrors?.name} autoComplete="off" />
      <div>
        <label htmlFor={`${id}-expiry`} className="block text-sm font-medium text-slate-700">Expires after</label>
        <select
          id={`${id}-expiry`}
          name="expiresInDays"
          defaultValue="90"
          aria-invalid={expiryError ? true : undefined}
          aria-describedby={expiryError ? `${id}-expiry-error` : undefined}
          className={inputClass}
        >
          {API_TOKEN_EXPIRY_DAYS.map((days) => (
            <option key={days} value={days}>{days} days</option>
          ))}
        </select>
        {expiryError && <p id={`${id}-expiry-error`} className="mt-1 text-sm text-red-700">{expiryError}</p>}
      </div>
      <FormMessage ok={state.ok} message={state.message} />
      {state.ok && state.token && (
        <div className="space-y-1 rounded-md border border-amber-300 bg-amber-50 p-3">
          <p className="text-sm font-medium text-slate-900">Your new token (shown once):</p>
          <code data-testid="new-api-token" className="block text-xs break-all text-slate-900">{state.token}</code>
          <CopyButton value={state.token} what="token" />
        </div>
      )}
      <button type="submit" disabled={pending} className={primaryButton}>
        {pending ? "Creating…" : "Create token"}
      </button>
    </form>
  );
}

function TokenList({ tokens, onRevoked }: { tokens: ApiTokenRow[]; onRevoked: () => void }) {
  if (tokens.length === 0) return <p className="text-sm text-slate-600">No tokens yet.</p>;
  return (
    <ul aria-label="Your API tokens" className="divide-y divide-slate-200 rounded-md border border-slate-200">
      {tokens.map((t) => (
        <li key={t.id} className="flex flex-wrap items-start justify-between gap-2 p-3">
          <div className="min-w-0 text-sm">
            <p className="font-medium [overflow-wrap:anywhere] text-slate-900">{t.name}</p>
            <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-2 text-xs text-slate-700">
              <dt>Created</dt>
              <dd>{t.createdAt}</dd>
              <dt>{t.expired ? "Expired" : "Expires"}</dt>
              <dd>{t.expiresAt}{t.expired && " (no longer works)"}</dd>
              <dt>Last used</dt>
              <dd>{t.lastUsedAt ?? "Never"}</dd>
            </dl>
          </div>
          <RevokeButton token={t} onRevoked={onRevoked} />
        </li>
      ))}
    </ul>
  );
}

function RevokeButton({ token, onRevoked }: { token: ApiTokenRow; onRevoked: () => void }) {
  const [state, action, pending] = useActionState<RevokeApiTokenState, FormData>(revokeApiToken, {});
  useEffect(() => {
    if (state.ok && state.done) onRevoked();
  }, [state.ok, state.done, onRevoked]);
  return (
    <form action={action} className="space-y-1">
      <input type="hidden" name="id" value={token.id} />
      <button type="submit" disabled={pending} className={secondaryButton}>
        Revoke<span className="sr-only"> token {token.name}</span>
      </button>
      {state.ok === false && <FormMessage ok={false} message={state.message ?? state.fieldErrors?.id} />}
    </form>
  );
}
