/**
 * The notice to a user that a personal API token was created for them, in the account's
 * language. It names the token and its expiry, never the token itself: a mailbox is no place
 * for a secret, and the notice exists so that a token nobody meant to create is noticed.
 */
import type { Language } from "@/db/schema";
import { formatDate } from "@/lib/dates";
import { factsEmailBodies, settingsTabUrl, type EmailContent } from "./templates";

export type ApiTokenNoticeData = {
  language: Language;
  tokenName: string;
  /** ISO calendar date of the expiry, in the account's time zone. */
  expiresOn: string;
  userEmail: string;
  accountName: string;
  providerName: string;
};

const STRINGS = {
  en: {
    subject: "A personal API token was created for your Cumulus user",
    greeting: "Hello,",
    intro: (d: ApiTokenNoticeData) => `A read-only personal API token was created for your user ${d.userEmail} of ${d.accountName}.`,
    name: "Token name",
    expires: "Expires",
    unexpected: "If you did not create it, revoke it under Account settings, Settings, API tokens, and change your password.",
    link: "Open Settings in the panel",
    why: "You receive this email because a token was created for your user. The token itself is never sent by email.",
  },
  sv: {
    subject: "En personlig API-token skapades för din Cumulus-användare",
    greeting: "Hej,",
    intro: (d: ApiTokenNoticeData) => `En personlig API-token med läsbehörighet skapades för din användare ${d.userEmail} hos ${d.accountName}.`,
    name: "Tokenens namn",
    expires: "Går ut",
    unexpected: "Om du inte skapade den, återkalla den under Account settings, Settings, API tokens, och byt ditt lösenord.",
    link: "Öppna Settings i panelen",
    why: "Du får det här mejlet eftersom en token skapades för din användare. Själva tokenen skickas aldrig med e-post.",
  },
} as const;

export function apiTokenNoticeEmail(d: ApiTokenNoticeData): EmailContent {
  const s = STRINGS[d.language];
  return {
    subject: s.subject,
    ...factsEmailBodies({
      language: d.language,
      title: s.subject,
      greeting: s.greeting,
      intro: s.intro(d),
      facts: [
        [s.name, d.tokenName],
        [s.expires, formatDate(d.expiresOn)],
      ],
      paragraphs: [s.unexpected],
      link: { label: s.link, url: settingsTabUrl() },
      footer: [d.providerName, s.why],
    }),
  };
}
