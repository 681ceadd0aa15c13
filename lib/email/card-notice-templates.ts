/**
 * The saved card's notices to the Billing contacts, in the account's language: the card expires
 * at the end of this month, it has expired, or it was removed. The last two say whether
 * automatic payment was turned off with it.
 */
import type { Language } from "@/db/schema";
import { cardExpiryText, maskedCardLabel, type MaskedCard } from "@/lib/payments/card-label";
import { factsEmailBodies, settingsTabUrl, type EmailContent } from "./templates";

export type CardNoticeKind = "expiring" | "expired" | "removed";

export type CardNoticeData = {
  kind: CardNoticeKind;
  language: Language;
  card: MaskedCard;
  accountName: string;
  providerName: string;
  /** Automatic payment was on and is now off (expired or removed). */
  automaticPaymentTurnedOff: boolean;
};

const STRINGS = {
  en: {
    greeting: "Hello,",
    card: "Card",
    expires: "Expires",
    subject: { expiring: (c: string) => `Your saved card ${c} expires this month`, expired: (c: string) => `Your saved card ${c} has expired`, removed: (c: string) => `Your saved card ${c} was removed` },
    intro: {
      expiring: (d: CardNoticeData) => `The card ${d.accountName} has saved for payments expires at the end of ${cardExpiryText(d.card)}.`,
      expired: (d: CardNoticeData) => `The card ${d.accountName} had saved for payments expired at the end of ${cardExpiryText(d.card)} and can no longer be charged.`,
      removed: (d: CardNoticeData) => `The card ${d.accountName} had saved for payments was removed in the panel.`,
    },
    addNew: "To keep paying with a saved card, add a new one under Account settings, Settings.",
    turnedOff: "Automatic payment is now off, as it needs a saved card. Once a new card is saved, you can turn it on again there. Until then, invoices are paid by hand.",
    link: "Open Settings in the panel",
    why: (d: CardNoticeData) =>
      `You receive this email because this address receives invoices and payment notices (the Billing role) for ${d.accountName}. ` +
      "You can change that under Account settings, Contact.",
  },
  sv: {
    greeting: "Hej,",
    card: "Kort",
    expires: "Giltigt till",
    subject: { expiring: (c: string) => `Ditt sparade kort ${c} går ut den här månaden`, expired: (c: string) => `Ditt sparade kort ${c} har gått ut`, removed: (c: string) => `Ditt sparade kort ${c} har tagits bort` },
    intro: {
      expiring: (d: CardNoticeData) => `Kortet som ${d.accountName} har sparat för betalningar går ut i slutet av ${cardExpiryText(d.card)}.`,
      expired: (d: CardNoticeData) => `Kortet som ${d.accountName} hade sparat för betalningar gick ut i slutet av ${cardExpiryText(d.card)} och kan inte längre debiteras.`,
      removed: (d: CardNoticeData) => `Kortet som ${d.accountName} hade sparat för betalningar har tagits bort i panelen.`,
    },
    addNew: "Lägg till ett nytt kort under Account settings, Settings för att fortsätta betala med sparat kort.",
    turnedOff: "Automatisk betalning är nu avstängd, eftersom den kräver ett sparat kort. När ett nytt kort är sparat kan du slå på den igen där. Till dess betalas fakturorna manuellt.",
    link: "Öppna Settings i panelen",
    why: (d: CardNoticeData) =>
      `Du får det här mejlet eftersom adressen tar emot fakturor och betalningsmeddelanden (rollen Billing) för ${d.accountName}. ` +
      "Du kan ändra det under Account settings, Contact.",
  },
} as const;

export function cardNoticeEmail(d: CardNoticeData): EmailContent {
  const s = STRINGS[d.language];
  const label = maskedCardLabel(d.card);
  const subject = s.subject[d.kind](label);
  return {
    subject,
    ...factsEmailBodies({
      language: d.language,
      title: subject,
      greeting: s.greeting,
      intro: s.intro[d.kind](d),
      facts: [
        [s.card, label],
        [s.expires, cardExpiryText(d.card)],
      ],
      paragraphs: d.automaticPaymentTurnedOff ? [s.turnedOff, s.addNew] : [s.addNew],
      link: { label: s.link, url: settingsTabUrl() },
      footer: [d.providerName, s.why(d)],
    }),
  };
}
