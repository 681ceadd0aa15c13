/**
 * `billing:run`'s engine (lib/billing/run.ts) on a real database: VAT per kind of customer,
 * lines per product and region in the account's language, totals, gapless numbers from the
 * invoice sequence, idempotency (also against invoices not issued by a run), the frozen
 * customer block, dates and payment terms, the invoice emails queued to the verified Billing
 * addresses only, accounts that cannot be billed, and the demo seed's usage. Runs on PostgreSQL
 * and PGlite; concurrency and kill -9 are in billing-concurrency.test.ts (PostgreSQL only).
 */
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { rows } from "@/db/client";
import { FIRST_INVOICE_NUMBER } from "@/lib/invoices/numbers";
import { seedDemo } from "@/scripts/seed";
import { accounts, productPrices, usageRecords } from "@/db/schema";
import { parsePeriod } from "@/lib/billing/period";
import { nextAccountIdsQuery, runBilling, type RunProgress } from "@/lib/billing/run";
import { queueInvoiceEmail } from "@/lib/email/outbox";
import { getInvoiceDetail } from "@/lib/invoices/detail";
import { pdfData } from "@/lib/invoices/pdf";
import { closePdfPool, renderInvoicePdf } from "@/lib/pdf/render";
import { hasPdftotext, pdfText } from "@/tests/setup/pdf-text";
import { resetTables, setupTestDatabase } from "../setup/db";
import { issued, linesOf, makeAccount, nextInvoiceNumber, outbox } from "./billing-fixtures";

const { db } = await setupTestDatabase();
const OCTOBER = parsePeriod("2026-10");
const TODAY = "2026-11-01";

afterAll(async () => {
  await closePdfPool();
});

beforeEach(async () => {
  await resetTables(db);
});

/** Half away from zero, like an invoice: written out here rather than taken from lib/money. */
const vatOf = (net: bigint, rateBp: bigint) => (net * rateBp * 2n + 10_000n) / 20_000n;

