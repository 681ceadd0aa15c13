/**
 * Peppol participant identifiers ("0007:5567321707"): an ISO 6523 ICD scheme and the identifier
 * within it. Only the schemes below are accepted, each with its own format and check digit, so
 * a mistyped identifier is caught in the form instead of bouncing at the access point.
 * docs/einvoice.md lists them.
 */
import { luhnValid } from "@/lib/luhn";

export type ParticipantId = { scheme: string; identifier: string };

type Scheme = { label: string; example: string; valid: (identifier: string) => boolean };

/** GS1 mod 10: weights 3 and 1 from the right, the last digit the check digit (GLN). */
function gs1Valid(digits: string): boolean {
  let sum = 0;
  for (let i = digits.length - 2, weight = 3; i >= 0; i--, weight = 4 - weight) sum += (digits.charCodeAt(i) - 48) * weight;
  return (10 - (sum % 10)) % 10 === digits.charCodeAt(digits.length - 1) - 48;
}

/** Weighted mod 11 where the check digit is 11 - remainder (0 for remainder 0, none for 1). */
function mod11Valid(digits: string, weights: readonly number[]): boolean {
  const sum = weights.reduce((s, w, i) => s + w * (digits.charCodeAt(i) - 48), 0);
  const remainder = sum % 11;
  if (remainder === 1) return false;
  return (remainder === 0 ? 0 : 11 - remainder) === digits.charCodeAt(weights.length) - 48;
}

export const PARTICIPANT_SCHEMES: Readonly<Record<string, Scheme>> = {
  "0007": { label: "Swedish organisation number", example: "0007:5567321707", valid: (v) => /^\d{10}$/.test(v) && luhnValid(v) },
  "0088": { label: "GLN (Global Location Number)", example: "0088:7300010000001", valid: (v) => /^\d{13}$/.test(v) && gs1Valid(v) },
  "0184": {
    label: "Danish CVR number",
    example: "0184:13585628",
    valid: (v) => /^\d{8}$/.test(v) && [2, 7, 6, 5, 4, 3, 2, 1].reduce((s, w, i) => s + w * Number(v[i]), 0) % 11 === 0,
  },
  "0192": { label: "Norwegian organisation number", example: "0192:974760673", valid: (v) => /^\d{9}$/.test(v) && mod11Valid(v, [3, 2, 7, 6, 5, 4, 3, 2]) },
  "0216": {
    label: "Finnish OVT code",
    example: "0216:003701114552",
    // 0037, the business id's 8 digits (its own check digit last), then up to 5 characters of the receiver's choice.
    valid: (v) => /^0037\d{8}[0-9A-Z]{0,5}$/.test(v) && mod11Valid(v.slice(4, 12), [7, 9, 10, 5, 8, 4, 2]),
  },
  "9955": { label: "Swedish VAT number", example: "9955:SE556732170701", valid: (v) => /^SE\d{10}01$/.test(v) && luhnValid(v.slice(2, 12)) },
};

export type ParticipantParse = { ok: true; value: ParticipantId } | { ok: false; message: string };

/**
 * Reads "scheme:identifier"; spaces and hyphens inside the identifier are dropped
 * ("0007:556732-1707" is "0007:5567321707") and letters are upper-cased.
 */
export function parseParticipantId(input: string): ParticipantParse {
  const m = /^\s*(\d{4})\s*:\s*(.+?)\s*$/.exec(input);
  if (!m) return { ok: false, message: "Enter the scheme and the identifier, like 0007:5567321707." };
  const scheme = PARTICIPANT_SCHEMES[m[1]!];
  if (!scheme) return { ok: false, message: `Scheme ${m[1]} is not supported. Use one of ${Object.keys(PARTICIPANT_SCHEMES).join(", ")}.` };
  const identifier = m[2]!.replace(/[\s-]/g, "").toUpperCase();
  if (!scheme.valid(identifier)) return { ok: false, message: `This is not a valid ${scheme.label} (for example ${scheme.example}).` };
  return { ok: true, value: { scheme: m[1]!, identifier } };
}

export function formatParticipantId(id: ParticipantId): string {
  return `${id.scheme}:${id.identifier}`;
}

/**
 * The participant id a party's own registration numbers give, where the scheme is certain: the
 * schemes above whose identifier is the organisation number or the VAT number's digits (SE org
 * number 0007 or VAT number 9955, NO 0192, DK 0184, FI OVT 0216). Anyone else gets null;
 * docs/einvoice.md says why no VAT number scheme is guessed.
 */
export function participantIdOf(party: { countryCode: string; organisationNumber: string | null; vatNumber: string | null }): ParticipantId | null {
  const digits = (v: string | null) => (v ?? "").replace(/\D/g, "");
  const vat = (party.vatNumber ?? "").replace(/\s/g, "").toUpperCase();
  const own = vat.startsWith(party.countryCode) ? digits(vat) : "";
  const candidates: Record<string, (string | null)[]> = {
    SE: [party.organisationNumber && `0007:${digits(party.organisationNumber)}`, vat && `9955:${vat}`],
    NO: [party.organisationNumber && `0192:${digits(party.organisationNumber)}`, own && `0192:${own}`],
    DK: [party.organisationNumber && `0184:${digits(party.organisationNumber)}`, own && `0184:${own}`],
    FI: [party.organisationNumber && `0216:0037${digits(party.organisationNumber)}`, own && `0216:0037${own}`],
  };
  for (const candidate of candidates[party.countryCode] ?? []) {
    if (!candidate) continue;
    const parsed = parseParticipantId(candidate);
    if (parsed.ok) return parsed.value;
  }
  return null;
}
