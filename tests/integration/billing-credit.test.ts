/**
 * Credit notes (lib/billing/credit.ts, `npm run billing:credit`): a credit note with its own
 * number from the invoice sequence lowers the invoice's outstanding amount, carries the
 * invoice's VAT, shows as Type "Credit note" in the list with nothing outstanding, renders a
 * PDF titled "Credit note" naming the invoice and the reason, and queues its email; every
 * refusal writes nothing. Command-line exit codes and two credits at once on PostgreSQL.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { createPostgresHandle, rows } from "@/db/client";
import { paymentAllocations, payments } from "@/db/schema";
import { issueCreditNote } from "@/lib/billing/credit";
import { parsePeriod } from "@/lib/billing/period";
import { runBilling } from "@/lib/billing/run";
import { getInvoiceDetail } from "@/lib/invoices/detail";
import { listInvoices } from "@/lib/invoices/list";
import { pdfData } from "@/lib/invoices/pdf";
import { closePdfPool, renderInvoicePdf } from "@/lib/pdf/render";
import { hasPdftotext, pdfText } from "@/tests/setup/pdf-text";
import { resetTables, setupTestDatabase } from "../setup/db";
import { issued, linesOf, makeAccount, nextInvoiceNumber, outbox, outstandingMinor, runScript, type IssuedFacts } from "./billing-fixtures";

const { db, kind, url } = await setupTestDatabase();
const OCTOBER = parsePeriod("2026-10");

afterAll(async () => {
  await closePdfPool();
});

let accountId = "";
/** 222.50 EUR + 25 % VAT = 278.13 EUR, issued 2026-11-01. */
let invoice: IssuedFacts;

beforeEach(async () => {
  await resetTables(db);
  accountId = await makeAccount(
    db,
    { name: "Kredit AB", countryCode: "SE", contacts: [{ email: "ekonomi@kredit.example", billing: true }, { email: "drift@kredit.example", tech: true, dpo: true }] },
    OCTOBER.start,
  );
  await runBilling(db, { period: OCTOBER, today: "2026-11-01" });
  [invoice] = (await issued(db)) as [IssuedFacts];
  expect(invoice.totalMinor).toBe(27_813n);
});

/** Everything a refused credit must leave untouched. */
async function snapshot() {
  return { invoices: await issued(db), outbox: await outbox(db), next: await nextInvoiceNumber(db), outstanding: await outstandingMinor(db, invoice.number) };
}

describe("issuing a credit note", () => {
  it("lowers the invoice's outstanding amount, with its own next number, the invoice's VAT and positive amounts", async () => {
    const next = await nextInvoiceNumber(db);
    const result = await issueCreditNote(db, { number: String(invoice.number), amount: "12.50", reason: "Outage in sto1 on 3 October" }, { today: "2026-11-20" });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.creditNote).toMatchObject({ number: next, netMinor: 1_000n, vatMinor: 250n, totalMinor: 1_250n, currency: "EUR" });
    expect(result.invoice).toMatchObject({ number: invoice.number, outstandingBeforeMinor: 27_813n, outstandingAfterMinor: 26_563n });
    expect(await outstandingMinor(db, invoice.number)).toBe(26_563n);
    expect(await nextInvoiceNumber(db)).toBe(next! + 1);

    const note = (await issued(db)).find((i) => i.number === next)!;
    expect(note).toMatchObject({ type: "credit_note", invoiceDate: "2026-11-20", dueDate: "2026-11-20", vatCategory: "standard", netMinor: 1_000n, vatMinor: 250n, totalMinor: 1_250n, billingRunId: null });
    expect(note.customer).toEqual(invoice.customer);
    const [link] = await rows<{ credits: string; reason: string }>(db, sql`select credits_invoice_id::text as credits, credit_reason as reason from invoices where number = ${next}`);
    expect(link).toEqual({ credits: invoice.id, reason: "Outage in sto1 on 3 October" });
    expect(await linesOf(db, note.id)).toEqual([
      { service: "Credit", label: `Credit on invoice ${invoice.number}`, region: null, quantity: "1.000000", unitPrice: "1000.000000", amountMinor: 1_000n, vatRateBp: 2500 },
    ]);

    // Its email, to the Billing address only, with the PDF attached at send time.
    const mail = (await outbox(db)).find((m) => m.invoiceId === note.id)!;
    expect(mail).toMatchObject({ kind: "invoice", recipients: ["ekonomi@kredit.example"], subject: `Credit note ${next} from Cumulus`, dedupeKey: `invoice:${note.id}` });
    // And an audit row: who (the operator's command: no user), what, before, after.
    const [a] = await rows<{ action: string; before: string; after: string }>(db, sql`select action, before::text as before, after::text as after from audit_events`);
    expect(a!.action).toBe("invoice.credited");
    expect(JSON.parse(a!.before)).toEqual({ number: invoice.number, outstandingMinor: "27813" });
    expect(JSON.parse(a!.after)).toMatchObject({ outstandingMinor: "26563", creditNote: next, amountMinor: "1250" });
  });

  it("shows in the list as a credit note with nothing outstanding, and the invoice as partly credited", async () => {
    const result = await issueCreditNote(db, { number: String(invoice.number), amount: "278.13", reason: "Cancelled order" }, { today: "2026-11-20" });
    expect(result.ok).toBe(true);
    const list = await listInvoices(db, accountId, { status: "all", page: 1 }, "2026-11-20");
    const rowsByNumber = new Map(list.rows.map((r) => [r.number, r]));
    const note = rowsByNumber.get(invoice.number + 1)!;
    expect(note).toMatchObject({ type: "credit_note", totalMinor: 27_813n, outstandingMinor: 0n });
    expect(rowsByNumber.get(invoice.number)).toMatchObject({ type: "invoice", outstandingMinor: 0n, status: "paid" });
    // Fully credited: nothing is outstanding, so no further credit.
    const again = await issueCreditNote(db, { number: String(invoice.number), amount: "1", reason: "Again" });
    expect(again).toMatchObject({ ok: false, reason: "nothing_outstanding" });
  });

  it("splits the amount over the invoice's VAT rates in proportion", async () => {
    // An invoice with a 25 % part and an exempt (0 %) part.
    await db.execute(sql`update invoice_lines set vat_rate_bp = 0 where invoice_id = ${invoice.id}::uuid and service = 'Support'`);
    await db.execute(sql`update invoices set vat_minor = 588, total_minor = 22838 where id = ${invoice.id}::uuid`); // 22,250 + 25 % of 2,350, rounded
    const result = await issueCreditNote(db, { number: String(invoice.number), amount: "100.00", reason: "Split" }, { today: "2026-11-20" });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const lines = await linesOf(db, result.creditNote.id);
    // 100.00 in proportion to what each rate adds to the total (29.38 and 199.00 of 228.38):
    // 12.86 with VAT (10.29 net) at 25 %, 87.14 at 0 %.
    expect(lines.map((l) => [l.vatRateBp, l.amountMinor])).toEqual([
      [2500, 1_029n],
      [0, 8_714n],
    ]);
    const total = lines.reduce((s, l) => s + l.amountMinor + (l.amountMinor * BigInt(l.vatRateBp) * 2n + 10_000n) / 20_000n, 0n);
    expect(total).toBe(10_000n);
    expect(result.creditNote.totalMinor).toBe(10_000n);
    expect(await outstandingMinor(db, invoice.number)).toBe(22_838n - 10_000n);
  });
});

