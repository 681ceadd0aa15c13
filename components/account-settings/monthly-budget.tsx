"use client";

import { useActionState, useEffect } from "react";
import { saveMonthlyBudget, type BudgetState } from "@/lib/actions/budget";
import type { BudgetSettingsView } from "@/lib/dal/budget";
import { FormMessage, inputClass, primaryButton } from "./fields";

const hint = (currency: string) =>
  `In ${currency}, excluding VAT. When the month's spend or its forecast reaches 80 % and 100 % of it, the Billing contacts get an email, once each month.`;

function AlertsThisMonth({ budget }: { budget: BudgetSettingsView }) {
  return (
    <div className="text-sm">
      <h4 id="budget-alerts-heading" className="font-medium">Budget alerts this month</h4>
      {budget.alerts.length === 0 ? (
        <p className="text-slate-700">None this month.</p>
      ) : (
        <ul aria-labelledby="budget-alerts-heading" className="list-disc pl-5 text-slate-700">
          {budget.alerts.map((a) => (
            <li key={a.thresholdPercent}>{a.text}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The account's Monthly budget in Settings, with this month's alerts: its own small form, changeable with invoice access Full. */
export function MonthlyBudgetSetting({ budget, canManage, onSaved }: { budget: BudgetSettingsView; canManage: boolean; onSaved: () => void }) {
  const [state, action, pending] = useActionState<BudgetState, FormData>(saveMonthlyBudget, {});
  useEffect(() => {
    if (state.ok && state.done) onSaved();
  }, [state.ok, state.done, onSaved]);

  if (!canManage) {
    return (
      <section aria-labelledby="monthly-budget-heading" className="mt-6 space-y-2 border-t border-slate-200 pt-5">
        <h3 id="monthly-budget-heading" className="text-sm font-semibold">Monthly budget</h3>
        <p className="text-sm text-slate-700">{budget.amountText ?? "No monthly budget is set."}</p>
        <p className="text-xs text-slate-600">{hint(budget.currency)}</p>
        <AlertsThisMonth budget={budget} />
      </section>
    );
  }
  const error = state.fieldErrors?.monthlyBudget;
  const submitted = typeof state.values?.monthlyBudget === "string" ? state.values.monthlyBudget : undefined;
  const describedBy = ["monthly-budget-note", error ? "monthly-budget-error" : null].filter(Boolean).join(" ");
  return (
    <section aria-labelledby="monthly-budget-heading" className="mt-6 space-y-3 border-t border-slate-200 pt-5">
      <form action={action} className="space-y-3" noValidate>
        <FormMessage ok={state.ok} message={state.message} />
        <div>
          <h3 id="monthly-budget-heading" className="text-sm font-semibold">
            <label htmlFor="monthly-budget" className="block">Monthly budget</label>
          </h3>
          {/* A refused value is shown again beside its message; otherwise the saved budget. */}
          <div className="mt-1 flex items-center gap-2">
            <input
              key={`${state.done ?? 0}:${submitted ?? budget.inputValue}`}
              id="monthly-budget"
              name="monthlyBudget"
              inputMode="decimal"
              defaultValue={submitted ?? budget.inputValue}
              autoComplete="off"
              aria-invalid={error ? true : undefined}
              aria-describedby={describedBy}
              className={`${inputClass} mt-0 max-w-48`}
            />
            <span className="text-sm text-slate-700">{budget.currency}</span>
          </div>
          <p id="monthly-budget-note" className="mt-1 text-xs text-slate-600">{hint(budget.currency)} Leave it empty to remove the budget.</p>
          {error && (
            <p id="monthly-budget-error" className="mt-1 text-sm text-red-700">{error}</p>
          )}
        </div>
        <button type="submit" disabled={pending} className={primaryButton}>
          {pending ? "Saving…" : "Save budget"}
        </button>
      </form>
      <AlertsThisMonth budget={budget} />
    </section>
  );
}
