"use server";

/**
 * The account's Monthly budget in Settings: invoice access Full only (a forged request from
 * anyone else is audited and answers 403). An amount that is not a positive amount in the
 * account's currency gets a message next to the field and saves nothing; empty clears it.
 */
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { parseBudgetInput } from "@/lib/billing/budget";
import { defineAction, type ActionState } from "@/lib/dal/action";
import { saveViewerMonthlyBudget } from "@/lib/dal/budget";
import { canManageBilling } from "@/lib/dal/session";
import { formatMoney } from "@/lib/money";

export type BudgetState = ActionState<"monthlyBudget"> & { done?: number };

const schema = z.object({
  monthlyBudget: z.string({ error: "Enter the budget as an amount, or leave the field empty." }).max(40, "Enter the budget as an amount, e.g. 1000."),
});

export const saveMonthlyBudget = defineAction<typeof schema, BudgetState>({
  name: "account.monthly_budget",
  schema,
  authorize: canManageBilling,
  async handler(viewer, input) {
    const { currency, language } = viewer.account;
    const parsed = parseBudgetInput(input.monthlyBudget, currency, language);
    if (!parsed.ok) return { ok: false, fieldErrors: { monthlyBudget: parsed.message } };
    const r = await saveViewerMonthlyBudget(viewer, parsed.budgetMinor);
    if (!r.ok) return { ok: false, message: r.message };
    const saved = parsed.budgetMinor === null ? "No monthly budget is set." : `Monthly budget: ${formatMoney(parsed.budgetMinor, currency, language)}.`;
    if (!r.changed) return { ok: true, message: `Nothing changed. ${saved}`, done: Date.now() };
    revalidatePath("/", "layout");
    return { ok: true, message: parsed.budgetMinor === null ? "Monthly budget removed." : `Monthly budget saved: ${formatMoney(parsed.budgetMinor, currency, language)}.`, done: Date.now() };
  },
});
