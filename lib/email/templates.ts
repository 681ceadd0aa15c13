/**
 * Email texts. Pure functions of their data: every value put into HTML is escaped here, and
 * amounts come formatted from lib/money.ts (the same computation as the page and the PDF).
 */
import type { Language } from "@/db/schema";
import { endOfMonth, formatDate, formatMonth, startOfMonth } from "@/lib/dates";
import { appOrigin } from "@/lib/env";
import { formatMoney } from "@/lib/money";
import { plural } from "@/lib/plural";

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
  return appOrigin();
}

/** The Settings tab of Account settings (saved card, API tokens). */
export function settingsTabUrl(): string {
  return `${appBaseUrl()}/?settings=settings`;
}

export function invoiceUrl(number: number): string {
  return `${appBaseUrl()}/invoices/${number}`;
}

/** What every email about one invoice states: whose it is, what is owed and how to pay it. */
type InvoiceFacts = {
  language: Language;
  number: number;
  /** The customer's name as printed on the invoice. */
  customerName: string;
  /** Account name, for the "why you receive this" line. */
  accountName: string;
  providerName: string;
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

export type InvoiceEmailData = InvoiceFacts & {
  type: "invoice" | "credit_note";
  periodStart: string;
  periodEnd: string;
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

/** The labels every email about one invoice shares: the facts table, how to pay, the link. */
export const INVOICE_FACT_LABELS = {
  en: {
    greeting: "Hello,",
    toPay: "Amount to pay",
    invoiceTotal: "Invoice total",
    invoiceDate: "Invoice date",
    dueDate: "Due date",
    reference: "Payment reference",
    howToPay: (d: InvoiceFacts) =>
      `Pay by card in the panel, or by bank transfer to IBAN ${d.iban}${d.bic ? ` (BIC ${d.bic})` : ""} quoting the payment reference ${d.paymentReference}.`,
    view: "View the invoice in the panel",
  },
  sv: {
    greeting: "Hej,",
    toPay: "Att betala",
    invoiceTotal: "Fakturabelopp",
    invoiceDate: "Fakturadatum",
    dueDate: "Förfallodag",
    reference: "Betalningsreferens",
    howToPay: (d: InvoiceFacts) =>
      `Betala med kort i panelen, eller med banköverföring till IBAN ${d.iban}${d.bic ? ` (BIC ${d.bic})` : ""} och ange betalningsreferensen ${d.paymentReference}.`,
    view: "Visa fakturan i panelen",
  },
} as const;

const STRINGS = {
  en: {
    ...INVOICE_FACT_LABELS.en,
    intro: (d: InvoiceEmailData, p: string) =>
      d.type === "credit_note"
        ? `Credit note ${d.number} from ${d.providerName} to ${d.customerName} is attached as a PDF.`
        : `Invoice ${d.number} from ${d.providerName} to ${d.customerName} for ${p} is attached as a PDF.`,
    total: (d: InvoiceEmailData) => (d.type === "credit_note" ? "Credited amount" : INVOICE_FACT_LABELS.en.invoiceTotal),
    paid: "This invoice is paid: there is nothing to pay.",
    why: (d: InvoiceEmailData) =>
      `You receive this email because this address receives invoices (the Billing role) for ${d.accountName}. ` +
      "You can change that under Account settings, Contact.",
  },
  sv: {
    ...INVOICE_FACT_LABELS.sv,
    intro: (d: InvoiceEmailData, p: string) =>
      d.type === "credit_note"
        ? `Kreditnota ${d.number} från ${d.providerName} till ${d.customerName} är bifogad som PDF.`
        : `Faktura ${d.number} från ${d.providerName} till ${d.customerName} för ${p} är bifogad som PDF.`,
    total: (d: InvoiceEmailData) => (d.type === "credit_note" ? "Krediterat belopp" : INVOICE_FACT_LABELS.sv.invoiceTotal),
    paid: "Fakturan är betald: det finns inget att betala.",
    why: (d: InvoiceEmailData) =>
      `Du får det här mejlet eftersom adressen tar emot fakturor (rollen Billing) för ${d.accountName}. ` +
      "Du kan ändra det under Account settings, Contact.",
  },
} as const;

/**
 * The plain-text and HTML bodies shared by the invoice and reminder emails: a greeting, an
 * introduction, a table of facts, paragraphs, a link to the panel, and a footer saying who
 * sends it and why. Every value is escaped in the HTML.
 */
export function factsEmailBodies(m: {
  language: Language;
  title: string;
  greeting: string;
  intro: string;
  facts: [string, string][];
  paragraphs: string[];
  link: { label: string; url: string };
  footer: [string, string];
}): Pick<EmailContent, "textBody" | "htmlBody"> {
  const width = Math.max(...m.facts.map(([k]) => k.length)) + 2;
  const textBody = [
    m.greeting,
    "",
    m.intro,
    "",
    ...m.facts.map(([k, v]) => `${`${k}:`.padEnd(width)}${v}`),
    "",
    ...m.paragraphs,
    ...(m.paragraphs.length ? [""] : []),
    `${m.link.label}: ${m.link.url}`,
    "",
    "-- ",
    ...m.footer,
    "",
  ].join("\n");

  const e = escapeHtml;
  const cell = 'style="padding:4px 16px 4px 0;text-align:left;vertical-align:top"';
  const htmlBody = `<!doctype html>
<html lang="${m.language}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${e(m.title)}</title></head>
<body style="margin:0;padding:24px;font-family:Helvetica,Arial,sans-serif;font-size:15px;line-height:1.5;color:#0f172a;background:#ffffff">
<p>${e(m.greeting)}</p>
<p>${e(m.intro)}</p>
<table role="presentation" style="border-collapse:collapse;margin:16px 0">
${m.facts.map(([k, v]) => `<tr><th scope="row" ${cell}>${e(k)}</th><td ${cell}>${e(v)}</td></tr>`).join("\n")}
</table>
${m.paragraphs.map((p) => `<p>${e(p)}</p>\n`).join("")}<p><a href="${e(m.link.url)}" style="color:#c2410c">${e(m.link.label)}</a></p>
<hr style="border:none;border-top:1px solid #e2e8f0;margin:24px 0">
<p style="font-size:13px;color:#475569">${e(m.footer[0])}<br>${e(m.footer[1])}</p>
</body>
</html>
`;
  return { textBody, htmlBody };
}

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

  return {
    subject: invoiceSubject(d),
    ...factsEmailBodies({
      language: d.language,
      title: invoiceSubject(d),
      greeting: s.greeting,
      intro,
      facts,
      paragraphs: payLine ? [payLine] : [],
      link: { label: s.view, url: d.url },
      footer: [d.providerName, s.why(d)],
    }),
  };
}

// ─── Payment reminders ────────────────────────────────────────────────────────────────────

/** The reminder steps of an outstanding invoice: 7 days before due, on the due date, 7 and 14 days after. */
export const REMINDER_STEPS = ["due-7", "due", "due+7", "due+14"] as const;
export type ReminderStep = (typeof REMINDER_STEPS)[number];

export type ReminderEmailData = InvoiceFacts & {
  step: ReminderStep;
  /** The day the reminder is written, in the account's time zone: "due in 3 days", "12 days ago". */
  today: string;
};

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

const REMINDER_STRINGS = {
  en: {
    ...INVOICE_FACT_LABELS.en,
    days: (n: number) => plural(n, { one: "# day", other: "# days" }, "en"),
    subjectBefore: (n: number, due: string) => `Reminder: invoice ${n} from Cumulus is due on ${due}`,
    subjectDue: (n: number) => `Reminder: invoice ${n} from Cumulus is due today`,
    subjectAfter: (n: number, due: string) => `Overdue: invoice ${n} from Cumulus was due on ${due}`,
    introBefore: (d: ReminderEmailData, inDays: string) =>
      `A reminder that invoice ${d.number} from ${d.providerName} to ${d.customerName} is due on ${formatDate(d.dueDate)}, in ${inDays}.`,
    introDue: (d: ReminderEmailData) =>
      `Invoice ${d.number} from ${d.providerName} to ${d.customerName} is due today, ${formatDate(d.dueDate)}.`,
    introAfter: (d: ReminderEmailData, ago: string) =>
      `Invoice ${d.number} from ${d.providerName} to ${d.customerName} was due on ${formatDate(d.dueDate)}, ${ago} ago, and is not fully paid.`,
    alreadyPaid: "If you paid in the last few days, please disregard this reminder: a bank transfer can take a day or two to reach us.",
    why: (d: ReminderEmailData) =>
      `You receive this email because this address receives invoices and payment reminders (the Billing role) for ${d.accountName}. ` +
      "You can change that under Account settings, Contact.",
  },
  sv: {
    ...INVOICE_FACT_LABELS.sv,
    days: (n: number) => plural(n, { one: "# dag", other: "# dagar" }, "sv"),
    subjectBefore: (n: number, due: string) => `Påminnelse: faktura ${n} från Cumulus förfaller ${due}`,
    subjectDue: (n: number) => `Påminnelse: faktura ${n} från Cumulus förfaller i dag`,
    subjectAfter: (n: number, due: string) => `Förfallen: faktura ${n} från Cumulus förföll ${due}`,
    introBefore: (d: ReminderEmailData, inDays: string) =>
      `En påminnelse om att faktura ${d.number} från ${d.providerName} till ${d.customerName} förfaller ${formatDate(d.dueDate)}, om ${inDays}.`,
    introDue: (d: ReminderEmailData) =>
      `Faktura ${d.number} från ${d.providerName} till ${d.customerName} förfaller i dag, ${formatDate(d.dueDate)}.`,
    introAfter: (d: ReminderEmailData, ago: string) =>
      `Faktura ${d.number} från ${d.providerName} till ${d.customerName} förföll ${formatDate(d.dueDate)}, för ${ago} sedan, och är inte betald i sin helhet.`,
    alreadyPaid: "Om du har betalat de senaste dagarna kan du bortse från påminnelsen: en banköverföring kan ta en dag eller två att nå oss.",
    why: (d: ReminderEmailData) =>
      `Du får det här mejlet eftersom adressen tar emot fakturor och betalningspåminnelser (rollen Billing) för ${d.accountName}. ` +
      "Du kan ändra det under Account settings, Contact.",
  },
} as const;

/** "Reminder: invoice N from Cumulus is due on DATE" / "… is due today" / "Overdue: … was due on DATE". */
export function reminderSubject(d: Pick<ReminderEmailData, "language" | "step" | "number" | "dueDate">): string {
  const s = REMINDER_STRINGS[d.language];
  if (d.step === "due-7") return s.subjectBefore(d.number, formatDate(d.dueDate));
  if (d.step === "due") return s.subjectDue(d.number);
  return s.subjectAfter(d.number, formatDate(d.dueDate));
}

/**
 * Subject, plain-text and HTML bodies of a payment reminder, in the account's language. The
 * words say how far the due date really is from `today` (a reminder sent late says "12 days
 * ago", not the step's "7 days"); the amount is what is outstanding today.
 */
export function reminderEmail(d: ReminderEmailData): EmailContent {
  const s = REMINDER_STRINGS[d.language];
  const money = (minor: bigint) => formatMoney(minor, d.currency, d.language);
  const untilDue = daysBetween(d.today, d.dueDate);
  const intro =
    untilDue > 0 ? s.introBefore(d, s.days(untilDue)) : untilDue === 0 ? s.introDue(d) : s.introAfter(d, s.days(-untilDue));
  const facts: [string, string][] = [
    [s.toPay, money(d.outstandingMinor)],
    [s.invoiceTotal, money(d.totalMinor)],
    [s.invoiceDate, formatDate(d.invoiceDate)],
    [s.dueDate, formatDate(d.dueDate)],
    [s.reference, d.paymentReference],
  ];
  // The words follow the real distance to the due date: a "due" step sent late reads as overdue.
  const subject = reminderSubject({ ...d, step: untilDue > 0 ? "due-7" : untilDue === 0 ? "due" : "due+7" });
  return {
    subject,
    ...factsEmailBodies({
      language: d.language,
      title: subject,
      greeting: s.greeting,
      intro,
      facts,
      paragraphs: [s.howToPay(d), s.alreadyPaid],
      link: { label: s.view, url: d.url },
      footer: [d.providerName, s.why(d)],
    }),
  };
}

// ─── Contact address verification ─────────────────────────────────────────────────────────

/**
 * The verification code email. The code is in the body only: subjects are written to the
 * server log (lib/email/transport.ts) and shown in mail previews and notifications.
 */
export function verificationEmail(email: string, code: string, validHours: number): Pick<EmailContent, "subject" | "textBody"> {
  return {
    subject: "Your Cumulus verification code",
    textBody:
      `Someone added ${email} as a contact address of a Cumulus cloud account.\n\n` +
      `Your verification code is ${code}. It is valid for ${validHours} hours.\n\n` +
      `If you did not expect this, you can ignore this message.`,
  };
}
