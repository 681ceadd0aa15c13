/**
 * Email texts. Pure functions of their data: every value put into HTML is escaped here, and
 * amounts come formatted from lib/money.ts (the same computation as the page and the PDF).
 */
import type { Language } from "@/db/schema";
import { endOfMonth, formatDate, formatMonth, startOfMonth } from "@/lib/dates";
import { env } from "@/lib/env";
import { formatMoney } from "@/lib/money";

/** Escapes text for HTML element content and double- or single-quoted attribute values. */
export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** The panel's public address without a trailing slash: APP_URL, else http://localhost:PORT. */
export function appBaseUrl(): string {
  const e = env();
  return (e.APP_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, "");
}

export function invoiceUrl(number: number): string {
  return `${appBaseUrl()}/invoices/${number}`;
}

export type InvoiceEmailData = {
  language: Language;
  type: "invoice" | "credit_note";
  number: number;
  /** The customer's name as printed on the invoice. */
  customerName: string;
  /** Account name, for the "why you receive this" line. */
  accountName: string;
  providerName: string;
  periodStart: string;
  periodEnd: string;
  invoiceDate: string;
  dueDate: string;
  currency: string;
  totalMinor: bigint;
  outstandingMinor: bigint;
  paymentReference: string;
  iban: string;
  bic: string;
  url: string;
};

export type EmailContent = { subject: string; textBody: string; htmlBody: string };

/** "Invoice N from Cumulus, due DATE" / "Faktura N från Cumulus, förfaller DATE". */
export function invoiceSubject(d: Pick<InvoiceEmailData, "language" | "type" | "number" | "dueDate">): string {
  if (d.type === "credit_note") {
    return d.language === "sv" ? `Kreditnota ${d.number} från Cumulus` : `Credit note ${d.number} from Cumulus`;
  }
  return d.language === "sv"
    ? `Faktura ${d.number} från Cumulus, förfaller ${formatDate(d.dueDate)}`
    : `Invoice ${d.number} from Cumulus, due ${formatDate(d.dueDate)}`;
}

function period(d: InvoiceEmailData): string {
  const wholeMonth = d.periodStart === startOfMonth(d.periodStart) && d.periodEnd === endOfMonth(d.periodStart);
  return wholeMonth ? formatMonth(d.periodStart, d.language) : `${formatDate(d.periodStart)} – ${formatDate(d.periodEnd)}`;
}

const STRINGS = {
  en: {
    greeting: "Hello,",
    intro: (d: InvoiceEmailData, p: string) =>
      d.type === "credit_note"
        ? `Credit note ${d.number} from ${d.providerName} to ${d.customerName} is attached as a PDF.`
        : `Invoice ${d.number} from ${d.providerName} to ${d.customerName} for ${p} is attached as a PDF.`,
    total: (d: InvoiceEmailData) => (d.type === "credit_note" ? "Credited amount" : "Invoice total"),
    toPay: "Amount to pay",
    invoiceDate: "Invoice date",
    dueDate: "Due date",
    reference: "Payment reference",
    paid: "This invoice is paid: there is nothing to pay.",
    howToPay: (d: InvoiceEmailData) =>
      `Pay by card in the panel, or by bank transfer to IBAN ${d.iban} (BIC ${d.bic}) quoting the payment reference ${d.paymentReference}.`,
    view: "View the invoice in the panel",
    why: (d: InvoiceEmailData) =>
      `You receive this email because this address receives invoices (the Billing role) for ${d.accountName}. ` +
      "You can change that under Account settings, Contact.",
  },
  sv: {
    greeting: "Hej,",
    intro: (d: InvoiceEmailData, p: string) =>
      d.type === "credit_note"
        ? `Kreditnota ${d.number} från ${d.providerName} till ${d.customerName} är bifogad som PDF.`
        : `Faktura ${d.number} från ${d.providerName} till ${d.customerName} för ${p} är bifogad som PDF.`,
    total: (d: InvoiceEmailData) => (d.type === "credit_note" ? "Krediterat belopp" : "Fakturabelopp"),
    toPay: "Att betala",
    invoiceDate: "Fakturadatum",
    dueDate: "Förfallodag",
    reference: "Betalningsreferens",
    paid: "Fakturan är betald: det finns inget att betala.",
    howToPay: (d: InvoiceEmailData) =>
      `Betala med kort i panelen, eller med banköverföring till IBAN ${d.iban} (BIC ${d.bic}) och ange betalningsreferensen ${d.paymentReference}.`,
    view: "Visa fakturan i panelen",
    why: (d: InvoiceEmailData) =>
      `Du får det här mejlet eftersom adressen tar emot fakturor (rollen Billing) för ${d.accountName}. ` +
      "Du kan ändra det under Account settings, Contact.",
  },
} as const;

/** Subject, plain-text and HTML bodies of the invoice email, in the account's language. */
export function invoiceEmail(d: InvoiceEmailData): EmailContent {
  const s = STRINGS[d.language];
  const money = (minor: bigint) => formatMoney(minor, d.currency, d.language);
  const isInvoice = d.type === "invoice";
  const facts: [string, string][] = [[s.total(d), money(d.totalMinor)]];
  if (isInvoice) facts.push([s.toPay, money(d.outstandingMinor)]);
  facts.push([s.invoiceDate, formatDate(d.invoiceDate)]);
  if (isInvoice) facts.push([s.dueDate, formatDate(d.dueDate)], [s.reference, d.paymentReference]);
  const payLine = isInvoice ? (d.outstandingMinor > 0n ? s.howToPay(d) : s.paid) : null;
  const intro = s.intro(d, period(d));

  const width = Math.max(...facts.map(([k]) => k.length)) + 2;
  const textBody = [
    s.greeting,
    "",
    intro,
    "",
    ...facts.map(([k, v]) => `${`${k}:`.padEnd(width)}${v}`),
    "",
    ...(payLine ? [payLine, ""] : []),
    `${s.view}: ${d.url}`,
    "",
    "-- ",
    d.providerName,
    s.why(d),
    "",
  ].join("\n");

  const e = escapeHtml;
  const cell = 'style="padding:4px 16px 4px 0;text-align:left;vertical-align:top"';
  const htmlBody = `<!doctype html>
<html lang="${d.language}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${e(invoiceSubject(d))}</title></head>
<body style="margin:0;padding:24px;font-family:Helvetica,Arial,sans-serif;font-size:15px;line-height:1.5;color:#0f172a;background:#ffffff">
<p>${e(s.greeting)}</p>
<p>${e(intro)}</p>
<table role="presentation" style="border-collapse:collapse;margin:16px 0">
${facts.map(([k, v]) => `<tr><th scope="row" ${cell}>${e(k)}</th><td ${cell}>${e(v)}</td></tr>`).join("\n")}
</table>
${payLine ? `<p>${e(payLine)}</p>\n` : ""}<p><a href="${e(d.url)}" style="color:#c2410c">${e(s.view)}</a></p>
<hr style="border:none;border-top:1px solid #e2e8f0;margin:24px 0">
<p style="font-size:13px;color:#475569">${e(d.providerName)}<br>${e(s.why(d))}</p>
</body>
</html>
`;
  return { subject: invoiceSubject(d), textBody, htmlBody };
}
