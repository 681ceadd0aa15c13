/**
 * Customer Info rules: lengths, the VAT number's format for the account's country, and a zip
 * code format per country where one exists. Messages are written for the field they stand by.
 */
import { z } from "zod";
import { COUNTRY_CODES } from "@/lib/countries";

/** VAT number formats (EU VIES and Norway/UK/Switzerland), with the country prefix. */
export const VAT_FORMATS: Record<string, { re: RegExp; example: string }> = {
  AT: { re: /^ATU\d{8}$/, example: "ATU12345678" },
  BE: { re: /^BE[01]\d{9}$/, example: "BE0123456789" },
  CH: { re: /^CHE\d{9}(MWST|TVA|IVA)?$/, example: "CHE123456789MWST" },
  DE: { re: /^DE\d{9}$/, example: "DE123456789" },
  DK: { re: /^DK\d{8}$/, example: "DK12345678" },
  EE: { re: /^EE\d{9}$/, example: "EE123456789" },
  ES: { re: /^ES[A-Z0-9]\d{7}[A-Z0-9]$/, example: "ESX1234567X" },
  FI: { re: /^FI\d{8}$/, example: "FI12345678" },
  FR: { re: /^FR[A-HJ-NP-Z0-9]{2}\d{9}$/, example: "FRXX123456789" },
  GB: { re: /^GB(\d{9}|\d{12}|GD\d{3}|HA\d{3})$/, example: "GB123456789" },
  IE: { re: /^IE\d{7}[A-W][A-I]?$/, example: "IE1234567T" },
  IS: { re: /^IS\d{5,6}$/, example: "IS123456" },
  IT: { re: /^IT\d{11}$/, example: "IT12345678901" },
  LT: { re: /^LT(\d{9}|\d{12})$/, example: "LT123456789" },
  LV: { re: /^LV\d{11}$/, example: "LV12345678901" },
  NL: { re: /^NL\d{9}B\d{2}$/, example: "NL123456789B01" },
  NO: { re: /^NO\d{9}MVA$/, example: "NO123456789MVA" },
  PL: { re: /^PL\d{10}$/, example: "PL1234567890" },
  PT: { re: /^PT\d{9}$/, example: "PT123456789" },
  SE: { re: /^SE\d{10}01$/, example: "SE556677889901" },
};

/** Zip code formats where the country has one rule. */
export const ZIP_FORMATS: Record<string, { re: RegExp; example: string }> = {
  SE: { re: /^\d{3} ?\d{2}$/, example: "111 43" },
  FI: { re: /^\d{5}$/, example: "00100" },
  DE: { re: /^\d{5}$/, example: "10115" },
  DK: { re: /^\d{4}$/, example: "1050" },
  NO: { re: /^\d{4}$/, example: "0150" },
  NL: { re: /^\d{4} ?[A-Z]{2}$/, example: "1012 AB" },
  PL: { re: /^\d{2}-\d{3}$/, example: "00-001" },
  FR: { re: /^\d{5}$/, example: "75001" },
  IT: { re: /^\d{5}$/, example: "00118" },
  ES: { re: /^\d{5}$/, example: "28001" },
  AT: { re: /^\d{4}$/, example: "1010" },
  CH: { re: /^\d{4}$/, example: "8001" },
  US: { re: /^\d{5}(-\d{4})?$/, example: "94103" },
  GB: { re: /^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$/, example: "SW1A 1AA" },
};

const EU = new Set(["AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"]);
export const isEu = (countryCode: string) => EU.has(countryCode);

/** A VAT number starts with its country's code, except Greece's: EL (VIES). */
export const vatPrefix = (countryCode: string) => (countryCode === "GR" ? "EL" : countryCode);

// Letters, marks, digits and common punctuation; no control characters or angle brackets.
const SAFE_TEXT = /^[\p{L}\p{M}\p{N} .,'’&()\/\-–:#+@]*$/u;
const text = (label: string, max: number, required = true) => {
  const base = z
    .string()
    .trim()
    .max(max, `${label} can be at most ${max} characters.`)
    .regex(SAFE_TEXT, `${label} contains characters that are not allowed.`);
  return required ? base.min(1, `Enter the ${label.toLowerCase()}.`) : base;
};

/** An optional field: absent or blank is null. */
const optional = (schema: z.ZodString) =>
  z.preprocess((v) => v ?? "", schema.transform((v) => (v === "" ? null : v)));

export const customerInfoSchema = z
  .object({
    firstName: text("First name", 80),
    lastName: text("Last name", 80),
    companyName: text("Company name", 120),
    street: text("Address", 120),
    city: text("City", 80),
    zipCode: text("Zip code", 16).transform((v) => v.toUpperCase()),
    countryCode: z.enum(COUNTRY_CODES, { error: "Choose a country from the list." }),
    vatNumber: z
      .preprocess((v) => v ?? "", z.string())
      .pipe(z.string()
      .trim()
      .max(24, "VAT number can be at most 20 characters.")
      // Letters and digits, with the spaces, dots and hyphens people type (removed below).
      .regex(/^[A-Za-z0-9\s.-]*$/, "A VAT number has letters and digits only.")
      .transform((v) => (v === "" ? null : v.toUpperCase().replace(/[\s.-]/g, "")))),
    purchaseOrder: optional(text("Purchase order", 60, false)),
    careOf: optional(text("Care of", 80, false)),
    separateBilling: z.preprocess((v) => v === "on" || v === "true" || v === true, z.boolean()),
    billingName: optional(text("Billing name", 120, false)),
    billingStreet: optional(text("Billing address", 120, false)),
    billingZipCode: optional(text("Billing zip code", 16, false)),
    billingCity: optional(text("Billing city", 80, false)),
  })
  .superRefine((v, ctx) => {
    const zip = ZIP_FORMATS[v.countryCode];
    if (zip && !zip.re.test(v.zipCode)) ctx.addIssue({ code: "custom", path: ["zipCode"], message: `Enter a zip code like ${zip.example}.` });
    if (v.vatNumber) {
      const vat = VAT_FORMATS[v.countryCode];
      const prefix = vatPrefix(v.countryCode);
      if (!v.vatNumber.startsWith(prefix)) {
        ctx.addIssue({ code: "custom", path: ["vatNumber"], message: `A VAT number for this country starts with ${prefix}.` });
      } else if (vat && !vat.re.test(v.vatNumber)) {
        ctx.addIssue({ code: "custom", path: ["vatNumber"], message: `Enter the VAT number like ${vat.example}.` });
      }
    }
    if (v.separateBilling) {
      for (const [key, label] of [["billingName", "billing name"], ["billingStreet", "billing address"], ["billingZipCode", "billing zip code"], ["billingCity", "billing city"]] as const) {
        if (!v[key]) ctx.addIssue({ code: "custom", path: [key], message: `Enter the ${label}.` });
      }
      if (v.billingZipCode && zip && !zip.re.test(v.billingZipCode.toUpperCase())) {
        ctx.addIssue({ code: "custom", path: ["billingZipCode"], message: `Enter a zip code like ${zip.example}.` });
      }
    }
  });

export type CustomerInfoInput = z.infer<typeof customerInfoSchema>;

/** E.164: a plus, a country code and up to 15 digits in all. */
export const phoneSchema = z
  .string()
  .trim()
  .transform((v) => v.replace(/[\s()-]/g, ""))
  .pipe(z.string().regex(/^\+[1-9]\d{6,14}$/, "Enter the number in international form, like +46 8 123 456 78."));

export const emailAddressSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, "That email address is too long.")
  .pipe(z.email("Enter a valid email address."));