describe.runIf(hasPdftotext)("the credit note's page data and PDF", () => {
  it("is titled Credit note, names the invoice it credits and the reason, and asks for nothing", async () => {
    const result = await issueCreditNote(db, { number: String(invoice.number), amount: "12.50", reason: "Outage in sto1 on 3 October" }, { today: "2026-11-20" });
    if (!result.ok) throw new Error(result.message);
    const detail = (await getInvoiceDetail(db, accountId, result.creditNote.number, "2026-11-20"))!;
    expect(detail).toMatchObject({ type: "credit_note", creditReason: "Outage in sto1 on 3 October", outstandingMinor: 0n, status: "paid" });
    expect(detail.related.map((r) => [r.type, r.number])).toEqual([["invoice", invoice.number]]);
    const text = pdfText(await renderInvoicePdf(pdfData(detail, "en"))).replace(/\s+/g, " ");
    expect(text).toMatch(/^Cumulus Cloud AB Credit note /); // the title
    expect(text).toContain(`Credit note No ${result.creditNote.number}`);
    expect(text).toContain(`Credits invoice No ${invoice.number}`);
    expect(text).toContain(`This credit note lowers the amount to pay on invoice ${invoice.number}.`);
    expect(text).toContain("There is nothing to pay on a credit note.");
    expect(text).toContain("Reason: Outage in sto1 on 3 October");
    expect(text).toContain("Total 12.50 EUR");
    for (const absent of ["Outstanding amount", "IBAN", "Payment reference", "Please pay"]) expect(text).not.toContain(absent);
    // The credited invoice's page data shows the credit note and the lower outstanding amount.
    const credited = (await getInvoiceDetail(db, accountId, invoice.number, "2026-11-20"))!;
    expect(credited).toMatchObject({ creditedMinor: 1_250n, outstandingMinor: 26_563n });
    expect(credited.related.map((r) => [r.type, r.number])).toEqual([["credit_note", result.creditNote.number]]);
  }, 60_000);
});

