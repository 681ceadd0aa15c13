import { afterEach, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { appBaseUrl, escapeHtml, invoiceEmail, invoiceSubject, type InvoiceEmailData } from "./templates";

const base: InvoiceEmailData = {
  language: "en",
  type: "invoice",
  number: 100023,
  customerName: "Example Cloud Customer AB",
  accountName: "Example Cloud Customer AB",
  providerName: "Cumulus Cloud AB",
  periodStart: "2026-10-01",
  periodEnd: "2026-10-31",
  invoiceDate: "2026-11-01",
  dueDate: "2026-11-30",
  currency: "EUR",
  totalMinor: 123456789n,
  outstandingMinor: 123456789n,
  paymentReference: "1000236",
  iban: "SE45 5000 0000 0583 9825 7466",
  bic: "ESSESESS",
  url: "https://panel.example/invoices/100023",
};

const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, " ");

describe("invoice email", () => {
  afterEach(() => {
    delete process.env.APP_URL;
    resetEnvCache();
  });

  it("has the subject, amounts, due date, reference and link in English", () => {
    const m = invoiceEmail(base);
    expect(m.subject).toBe("Invoice 100023 from Cumulus, due 2026-11-30");
    for (const body of [m.textBody, m.htmlBody]) {
      expect(body).toContain("1,234,567.89 EUR");
      expect(body).toContain("2026-11-30");
      expect(body).toContain("1000236");
      expect(body).toContain("https://panel.example/invoices/100023");
      expect(body).toContain("October 2026");
    }
    expect(m.htmlBody).toContain('<a href="https://panel.example/invoices/100023"');
  });

  it("is in Swedish for a Swedish account", () => {
    const m = invoiceEmail({ ...base, language: "sv" });
    expect(m.subject).toBe("Faktura 100023 från Cumulus, förfaller 2026-11-30");
    expect(plain(m.textBody)).toContain("1 234 567,89 EUR");
    expect(m.textBody).toContain("Förfallodag");
    expect(m.textBody).toContain("oktober 2026");
    expect(m.htmlBody).toContain('<html lang="sv">');
  });

  it("says a paid invoice needs no payment, and names a credit note as such", () => {
    expect(invoiceEmail({ ...base, outstandingMinor: 0n }).textBody).toContain("This invoice is paid");
    const credit = invoiceEmail({ ...base, type: "credit_note" });
    expect(credit.subject).toBe("Credit note 100023 from Cumulus");
    expect(credit.textBody).not.toContain("Amount to pay");
    expect(invoiceSubject({ language: "sv", type: "credit_note", number: 5, dueDate: "2026-01-01" })).toBe("Kreditnota 5 från Cumulus");
  });

  it("escapes everything it puts into HTML", () => {
    const evil = `<script>alert("x")</script> & 'co'`;
    const m = invoiceEmail({ ...base, customerName: evil, accountName: evil, providerName: evil, url: `https://x.example/"><img src=x>` });
    expect(m.htmlBody).not.toContain("<script>");
    expect(m.htmlBody).not.toContain("<img");
    expect(m.htmlBody).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;");
    expect(m.htmlBody).toContain('href="https://x.example/&quot;&gt;&lt;img src=x&gt;"');
    // The text body is plain text: nothing to escape there.
    expect(m.textBody).toContain(evil);
    expect(escapeHtml(`a<b>&"'`)).toBe("a&lt;b&gt;&amp;&quot;&#39;");
  });

  it("links to APP_URL, else to localhost and the port", () => {
    delete process.env.APP_URL;
    resetEnvCache();
    expect(appBaseUrl()).toBe(`http://localhost:${process.env.PORT ?? 3000}`);
    process.env.APP_URL = "https://billing.example.com/";
    resetEnvCache();
    expect(appBaseUrl()).toBe("https://billing.example.com");
  });
});
