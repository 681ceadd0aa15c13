/**
 * The automatic payment emails, in the account's language: the notice three days before a
 * charge, the receipt after it, and the failure email when automatic payment gives up on an
 * invoice (it takes the next payment reminder's place). Pure functions of their data.
 */
import type { Language } from "@/db/schema";
import { formatDate } from "@/lib/dates";
import { formatMoney } from "@/lib/money";
import { factsEmailBodies, INVOICE_FACT_LABELS, type EmailContent } from "./templates";

type ChargeFacts = {
  language: Language;
  number: number;
  accountName: string;
  providerName: string;
  currency: string;
  amountMinor: bigint;
  /** "Visa •••• 4242". */
  cardLabel: string;
};

export type ChargeNoticeData = ChargeFacts & { chargeDate: string; url: string };
export type ChargeReceiptData = ChargeFacts & { chargedOn: string; receiptUrl: string };
export type ChargeFailedData = ChargeFacts & {
  chargedOn: string;
  reason: string;
  /** Where the payment is completed: the provider's 3-D Secure page, or the invoice's Pay dialog. */
  payUrl: string;
  needsAuthentication: boolean;
};

const STRINGS = {
  en: {
    ...INVOICE_FACT_LABELS.en,
    amount: "Amount",
    chargeDate: "Charge date",
    card: "Card",
    reasonLabel: "Reason",
    noticeSubject: (n: number, date: string) => `Invoice ${n} from Cumulus will be charged to your card on ${date}`,
    noticeIntro: (d: ChargeNoticeData) =>
      `Automatic payment will charge ${formatMoney(d.amountMinor, d.currency, "en")} for invoice ${d.number} to ${d.cardLabel} on ${formatDate(d.chargeDate)}, its due date.`,
    noticeTurnOff: "To pay another way, turn automatic payment off under Account settings, Settings, before that day.",
    receiptSubject: (n: number) => `Receipt: invoice ${n} from Cumulus was paid by automatic payment`,
    receiptIntro: (d: ChargeReceiptData) => `Invoice ${d.number} was paid: ${formatMoney(d.amountMinor, d.currency, "en")} was charged to ${d.cardLabel} on ${formatDate(d.chargedOn)}.`,
    receiptLink: "Receipt (PDF)",
    failedSubject: (n: number) => `Action needed: automatic payment of invoice ${n} from Cumulus failed`,
    failedIntro: (d: ChargeFailedData) =>
      d.needsAuthentication
        ? `Your bank asks you to confirm the payment of invoice ${d.number} (3-D Secure), so automatic payment could not charge ${d.cardLabel}.`
        : `Automatic payment could not charge ${d.cardLabel} for invoice ${d.number}. It will not try again for this invoice.`,
    failedLink: (d: ChargeFailedData) => (d.needsAuthentication ? "Confirm the payment" : "Pay the invoice"),
    why: (d: ChargeFacts) =>
      `You receive this email because this address receives invoices and payment reminders (the Billing role) for ${d.accountName}. ` +
      "You can change that under Account settings, Contact.",
  },
  sv: {
    ...INVOICE_FACT_LABELS.sv,
    amount: "Belopp",
    chargeDate: "Dragningsdag",
    card: "Kort",
    reasonLabel: "Orsak",
    noticeSubject: (n: number, date: string) => `Faktura ${n} från Cumulus dras från ditt kort ${date}`,
    noticeIntro: (d: ChargeNoticeData) =>
      `Automatisk betalning drar ${formatMoney(d.amountMinor, d.currency, "sv")} för faktura ${d.number} från ${d.cardLabel} ${formatDate(d.chargeDate)}, fakturans förfallodag.`,
    noticeTurnOff: "Vill du betala på annat sätt, stäng av automatisk betalning under Account settings, Settings, före den dagen.",
    receiptSubject: (n: number) => `Kvitto: faktura ${n} från Cumulus är betald med automatisk betalning`,
    receiptIntro: (d: ChargeReceiptData) => `Faktura ${d.number} är betald: ${formatMoney(d.amountMinor, d.currency, "sv")} drogs från ${d.cardLabel} ${formatDate(d.chargedOn)}.`,
    receiptLink: "Kvitto (PDF)",
    failedSubject: (n: number) => `Åtgärd krävs: automatisk betalning av faktura ${n} från Cumulus misslyckades`,
    failedIntro: (d: ChargeFailedData) =>
      d.needsAuthentication
        ? `Din bank vill att du bekräftar betalningen av faktura ${d.number} (3-D Secure), så automatisk betalning kunde inte dra från ${d.cardLabel}.`
        : `Automatisk betalning kunde inte dra från ${d.cardLabel} för faktura ${d.number}. Den försöker inte igen för den här fakturan.`,
    failedLink: (d: ChargeFailedData) => (d.needsAuthentication ? "Bekräfta betalningen" : "Betala fakturan"),
    why: (d: ChargeFacts) =>
      `Du får det här mejlet eftersom adressen tar emot fakturor och betalningspåminnelser (rollen Billing) för ${d.accountName}. ` +
      "Du kan ändra det under Account settings, Contact.",
  },
} as const;

function bodies(d: ChargeFacts, subject: string, intro: string, facts: [string, string][], paragraphs: string[], link: { label: string; url: string }): EmailContent {
  const s = STRINGS[d.language];
  return { subject, ...factsEmailBodies({ language: d.language, title: subject, greeting: s.greeting, intro, facts, paragraphs, link, footer: [d.providerName, s.why(d)] }) };
}

/** Three days before a charge: the amount, the date and the card. */
export function chargeNoticeEmail(d: ChargeNoticeData): EmailContent {
  const s = STRINGS[d.language];
  const facts: [string, string][] = [
    [s.amount, formatMoney(d.amountMinor, d.currency, d.language)],
    [s.chargeDate, formatDate(d.chargeDate)],
    [s.card, d.cardLabel],
  ];
  return bodies(d, s.noticeSubject(d.number, formatDate(d.chargeDate)), s.noticeIntro(d), facts, [s.noticeTurnOff], { label: s.view, url: d.url });
}

/** After a successful charge, with a link to the payment's receipt. */
export function chargeReceiptEmail(d: ChargeReceiptData): EmailContent {
  const s = STRINGS[d.language];
  const facts: [string, string][] = [
    [s.amount, formatMoney(d.amountMinor, d.currency, d.language)],
    [s.chargeDate, formatDate(d.chargedOn)],
    [s.card, d.cardLabel],
  ];
  return bodies(d, s.receiptSubject(d.number), s.receiptIntro(d), facts, [], { label: s.receiptLink, url: d.receiptUrl });
}

/** When automatic payment gives up on an invoice, with a link that completes the payment. */
export function chargeFailedEmail(d: ChargeFailedData): EmailContent {
  const s = STRINGS[d.language];
  const facts: [string, string][] = [
    [s.toPay, formatMoney(d.amountMinor, d.currency, d.language)],
    [s.chargeDate, formatDate(d.chargedOn)],
    [s.card, d.cardLabel],
    [s.reasonLabel, d.reason],
  ];
  return bodies(d, s.failedSubject(d.number), s.failedIntro(d), facts, [], { label: s.failedLink(d), url: d.payUrl });
}
