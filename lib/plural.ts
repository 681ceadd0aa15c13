/**
 * Counted phrases ("1 invoice is", "2 invoices are") chosen by the language's plural rules
 * (Intl.PluralRules), never by hand-made "(s)" or `n === 1` tests: other languages have other
 * categories, and a phrase then reads as a person would write it.
 */
export type PluralForms = { one: string; other: string } & Partial<Record<Intl.LDMLPluralRule, string>>;

const rulesByLocale = new Map<string, Intl.PluralRules>();
const numbersByLocale = new Map<string, Intl.NumberFormat>();

function rulesFor(locale: string): Intl.PluralRules {
  let rules = rulesByLocale.get(locale);
  if (!rules) rulesByLocale.set(locale, (rules = new Intl.PluralRules(locale)));
  return rules;
}

function numberFormatFor(locale: string): Intl.NumberFormat {
  let format = numbersByLocale.get(locale);
  if (!format) numbersByLocale.set(locale, (format = new Intl.NumberFormat(locale)));
  return format;
}

/** The form for `count` with every "#" replaced by the count, formatted for the locale. */
export function plural(count: number, forms: PluralForms, locale = "en"): string {
  const form = forms[rulesFor(locale).select(count)] ?? forms.other;
  return form.replaceAll("#", numberFormatFor(locale).format(count));
}