describe("VAT and lines", () => {
  it("charges VAT by the customer: Sweden 25 %, EU business with a VAT number reverse charge, outside the EU none, EU without a VAT number 25 %", async () => {
    const ids = {
      seCompany: await makeAccount(db, { name: "Svensk Kund AB", countryCode: "SE", vatNumber: "SE556677889901" }, OCTOBER.start),
      sePrivate: await makeAccount(db, { name: "Sven Privat", kind: "private", countryCode: "SE", currency: "SEK", language: "sv" }, OCTOBER.start),
      fiBusiness: await makeAccount(db, { name: "Suomi Oy", countryCode: "FI", vatNumber: "FI12345678" }, OCTOBER.start),
      dePrivate: await makeAccount(db, { name: "Dora Deutsch", kind: "private", countryCode: "DE" }, OCTOBER.start),
      eeNoVat: await makeAccount(db, { name: "Eesti OÜ", countryCode: "EE" }, OCTOBER.start),
      noBusiness: await makeAccount(db, { name: "Norsk AS", countryCode: "NO", vatNumber: "NO123456789MVA" }, OCTOBER.start),
      usCompany: await makeAccount(db, { name: "US Corp", countryCode: "US" }, OCTOBER.start),
    };
    const summary = await runBilling(db, { period: OCTOBER, today: TODAY });
    expect(summary).toMatchObject({ status: "completed", accountsTotal: 7, invoicesIssued: 7, alreadyInvoiced: 0, notBilled: 0 });

    const byAccount = new Map((await issued(db)).map((i) => [i.accountId, i]));
    const expect25 = (id: string, net: bigint) => {
      const i = byAccount.get(id)!;
      expect(i.vatCategory).toBe("standard");
      expect(i.netMinor).toBe(net);
      expect(i.vatMinor).toBe(vatOf(net, 2500n));
      expect(i.totalMinor).toBe(net + vatOf(net, 2500n));
    };
    const expect0 = (id: string, category: string) => {
      const i = byAccount.get(id)!;
      expect(i.vatCategory).toBe(category);
      expect(i.netMinor).toBe(22_250n);
      expect(i.vatMinor).toBe(0n);
      expect(i.totalMinor).toBe(22_250n);
    };
    // EUR: 1000 h × 0.019 + 1000 GiB·h × 0.0045 + 199.00 = 222.50; 25 % = 55.625 → 55.63.
    expect25(ids.seCompany, 22_250n);
    expect(byAccount.get(ids.seCompany)!.vatMinor).toBe(5_563n);
    expect25(ids.sePrivate, 246_000n); // SEK: 210 + 50 + 2,200
    expect25(ids.dePrivate, 22_250n);
    expect25(ids.eeNoVat, 22_250n);
    expect0(ids.fiBusiness, "reverse_charge");
    expect0(ids.noBusiness, "export");
    expect0(ids.usCompany, "export");

    for (const [id, rate] of [[ids.seCompany, 2500], [ids.fiBusiness, 0], [ids.usCompany, 0], [ids.dePrivate, 2500]] as const) {
      for (const l of await linesOf(db, byAccount.get(id)!.id)) expect(l.vatRateBp).toBe(rate);
    }
  });

  it("makes one line per product and region, labelled in the account's language, priced in its currency", async () => {
    const sv = await makeAccount(
      db,
      {
        name: "Svensk Kund AB",
        countryCode: "SE",
        currency: "SEK",
        language: "sv",
        usage: [
          { product: "compute.vcpu", region: "sto1", quantity: "100" },
          { product: "compute.vcpu", region: "sto1", quantity: "20.5" },
          { product: "compute.vcpu", region: "fra1", quantity: "10" },
          { product: "storage.object", region: "sto2", quantity: "0.333" },
          { product: "support.business", quantity: "1" },
          { product: "discount.commitment", quantity: "1" },
        ],
      },
      OCTOBER.start,
    );
    await runBilling(db, { period: OCTOBER, today: TODAY });
    const [invoice] = (await issued(db)).filter((i) => i.accountId === sv);
    expect(invoice!.language).toBe("sv");
    expect(invoice!.currency).toBe("SEK");
    const lines = await linesOf(db, invoice!.id);
    expect(lines.map((l) => [l.service, l.label, l.region, Number(l.quantity), Number(l.unitPrice), l.amountMinor])).toEqual([
      ["Compute", "vCPU (fra1)", "fra1", 10, 21, 210n],
      ["Compute", "vCPU (sto1)", "sto1", 120.5, 21, 2_531n], // 2530.5 rounds half away from zero
      ["Storage", "Objektlagring (sto2)", "sto2", 0.333, 22, 7n], // 7.326
      ["Support", "Företagssupport", null, 1, 220_000, 220_000n],
      ["Discount", "Åtagenderabatt", null, 1, -55_000, -55_000n], // discounts last
    ]);
    const net = 210n + 2_531n + 7n + 220_000n - 55_000n;
    expect(invoice!.netMinor).toBe(net);
    expect(invoice!.vatMinor).toBe(vatOf(net, 2500n));
    // The invoice page's own computation agrees with what was stored (getInvoiceDetail checks it).
    const detail = await getInvoiceDetail(db, sv, invoice!.number, TODAY);
    expect(detail!.totals.totalMinor).toBe(invoice!.totalMinor);
    expect(detail!.lines).toHaveLength(5);
  });

  it.runIf(hasPdftotext)("prints the reverse-charge legal note on an EU business's invoice", async () => {
    const fi = await makeAccount(db, { name: "Suomi Oy", countryCode: "FI", vatNumber: "FI12345678" }, OCTOBER.start);
    await runBilling(db, { period: OCTOBER, today: TODAY });
    const [invoice] = await issued(db);
    const detail = await getInvoiceDetail(db, fi, invoice!.number, TODAY);
    const text = pdfText(await renderInvoicePdf(pdfData(detail!, "en"))).replace(/\s+/g, " ");
    expect(text).toContain("Reverse charge: VAT to be accounted for by the recipient, Article 196 Council Directive 2006/112/EC.");
    expect(text).toContain("FI12345678");
  }, 60_000);
});

