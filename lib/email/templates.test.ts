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

// ─── Payment reminders ────────────────────────────────────────────────────────────────────
import { reminderEmail, reminderSubject, type ReminderEmailData } from "./templates";

const reminder: ReminderEmailData = {
  language: "en",
  step: "due-7",
  number: 100023,
  customerName: "Example Cloud Customer AB",
  accountName: "Example Cloud Customer AB",
  providerName: "Cumulus Cloud AB",
  invoiceDate: "2026-11-01",
  dueDate: "2026-11-30",
  today: "2026-11-23",
  currency: "EUR",
  totalMinor: 123456789n,
  outstandingMinor: 23456789n,
  paymentReference: "1000236",
  iban: "SE45 5000 0000 0583 9825 7466",
  bic: "ESSESESS",
  url: "https://panel.example/invoices/100023",
};

describe("reminder email", () => {
  it("before the due date: says when it is due and what is outstanding", () => {
    const m = reminderEmail(reminder);
    expect(m.subject).toBe("Reminder: invoice 100023 from Cumulus is due on 2026-11-30");
    for (const body of [m.textBody, m.htmlBody]) {
      expect(body).toContain("is due on 2026-11-30, in 7 days");
      expect(body).toContain("234,567.89 EUR"); // outstanding, not the total
      expect(body).toContain("1,234,567.89 EUR");
      expect(body).toContain("1000236");
      expect(body).toContain("https://panel.example/invoices/100023");
    }
    expect(m.textBody).toMatch(/Amount to pay:\s+234,567\.89 EUR/);
  });

  it("on the due date and after it, with the real number of days when sent late", () => {
    const due = reminderEmail({ ...reminder, step: "due", today: "2026-11-30" });
    expect(due.subject).toBe("Reminder: invoice 100023 from Cumulus is due today");
    expect(due.textBody).toContain("is due today, 2026-11-30");
    const late = reminderEmail({ ...reminder, step: "due+7", today: "2026-12-12" });
    expect(late.subject).toBe("Overdue: invoice 100023 from Cumulus was due on 2026-11-30");
    expect(late.textBody).toContain("was due on 2026-11-30, 12 days ago, and is not fully paid");
    expect(reminderEmail({ ...reminder, step: "due+14", today: "2026-12-01" }).textBody).toContain("1 day ago");
    // The due-date step sent three days late does not say "due today".
    const dueLate = reminderEmail({ ...reminder, step: "due", today: "2026-12-03" });
    expect(dueLate.subject).toBe("Overdue: invoice 100023 from Cumulus was due on 2026-11-30");
    expect(dueLate.textBody).toContain("3 days ago");
  });

  it("is in Swedish for a Swedish account", () => {
    const m = reminderEmail({ ...reminder, language: "sv", step: "due+14", today: "2026-12-14" });
    expect(m.subject).toBe("Förfallen: faktura 100023 från Cumulus förföll 2026-11-30");
    expect(plain(m.textBody)).toContain("234 567,89 EUR");
    expect(m.textBody).toContain("för 14 dagar sedan");
    expect(m.textBody).toContain("Att betala");
    expect(m.htmlBody).toContain('<html lang="sv">');
    expect(reminderSubject({ language: "sv", step: "due-7", number: 5, dueDate: "2026-01-31" })).toBe(
      "Påminnelse: faktura 5 från Cumulus förfaller 2026-01-31",
    );
    expect(reminderSubject({ language: "sv", step: "due", number: 5, dueDate: "2026-01-31" })).toBe("Påminnelse: faktura 5 från Cumulus förfaller i dag");
  });

  it("escapes everything it puts into HTML", () => {
    const evil = `<script>alert("x")</script>`;
    const m = reminderEmail({ ...reminder, customerName: evil, accountName: evil, url: `https://x.example/"><img src=x>` });
    expect(m.htmlBody).not.toContain("<script>");
    expect(m.htmlBody).not.toContain("<img");
    expect(m.htmlBody).toContain("&lt;script&gt;");
    expect(m.textBody).toContain(evil);
  });
});
