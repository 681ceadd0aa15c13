import { describe, expect, it } from "vitest";
import { chargeFailedEmail, chargeNoticeEmail, chargeReceiptEmail } from "./autopay-templates";

const base = { number: 100042, accountName: "Exempel <AB>", providerName: "Cumulus Cloud Oy", currency: "EUR", amountMinor: 123456n, cardLabel: "Visa •••• 4242" };

describe("automatic payment emails", () => {
  it("the notice states the amount, the date and the card, in either language", () => {
    const en = chargeNoticeEmail({ ...base, language: "en", chargeDate: "2026-12-31", url: "https://panel.test/invoices/100042" });
    expect(en.subject).toBe("Invoice 100042 from Cumulus will be charged to your card on 2026-12-31");
    expect(en.textBody).toContain("1,234.56");
    expect(en.textBody).toContain("Visa •••• 4242 on 2026-12-31");
    const sv = chargeNoticeEmail({ ...base, language: "sv", chargeDate: "2026-12-31", url: "https://panel.test/invoices/100042" });
    expect(sv.subject).toBe("Faktura 100042 från Cumulus dras från ditt kort 2026-12-31");
    expect(sv.textBody).toMatch(/1\s234,56/);
  });

  it("the receipt links the payment's receipt; the failure email the page that completes the payment", () => {
    const receipt = chargeReceiptEmail({ ...base, language: "en", chargedOn: "2026-12-31", receiptUrl: "https://panel.test/payments/p1/receipt" });
    expect(receipt.textBody).toContain("Receipt (PDF): https://panel.test/payments/p1/receipt");
    const failed = chargeFailedEmail({ ...base, language: "sv", chargedOn: "2026-12-31", reason: "Kortet nekades.", payUrl: "https://panel.test/invoices/100042?pay=100042", needsAuthentication: false });
    expect(failed.subject).toContain("misslyckades");
    expect(failed.textBody).toContain("Betala fakturan: https://panel.test/invoices/100042?pay=100042");
    const auth = chargeFailedEmail({ ...base, language: "en", chargedOn: "2026-12-31", reason: "3-D Secure", payUrl: "https://panel.test/sandbox/checkout/x?step=3ds", needsAuthentication: true });
    expect(auth.textBody).toContain("Confirm the payment: https://panel.test/sandbox/checkout/x?step=3ds");
  });

  it("escapes what it puts into HTML", () => {
    const e = chargeNoticeEmail({ ...base, language: "en", chargeDate: "2026-12-31", url: "https://panel.test/invoices/100042" });
    expect(e.htmlBody).toContain("Exempel &lt;AB&gt;");
    expect(e.htmlBody).not.toContain("Exempel <AB>");
  });
});