describe("numbers, dates and the customer block", () => {
  it("numbers invoices gaplessly from the invoice sequence, with check-digit payment references", async () => {
    await db.execute(sql`insert into number_sequences (name, next_value) values ('invoice', 200500)`);
    for (let i = 0; i < 7; i++) await makeAccount(db, { name: `Kund ${i} AB`, countryCode: "SE" }, OCTOBER.start);
    const summary = await runBilling(db, { period: OCTOBER, today: TODAY, batchSize: 3 });
    expect(summary.invoicesIssued).toBe(7);
    const numbers = (await issued(db)).map((i) => i.number);
    expect(numbers).toEqual([200500, 200501, 200502, 200503, 200504, 200505, 200506]);
    expect(await nextInvoiceNumber(db)).toBe(200507);
    expect(summary.firstNumber).toBe(200500);
    expect(summary.lastNumber).toBe(200506);
    for (const i of await issued(db)) {
      // Luhn: double every second digit from the right of number + check digit.
      const digits = i.paymentReference.split("").map(Number).reverse();
      const sum = digits.reduce((s, d, k) => s + (k % 2 === 1 ? (d * 2 > 9 ? d * 2 - 9 : d * 2) : d), 0);
      expect(i.paymentReference.slice(0, -1)).toBe(String(i.number));
      expect(sum % 10).toBe(0);
      expect(i.billingRunId).toBe(summary.runId);
    }
  });

  it("starts the sequence after the highest invoice number when it is missing", async () => {
    await makeAccount(db, { name: "Kund AB", countryCode: "SE" }, OCTOBER.start);
    await runBilling(db, { period: OCTOBER, today: TODAY });
    expect((await issued(db)).map((i) => i.number)).toEqual([FIRST_INVOICE_NUMBER]);
  });

  it("dates the invoice the day it is issued, due after the account's payment terms, for the whole month", async () => {
    const ten = await makeAccount(db, { name: "Tio Dagar AB", countryCode: "SE", paymentTermsDays: 10 }, OCTOBER.start);
    const thirty = await makeAccount(db, { name: "Trettio AB", countryCode: "SE" }, OCTOBER.start);
    await runBilling(db, { period: OCTOBER, today: "2026-11-03" });
    const byAccount = new Map((await issued(db)).map((i) => [i.accountId, i]));
    expect(byAccount.get(ten)).toMatchObject({ periodStart: "2026-10-01", invoiceDate: "2026-11-03", dueDate: "2026-11-13" });
    expect(byAccount.get(thirty)).toMatchObject({ invoiceDate: "2026-11-03", dueDate: "2026-12-03" });
    const [period] = await rows<{ s: string; e: string }>(db, sql`select period_start::text as s, period_end::text as e from invoices limit 1`);
    expect(period).toEqual({ s: "2026-10-01", e: "2026-10-31" });
  });

  it("freezes the customer block as issued, with the separate billing address when there is one", async () => {
    const plain = await makeAccount(db, { name: "Plain AB", countryCode: "SE", organisationNumber: "556000-1111", vatNumber: "SE556000111101", purchaseOrder: "PO-7" }, OCTOBER.start);
    const billed = await makeAccount(
      db,
      {
        name: "Moder AB",
        countryCode: "SE",
        billingAddress: { name: "Moder AB Ekonomi", careOf: null, street: "Box 12", zipCode: "101 10", city: "Stockholm", countryCode: "SE" },
      },
      OCTOBER.start,
    );
    await runBilling(db, { period: OCTOBER, today: TODAY });
    // Changes after issue do not reach the issued invoice.
    await db.update(accounts).set({ name: "Renamed AB", street: "Elsewhere 9" }).where(eq(accounts.id, plain));
    const byAccount = new Map((await issued(db)).map((i) => [i.accountId, i]));
    expect(byAccount.get(plain)!.customer).toEqual({
      name: "Plain AB",
      careOf: null,
      street: "Plain AB street 1",
      zipCode: "111 22",
      city: "Stockholm",
      countryCode: "SE",
      organisationNumber: "556000-1111",
      vatNumber: "SE556000111101",
      purchaseOrder: "PO-7",
    });
    expect(byAccount.get(billed)!.customer).toMatchObject({ name: "Moder AB Ekonomi", street: "Box 12", zipCode: "101 10" });
  });
});

