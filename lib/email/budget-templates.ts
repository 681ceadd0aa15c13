/**
 * The budget alert to the Billing contacts, in the account's language: the month's spend or its
 * forecast has reached 80 % or 100 % of the monthly budget (lib/billing/budget-check.ts).
 */
import type { Language } from "@/db/schema";
import { budgetSharePercent, type BudgetThreshold } from "@/lib/billing/budget";
import { formatMonth } from "@/lib/dates";
import { formatMoney } from "@/lib/money";
import { appBaseUrl, factsEmailBodies, type EmailContent } from "./templates";

export type BudgetAlertData = {
  language: Language;
  thresholdPercent: BudgetThreshold;
  /** First day of the month (ISO date). */
  month: string;
  currency: string;
  budgetMinor: bigint;
  spentMinor: bigint;
  /** Null before the month is far enough along to forecast. */
  forecastMinor: bigint | null;
  accountName: string;
  providerName: string;
};

const STRINGS = {
  en: {
    greeting: "Hello,",
    subject: (percent: number, month: string) => `Budget alert: ${percent} % of your monthly budget for ${month}`,
    intro: (d: BudgetAlertData, month: string) =>
      `The spend of ${d.accountName} for ${month}, or its forecast, has reached ${d.thresholdPercent} % of the monthly budget.`,
    budget: "Monthly budget",
    spent: "Spent so far",
    forecast: "Forecast for the month",
    tooEarly: "Too early to forecast",
    ofBudget: (percent: number) => `${percent} % of the budget`,
    vat: "Amounts exclude VAT. You get one email at 80 % and one at 100 % each month.",
    link: "See this month's spend in the panel",
    why: (d: BudgetAlertData) =>
      `You receive this email because this address receives invoices and payment notices (the Billing role) for ${d.accountName}. ` +
      "You can change the budget under Account settings, Settings.",
  },
  sv: {
    greeting: "Hej,",
    subject: (percent: number, month: string) => `Budgetvarning: ${percent} % av månadsbudgeten för ${month}`,
    intro: (d: BudgetAlertData, month: string) =>
      `Kostnaden för ${d.accountName} i ${month}, eller prognosen för den, har nått ${d.thresholdPercent} % av månadsbudgeten.`,
    budget: "Månadsbudget",
    spent: "Hittills",
    forecast: "Prognos för månaden",
    tooEarly: "För tidigt för en prognos",
    ofBudget: (percent: number) => `${percent} % av budgeten`,
    vat: "Beloppen är exklusive moms. Du får ett mejl vid 80 % och ett vid 100 % varje månad.",
    link: "Se månadens kostnader i panelen",
    why: (d: BudgetAlertData) =>
      `Du får det här mejlet eftersom adressen tar emot fakturor och betalningsmeddelanden (rollen Billing) för ${d.accountName}. ` +
      "Du kan ändra budgeten under Account settings, Settings.",
  },
} as const;

export function budgetAlertEmail(d: BudgetAlertData): EmailContent {
  const s = STRINGS[d.language];
  const month = formatMonth(d.month, d.language);
  const money = (minor: bigint) => formatMoney(minor, d.currency, d.language);
  const withShare = (minor: bigint) => `${money(minor)} (${s.ofBudget(budgetSharePercent(minor, d.budgetMinor))})`;
  const subject = s.subject(d.thresholdPercent, month);
  return {
    subject,
    ...factsEmailBodies({
      language: d.language,
      title: subject,
      greeting: s.greeting,
      intro: s.intro(d, month),
      facts: [
        [s.budget, money(d.budgetMinor)],
        [s.spent, withShare(d.spentMinor)],
        [s.forecast, d.forecastMinor === null ? s.tooEarly : withShare(d.forecastMinor)],
      ],
      paragraphs: [s.vat],
      link: { label: s.link, url: `${appBaseUrl()}/` },
      footer: [d.providerName, s.why(d)],
    }),
  };
}
