/**
 * Countries: the one list of codes the panel accepts and the one way a code becomes a name.
 * The Customer Info form lists them, validation accepts them, and every document (invoice,
 * credit note, receipt) and page prints a code through countryName in its own language.
 */
import type { Language } from "@/db/schema";
import { localeOf } from "@/lib/money";

/**
 * Every officially assigned ISO 3166-1 alpha-2 code (249). Not Intl's whole region list: it
 * also names withdrawn codes (AN, CS, YU), reserved ones (AC, EA, IC, TA), groupings (EU, UN)
 * and the user-assigned XK.
 */
export const COUNTRY_CODES = [
  "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
  "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
  "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN",
  "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE",
  "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF",
  "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
  "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM",
  "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC",
  "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
  "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
  "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG",
  "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW",
  "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
  "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
  "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
  "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW",
] as const;

export type CountryCode = (typeof COUNTRY_CODES)[number];

const namesByLanguage = new Map<Language, Intl.DisplayNames>();

/** "SE" → "Sweden" (en) or "Sverige" (sv); a code Intl cannot name is printed as given. */
export function countryName(code: string, language: Language): string {
  let names = namesByLanguage.get(language);
  if (!names) {
    names = new Intl.DisplayNames([localeOf(language)], { type: "region", fallback: "code" });
    namesByLanguage.set(language, names);
  }
  try {
    return names.of(code.toUpperCase()) ?? code;
  } catch {
    return code; // not a well-formed region code: print it as issued
  }
}

export type CountryOption = { code: CountryCode; name: string };

const optionsByLanguage = new Map<Language, CountryOption[]>();

/**
 * Every country, named and sorted by name in `language` (in Swedish "Åland" and "Österrike" come
 * after "Zimbabwe"; in English "Åland Islands" sits between "Afghanistan" and "Albania").
 * Computed on the server and sent to the form, so the browser's own ICU data, which may name
 * a country differently, never decides what the list says.
 */
export function countryOptions(language: Language): CountryOption[] {
  let options = optionsByLanguage.get(language);
  if (!options) {
    const collator = new Intl.Collator(localeOf(language));
    options = COUNTRY_CODES.map((code) => ({ code, name: countryName(code, language) })).sort((a, b) =>
      collator.compare(a.name, b.name),
    );
    optionsByLanguage.set(language, options);
  }
  return options;
}