describe("idempotency", () => {
  it("issues nothing new on a second run for the same month", async () => {
    for (let i = 0; i < 5; i++) await makeAccount(db, { name: `Kund ${i} AB`, countryCode: "SE" }, OCTOBER.start);
    const first = await runBilling(db, { period: OCTOBER, today: TODAY, batchSize: 2 });
    const before = await issued(db);
    const mailsBefore = await outbox(db);
    const second = await runBilling(db, { period: OCTOBER, today: TODAY, batchSize: 2 });
    expect(first.invoicesIssued).toBe(5);
    expect(second).toMatchObject({ status: "completed", invoicesIssued: 0, alreadyInvoiced: 5, emailsQueued: 0 });
    expect(await issued(db)).toEqual(before);
    expect(await outbox(db)).toEqual(mailsBefore);
    expect(await nextInvoiceNumber(db)).toBe(before[before.length - 1]!.number + 1);
    const runs = await rows<{ status: string; total: string; issued: string }>(
      db,
      sql`select status::text as status, accounts_total::text as total, invoices_issued::text as issued from billing_runs order by started_at`,
    );
    expect(runs).toEqual([
      { status: "completed", total: "5", issued: "5" },
      { status: "completed", total: "5", issued: "0" },
    ]);
  });

  it("does not bill a month an account already has an invoice for, even one not issued by a run (the demo's)", async () => {
    await seedDemo(db, "2026-11-25");
    const [demo] = await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.name, "Example Cloud Customer AB"));
    // Usage for October, which the demo seed already invoiced (dated 2026-11-01, not from a run).
    await db.insert(usageRecords).values({ accountId: demo!.id, productCode: "compute.vcpu", region: "sto1", quantity: "5", unit: "h", period: OCTOBER.start, usageDate: OCTOBER.start });
    const fresh = await makeAccount(db, { name: "Ny Kund AB", countryCode: "SE" }, OCTOBER.start);
    const before = (await issued(db)).length;
    const summary = await runBilling(db, { period: OCTOBER, today: "2026-11-25" });
    expect(summary).toMatchObject({ invoicesIssued: 1, alreadyInvoiced: 1 });
    const after = await issued(db);
    expect(after).toHaveLength(before + 1);
    expect(after[after.length - 1]!.accountId).toBe(fresh);
    expect(after.filter((i) => i.accountId === demo!.id && i.periodStart === OCTOBER.start)).toHaveLength(1);
  });
});

describe("invoice emails", () => {
  it("queues each invoice's email in the run, to the verified Billing addresses and no one else", async () => {
    const many = await makeAccount(
      db,
      {
        name: "Många AB",
        countryCode: "SE",
        language: "sv",
        contacts: [
          { email: "ekonomi@manga.example", billing: true },
          { email: "cfo@manga.example", billing: true, dpo: true },
          { email: "drift@manga.example", tech: true },
          { email: "ny@manga.example", verified: false },
        ],
      },
      OCTOBER.start,
    );
    const off = await makeAccount(db, { name: "Papper AB", countryCode: "SE", receiveInvoicesByEmail: false }, OCTOBER.start);
    const none = await makeAccount(db, { name: "Tyst AB", countryCode: "SE", contacts: [{ email: "tech@tyst.example", tech: true }] }, OCTOBER.start);
    const summary = await runBilling(db, { period: OCTOBER, today: TODAY });
    expect(summary.invoicesIssued).toBe(3);
    expect(summary.emailsQueued).toBe(1);
    expect(summary.emailsSkipped).toEqual({ no_billing_address: 1, email_turned_off: 1, duplicate: 0 });

    const invoices = new Map((await issued(db)).map((i) => [i.accountId, i]));
    const mails = await outbox(db);
    expect(mails).toHaveLength(1);
    const m = mails[0]!;
    const inv = invoices.get(many)!;
    expect(m).toMatchObject({ kind: "invoice", invoiceId: inv.id, dedupeKey: `invoice:${inv.id}` });
    expect(m.recipients).toEqual(["cfo@manga.example", "ekonomi@manga.example"]);
    expect(m.subject).toBe(`Faktura ${inv.number} från Cumulus, förfaller ${inv.dueDate}`);
    expect(invoices.has(off) && invoices.has(none)).toBe(true);

    // The set-based queueing writes what the one-invoice queueing would.
    const single = await db.transaction((tx) => queueInvoiceEmail(tx, many, inv.id, { dedupeKey: `compare:${inv.id}` }));
    expect(single.status).toBe("queued");
    const again = (await outbox(db)).find((x) => x.dedupeKey === `compare:${inv.id}`)!;
    expect(again.recipients).toEqual(m.recipients);
    expect(again.subject).toBe(m.subject);
    expect(again.textBody).toBe(m.textBody);
  });

  it("queues the email in the same transaction as the invoice: a failure while queueing leaves no invoice", async () => {
    await makeAccount(db, { name: "Kund AB", countryCode: "SE" }, OCTOBER.start);
    // A stored Billing address the outbox refuses: queueing fails after the batch's invoices were written.
    await makeAccount(db, { name: "Trasig AB", countryCode: "SE", contacts: [{ email: "broken@localhost", billing: true }] }, OCTOBER.start);
    await expect(runBilling(db, { period: OCTOBER, today: TODAY })).rejects.toThrow();
    expect(await issued(db)).toEqual([]);
    expect(await outbox(db)).toEqual([]);
    const [run] = await rows<{ status: string }>(db, sql`select status::text as status from billing_runs`);
    expect(run!.status).toBe("failed");
    expect(await nextInvoiceNumber(db)).toBe(FIRST_INVOICE_NUMBER);
  });
});