describe("refusals write nothing", () => {
  it.each([
    ["an amount of 0", { amount: "0" }, "invalid_input", "--amount must be more than 0."],
    ["a negative amount", { amount: "-5" }, "invalid_input", "--amount must be a positive amount"],
    ["more decimals than the currency", { amount: "1.005" }, "invalid_input", "has more decimals than EUR has (2)"],
    ["no reason", { reason: "  " }, "invalid_input", "--reason is required"],
    ["more than is outstanding", { amount: "278.14" }, "exceeds_outstanding", "278.14 EUR is more than invoice"],
    ["an amount no net + 25 % VAT makes", { amount: "12.52" }, "not_exact", "use 12.51 EUR or 12.53 EUR"],
    ["an unknown invoice", { number: "999999" }, "not_found", "There is no invoice 999999."],
  ])("refuses %s", async (_what, change, reason, message) => {
    const before = await snapshot();
    const result = await issueCreditNote(db, { number: String(invoice.number), amount: "10", reason: "Because", ...change });
    expect(result).toMatchObject({ ok: false, reason });
    if (!result.ok) expect(result.message).toContain(message);
    expect(await snapshot()).toEqual(before);
  });

  it("refuses a credit note as the target, and a paid invoice", async () => {
    const first = await issueCreditNote(db, { number: String(invoice.number), amount: "10", reason: "First" });
    if (!first.ok) throw new Error(first.message);
    const before = await snapshot();
    const onNote = await issueCreditNote(db, { number: String(first.creditNote.number), amount: "1", reason: "Nested" });
    expect(onNote).toMatchObject({ ok: false, reason: "is_credit_note", message: `${first.creditNote.number} is a credit note: only an invoice can be credited.` });
    const [p] = await db
      .insert(payments)
      .values({ accountId, provider: "bank_transfer", method: "bank_transfer", state: "succeeded", amountMinor: 26_813n, currency: "EUR", settledAt: new Date() })
      .returning({ id: payments.id });
    await db.insert(paymentAllocations).values({ paymentId: p!.id, invoiceId: invoice.id, amountMinor: 26_813n });
    const paid = await issueCreditNote(db, { number: String(invoice.number), amount: "1", reason: "Late" });
    expect(paid).toMatchObject({ ok: false, reason: "nothing_outstanding" });
    expect((await issued(db)).length).toBe(before.invoices.length);
    expect(await nextInvoiceNumber(db)).toBe(before.next);
  });

  it("refuses while a card payment for the invoice is in progress", async () => {
    const [p] = await db
      .insert(payments)
      .values({ accountId, provider: "sandbox", method: "card", state: "pending", amountMinor: 27_813n, currency: "EUR" })
      .returning({ id: payments.id });
    await db.insert(paymentAllocations).values({ paymentId: p!.id, invoiceId: invoice.id, amountMinor: 27_813n });
    const before = await snapshot();
    const result = await issueCreditNote(db, { number: String(invoice.number), amount: "10", reason: "Busy" });
    expect(result).toMatchObject({ ok: false, reason: "payment_in_progress" });
    expect(await snapshot()).toEqual(before);
  });
});

describe.runIf(kind === "postgres")("credit notes from the command line and at once (PostgreSQL)", () => {
  const others: { close: () => Promise<void> }[] = [];
  afterAll(async () => {
    for (const o of others) await o.close();
  });

  it("npm run billing:credit: issued (0), bad arguments (2), unknown invoice (3), refused (4)", async () => {
    const n = String(invoice.number);
    const ok = await runScript("scripts/billing-credit.ts", ["--invoice", n, "--amount", "12.50", "--reason", "Outage", "--today", "2026-11-20"], url!);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain(`Credit note ${invoice.number + 1} issued for invoice ${n}: 12.50 EUR (net 10.00 EUR, VAT 2.50 EUR).`);
    expect(ok.stdout).toContain("278.13 EUR → 265.63 EUR");
    expect(ok.stdout).toContain("Email queued");
    const cases: [string[], number, string][] = [
      [["--invoice", n, "--amount", "0", "--reason", "x"], 2, "--amount must be more than 0."],
      [["--invoice", n, "--amount", "5"], 2, "Missing --reason."],
      [["--invoice", "999999", "--amount", "5", "--reason", "x"], 3, "There is no invoice 999999."],
      [["--invoice", String(invoice.number + 1), "--amount", "1", "--reason", "x"], 4, "is a credit note"],
      [["--invoice", n, "--amount", "300", "--reason", "x"], 4, "300.00 EUR is more than invoice"],
    ];
    for (const [args, code, message] of cases) {
      const r = await runScript("scripts/billing-credit.ts", args, url!);
      expect(r.code, `${args.join(" ")}: ${r.stderr}`).toBe(code);
      expect(r.stderr).toContain(message);
    }
    expect((await issued(db)).filter((i) => i.type === "credit_note")).toHaveLength(1);
  }, 90_000);

  it("two credits for the whole outstanding amount at once: one is issued, the other refused", async () => {
    const h = createPostgresHandle(url!, 2);
    others.push(h);
    const input = { number: String(invoice.number), amount: "278.13", reason: "Twice" };
    const results = await Promise.all([issueCreditNote(db, input), issueCreditNote(h.db, input)]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toMatchObject({ reason: "nothing_outstanding" });
    expect(await outstandingMinor(db, invoice.number)).toBe(0n);
    expect(await nextInvoiceNumber(db)).toBe(invoice.number + 2);
  });
});
