import { describe, expect, it } from "vitest";
import { cardNoticeEmail, type CardNoticeData } from "./card-notice-templates";

const base: CardNoticeData = {
  kind: "expiring",
  language: "en",
  card: { brand: "Visa", last4: "4242", expMonth: 1, expYear: 2027 },
  accountName: "Example <Cloud> AB",
  providerName: "Cumulus Cloud AB",
  automaticPaymentTurnedOff: false,
};

describe("card notice emails", () => {
  it("names the masked card and its expiry, links to Settings, and escapes the HTML", () => {
    const m = cardNoticeEmail(base);
    expect(m.subject).toBe("Your saved card Visa •••• 4242 expires this month");
    for (const body of [m.textBody, m.htmlBody]) {
      expect(body).toContain("01/2027");
      expect(body).toContain("/?settings=settings");
    }
    expect(m.htmlBody).toContain("Example &lt;Cloud&gt; AB");
    expect(m.htmlBody).not.toContain("<Cloud>");
    expect(m.textBody).not.toContain("Automatic payment is now off");
  });

  it("says automatic payment is off only when it was turned off", () => {
    const expired = cardNoticeEmail({ ...base, kind: "expired", automaticPaymentTurnedOff: true });
    expect(expired.subject).toBe("Your saved card Visa •••• 4242 has expired");
    expect(expired.textBody).toContain("Automatic payment is now off");
    const removed = cardNoticeEmail({ ...base, kind: "removed" });
    expect(removed.subject).toBe("Your saved card Visa •••• 4242 was removed");
    expect(removed.textBody).not.toContain("Automatic payment is now off");
  });

  it("is in Swedish for a Swedish account", () => {
    const m = cardNoticeEmail({ ...base, language: "sv", kind: "expired", automaticPaymentTurnedOff: true });
    expect(m.subject).toBe("Ditt sparade kort Visa •••• 4242 har gått ut");
    expect(m.textBody).toContain("Automatisk betalning är nu avstängd");
    expect(m.htmlBody).toContain('lang="sv"');
  });
});