describe("what cannot be billed, and when to bill", () => {
  it("reports an account whose usage has no price in its currency, and bills it once the price exists", async () => {
    const nok = await makeAccount(db, { name: "Norsk AS", countryCode: "NO", currency: "NOK" }, OCTOBER.start);
    await makeAccount(db, { name: "Kund AB", countryCode: "SE" }, OCTOBER.start);
    const first = await runBilling(db, { period: OCTOBER, today: TODAY });
    expect(first).toMatchObject({ invoicesIssued: 1, notBilled: 1 });
    expect(first.notBilledAccounts[0]).toMatchObject({ accountId: nok, accountName: "Norsk AS" });
    expect(first.notBilledAccounts[0]!.reason).toContain("no price in NOK for compute.ram, compute.vcpu, support.business");

    await db.insert(productPrices).values([
      { productCode: "compute.vcpu", currency: "NOK", unitPriceMinor: "20" },
      { productCode: "compute.ram", currency: "NOK", unitPriceMinor: "5" },
      { productCode: "support.business", currency: "NOK", unitPriceMinor: "200000" },
    ]);
    const second = await runBilling(db, { period: OCTOBER, today: TODAY });
    expect(second).toMatchObject({ invoicesIssued: 1, alreadyInvoiced: 1, notBilled: 0 });
    const invoice = (await issued(db)).find((i) => i.accountId === nok)!;
    expect(invoice).toMatchObject({ currency: "NOK", vatCategory: "export", netMinor: 20_000n + 5_000n + 200_000n });
  });

  it("refuses a month that has not ended unless asked, and reports progress per batch", async () => {
    for (let i = 0; i < 5; i++) await makeAccount(db, { name: `Kund ${i} AB`, countryCode: "SE" }, "2026-11-01");
    const november = parsePeriod("2026-11");
    await expect(runBilling(db, { period: november, today: "2026-11-25" })).rejects.toThrow(/has not ended yet.*--allow-open-period/);
    await expect(runBilling(db, { period: parsePeriod("2026-12"), today: "2026-11-25", allowOpenPeriod: true })).rejects.toThrow(/has not started/);
    expect(await issued(db)).toEqual([]);

    const seen: RunProgress[] = [];
    const summary = await runBilling(db, { period: november, today: "2026-11-25", allowOpenPeriod: true, batchSize: 2, onProgress: (p) => seen.push(p) });
    expect(seen.map((p) => [p.accountsDone, p.accountsTotal, p.invoicesIssued])).toEqual([
      [2, 5, 2],
      [4, 5, 4],
      [5, 5, 5],
    ]);
    expect(summary.invoicesIssued).toBe(5);
    // An open month's invoices are dated the day they are issued.
    for (const i of await issued(db)) expect(i).toMatchObject({ periodStart: "2026-11-01", invoiceDate: "2026-11-25", dueDate: "2026-12-25" });
  });

  it("bills the demo seed's usage of the current month", async () => {
    await seedDemo(db, "2026-11-25");
    const before = await issued(db);
    const summary = await runBilling(db, { period: parsePeriod("2026-11"), today: "2026-11-25", allowOpenPeriod: true });
    expect(summary).toMatchObject({ accountsTotal: 2, invoicesIssued: 2, notBilled: 0, emailsQueued: 2 });
    const after = await issued(db);
    expect(after.slice(0, before.length)).toEqual(before);
    const fresh = after.slice(before.length);
    expect(fresh.map((i) => i.number)).toEqual([before[before.length - 1]!.number + 1, before[before.length - 1]!.number + 2]);
    const names = await rows<{ id: string; name: string }>(db, sql`select id::text as id, name from accounts`);
    const nameOf = new Map(names.map((n) => [n.id, n.name]));
    expect(Object.fromEntries(fresh.map((i) => [nameOf.get(i.accountId), i.vatCategory]))).toEqual({
      "Example Cloud Customer AB": "standard",
      "Other Tenant Oy": "reverse_charge",
    });
    // Like the demo's own invoices: compute per region, storage, support and the discount.
    const lines = await linesOf(db, fresh.find((i) => nameOf.get(i.accountId) === "Example Cloud Customer AB")!.id);
    expect(lines).toHaveLength(14);
    expect(lines.map((l) => l.label)).toContain("vCPU (sto2)");
    expect(lines[lines.length - 1]!.label).toBe("Commitment discount");
  });
});

