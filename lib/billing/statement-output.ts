/**
 * The statement's period as chosen in the URL, and the statement as a PDF (rendered in the PDF
 * worker pool) and as CSV, both in the account's language.
 */
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Executor } from "@/db/client";
import { accounts, type Language } from "@/db/schema";
import { countryName } from "@/lib/countries";
import { csvLine } from "@/lib/csv";
import { formatDateTime } from "@/lib/dates";
import { toDecimalString } from "@/lib/money";
import { renderStatementPdf } from "@/lib/pdf/render";
import { describeStatementRow, statementStrings } from "@/lib/pdf/statement-strings";
import type { StatementPdfData } from "@/lib/invoices/types";
import { providerDetails } from "@/lib/provider";
import { endNotBeforeStart, filterChoice, optionalIsoDate, parseSearchParams, type ParsedParams } from "@/lib/url-params";
import type { Statement } from "./statement";
import { accountStatement } from "./statement-history";

export const STATEMENT_PERIODS = ["this-year", "last-year", "range"] as const;

/** The period's fields; `today` (the account's) is the last day a range may start on. */
const periodSchema = (today: string) =>
  z
    .object({
      period: filterChoice(STATEMENT_PERIODS, "Choose This year, Last year or a date range.", "this-year"),
      from: optionalIsoDate,
      to: optionalIsoDate,
    })
    .refine(endNotBeforeStart, { error: "The end date is before the start date.", path: ["to"] })
    .refine((p) => p.period !== "range" || p.from, { error: "Enter the first day of the period.", path: ["from"] })
    .refine((p) => p.period !== "range" || p.to, { error: "Enter the last day of the period.", path: ["to"] })
    .refine((p) => p.period !== "range" || !p.from || p.from <= today, { error: "The first day is after today.", path: ["from"] });

export type StatementPeriodParams = z.infer<ReturnType<typeof periodSchema>>;

/** The period's first and last day; "this year" ends today, a range not after today. */
export function statementPeriod(p: StatementPeriodParams, today: string): { from: string; to: string } {
  const year = Number(today.slice(0, 4));
  if (p.period === "last-year") return { from: `${year - 1}-01-01`, to: `${year - 1}-12-31` };
  if (p.period === "range" && p.from && p.to) return { from: p.from, to: p.to < today ? p.to : today };
  return { from: `${year}-01-01`, to: today };
}

export function parseStatementParams(raw: Record<string, unknown>, today: string): ParsedParams<StatementPeriodParams> {
  return parseSearchParams(periodSchema(today), raw, { period: "this-year" });
}

/** `Cumulus-statement-2026-01-01-2026-11-25.pdf` */
export function statementFileName(s: { from: string; to: string }, extension: "pdf" | "csv"): string {
  return `Cumulus-statement-${s.from}-${s.to}.${extension}`;
}

async function statementPdfData(db: Executor, accountId: string, statement: Statement, timeZone: string): Promise<StatementPdfData> {
  const [a] = await db.select().from(accounts).where(eq(accounts.id, accountId)).limit(1);
  if (!a) throw new Error("Cumulus: statement for an unknown account");
  const addressLines = [a.careOf ? `c/o ${a.careOf}` : null, a.street, `${a.zipCode} ${a.city}`, countryName(a.countryCode, a.language)].filter((l): l is string => Boolean(l));
  return {
    provider: providerDetails(),
    customer: { name: a.name, addressLines },
    currency: a.currency,
    language: a.language,
    from: statement.from,
    to: statement.to,
    createdAt: formatDateTime(new Date(), timeZone, a.language),
    openingMinor: statement.openingMinor,
    rows: statement.rows,
    accountCreditMinor: statement.accountCreditMinor,
    closingMinor: statement.closingMinor,
  };
}

/** The statement as a PDF from the worker pool. */
export async function statementPdf(db: Executor, accountId: string, from: string, to: string, timeZone: string): Promise<Uint8Array> {
  const statement = await accountStatement(db, accountId, from, to, timeZone);
  return renderStatementPdf(await statementPdfData(db, accountId, statement, timeZone));
}

/** The statement as CSV: Date, Description, Amount, Balance; amounts as exact decimals in major units. */
export function statementCsv(statement: Statement, currency: string, language: Language): string {
  const strings = statementStrings(language);
  const amount = (minor: bigint) => toDecimalString(minor, currency);
  return [
    csvLine([strings.date, strings.description, `${strings.amount} (${currency})`, `${strings.balance} (${currency})`]),
    csvLine([statement.from, strings.opening, "", amount(statement.openingMinor)]),
    ...statement.rows.map((r) => csvLine([r.date, describeStatementRow(r, strings), amount(r.amountMinor), amount(r.balanceMinor)])),
    csvLine([statement.to, strings.accountCredit, "", amount(statement.accountCreditMinor)]),
    csvLine([statement.to, strings.closing, "", amount(statement.closingMinor)]),
  ].join("");
}