describe("the run's batches of accounts", () => {
  it("walk usage_records_period_account_idx in uuid order, reading a batch and no more (PostgreSQL plan)", async (ctx) => {
    if (!process.env.DATABASE_URL) ctx.skip();
    // Tiny tables favour a scan: forbid it to see the planner's path at scale. Ordered by the
    // text of the id (as before), the plan sorted every distinct account of the month per batch.
    const text = await db.transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      const plan = await tx.execute(sql`explain ${nextAccountIdsQuery(OCTOBER, "50000000-0000-0000-0000-000000000000", 750)}`);
      return (Array.isArray(plan) ? plan : (plan as { rows: unknown[] }).rows).map((r) => Object.values(r as object)[0]).join("\n");
    });
    expect(text).toMatch(/Index Only Scan using usage_records_period_account_idx/);
    expect(text).toMatch(/Limit[\s\S]*Unique/);
    expect(text).not.toMatch(/HashAggregate|Sort Key: .*::text/);
  });

  it("list each account with usage once, in id order, across batches", async () => {
    for (const name of ["Batch Ett AB", "Batch Två AB", "Batch Tre AB"]) await makeAccount(db, { name, countryCode: "SE" }, OCTOBER.start);
    const ids: string[] = [];
    let cursor: string | null = null;
    for (;;) {
      const batch: { account_id: string }[] = await rows(db, nextAccountIdsQuery(OCTOBER, cursor, 1));
      if (batch.length === 0) break;
      ids.push(batch[0]!.account_id);
      cursor = batch[0]!.account_id;
    }
    const expected = await rows<{ id: string }>(db, sql`select distinct account_id::text as id from usage_records where period = ${OCTOBER.start}::date`);
    expect(ids).toEqual(expected.map((r) => r.id).sort());
    expect(ids).toHaveLength(3);
  });
});

describe("the run's statistics", () => {
  it("analyzes the tables it fills once its invoices pass the mark, and again at each doubling (PostgreSQL)", async (ctx) => {
    if (!process.env.DATABASE_URL) ctx.skip();
    for (const name of ["Stat Ett AB", "Stat Två AB", "Stat Tre AB", "Stat Fyra AB"]) await makeAccount(db, { name, countryCode: "SE" }, OCTOBER.start);
    const analyzed = async () =>
      (await rows<{ relname: string; n: number }>(db, sql`select relname, analyze_count::int as n from pg_stat_user_tables
        where relname in ('invoices', 'invoice_lines', 'email_outbox') order by relname`)).map((r) => `${r.relname} ${r.n}`);
    const before = await analyzed();
    // One account a batch, first mark at 1 invoice: analyzed after invoices 1, 2 and 4.
    await runBilling(db, { period: OCTOBER, today: TODAY, batchSize: 1, analyzeAtInvoices: 1 });
    // A backend reports its statistics when idle, at most once a second: asked again until then.
    const analyses = async () => (await analyzed()).map((line, i) => Number(line.split(" ")[1]) - Number(before[i]!.split(" ")[1]));
    await expect.poll(analyses, { timeout: 10_000, interval: 250 }).toEqual([3, 3, 3]);
  });
});
