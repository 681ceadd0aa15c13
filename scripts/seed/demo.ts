/**
 * The demo data of docs/product.md, relative to a given "today" so that overdue stays
 * meaningful: two accounts, their users and contacts, this month's usage, and a year or so of
 * invoices, the older ones paid.
 */
import type { Database, Transaction } from "@/db/client";
import * as s from "@/db/schema";
import { issuedCustomerOf } from "@/lib/invoices/customer";
import { addDays, addMonths, endOfMonth, startOfMonth } from "@/lib/dates";
import { FIRST_INVOICE_NUMBER } from "@/lib/invoices/numbers";
import { computeTotals } from "@/lib/money";
import { hashPassword } from "@/lib/passwords";
import { paymentReferenceFor } from "@/lib/reference";
import { dailyUsage, monthlyLines, REGIONS, seedProducts, type DraftLine } from "./catalog";

export const DEMO_PASSWORD = "cumulus-demo-2026";
export const DEMO_LOGINS = [
  { email: "demo@example.com", role: "admin, invoice access Full" },
  { email: "reader@example.com", role: "invoice access Read" },
  { email: "noaccess@example.com", role: "invoice access None" },
  { email: "other@example.com", role: "another account (Other Tenant Oy), admin" },
] as const;

type DemoAccountSpec = {
  account: s.NewAccount;
  users: { email: string; name: string; isAdmin: boolean; invoiceAccess: s.InvoiceAccess }[];
  contact: string;
  months: number;
  vatRateBp: number;
  vatCategory: s.VatCategory;
  regions: readonly string[];
  seed: number;
};

function demoSpecs(): DemoAccountSpec[] {
  return [
    {
      account: {
        kind: "company",
        name: "Example Cloud Customer AB",
        firstName: "Ada",
        lastName: "Lindqvist",
        countryCode: "SE",
        currency: "EUR",
        language: "en",
        timeZone: "Europe/Stockholm",
        organisationNumber: "556677-8899",
        vatNumber: "SE556677889901",
        purchaseOrder: "PO-2026-CLOUD",
        street: "Kungsgatan 12",
        zipCode: "111 43",
        city: "Stockholm",
        paymentTermsDays: 30,
      },
      users: [
        { email: "demo@example.com", name: "Ada Lindqvist", isAdmin: true, invoiceAccess: "full" },
        { email: "reader@example.com", name: "Rolf Reader", isAdmin: false, invoiceAccess: "read" },
        { email: "noaccess@example.com", name: "Nina Noaccess", isAdmin: false, invoiceAccess: "none" },
      ],
      contact: "demo@example.com",
      months: 24,
      vatRateBp: 2500,
      vatCategory: "standard",
      regions: REGIONS,
      seed: 1,
    },
    {
      account: {
        kind: "company",
        name: "Other Tenant Oy",
        firstName: "Otto",
        lastName: "Virtanen",
        countryCode: "FI",
        currency: "EUR",
        language: "en",
        timeZone: "Europe/Helsinki",
        organisationNumber: "1234567-8",
        vatNumber: "FI12345678",
        street: "Mannerheimintie 5",
        zipCode: "00100",
        city: "Helsinki",
        paymentTermsDays: 30,
      },
      users: [{ email: "other@example.com", name: "Otto Virtanen", isAdmin: true, invoiceAccess: "full" }],
      contact: "other@example.com",
      months: 12,
      // An EU business with a VAT number buying from a Swedish provider: reverse charge.
      vatRateBp: 0,
      vatCategory: "reverse_charge",
      regions: ["fra1"],
      seed: 2,
    },
  ];
}

/** An invoice to be numbered: numbers follow the issue order across all accounts. */
type Draft = { accountId: string; spec: DemoAccountSpec; monthsAgo: number; invoiceDate: string; lines: DraftLine[] };

/**
 * The demo accounts of docs/product.md. Invoices are dated the 1st of the month after their period
 * and due at the end of that month, so — whatever today is — last month's invoice is not yet
 * due, the month before's is overdue, and the one before that is partly paid and overdue.
 */
export async function seedDemo(db: Database, today: string): Promise<{ accounts: number; invoices: number }> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  let invoiceCount = 0;
  await db.transaction(async (tx) => {
    await seedProducts(tx);
    const drafts: Draft[] = [];
    for (const spec of demoSpecs()) drafts.push(...(await insertDemoAccount(tx, spec, passwordHash, today)));
    // Gapless numbers in issue order across all accounts, as a billing run would give them.
    drafts.sort((a, b) => a.invoiceDate.localeCompare(b.invoiceDate) || a.spec.seed - b.spec.seed);
    let number = FIRST_INVOICE_NUMBER;
    for (const d of drafts) {
      await insertDemoInvoice(tx, d, number);
      number++;
      invoiceCount++;
    }
    await tx
      .insert(s.numberSequences)
      .values({ name: "invoice", nextValue: BigInt(number) })
      .onConflictDoUpdate({ target: s.numberSequences.name, set: { nextValue: BigInt(number) } });
  });
  return { accounts: demoSpecs().length, invoices: invoiceCount };
}

/** One account with its users, contacts and this month's usage; answers its invoices to come. */
async function insertDemoAccount(tx: Transaction, spec: DemoAccountSpec, passwordHash: string, today: string): Promise<Draft[]> {
  const currentMonth = startOfMonth(today);
  const [account] = await tx.insert(s.accounts).values(spec.account).returning({ id: s.accounts.id });
  const accountId = account!.id;
  await tx.insert(s.users).values(spec.users.map((u) => ({ ...u, accountId, passwordHash })));
  await tx.insert(s.contactEmails).values({
    accountId,
    email: spec.contact,
    verifiedAt: new Date(`${addMonths(currentMonth, -spec.months)}T09:00:00Z`),
    isBilling: true,
    isTech: true,
    isDpo: true,
  });
  await tx.insert(s.contactPhones).values({ accountId, phone: spec.seed === 1 ? "+46812345678" : "+358912345678", label: "Office" });
  // This month's usage so far, not yet invoiced: `npm run billing:run` bills it (see docs/billing.md).
  await tx.insert(s.usageRecords).values(
    dailyUsage(monthlyLines(spec.seed, spec.months, "EUR", spec.vatRateBp, spec.regions), today, spec.seed).map((d) => ({ ...d, accountId })),
  );
  const drafts: Draft[] = [];
  for (let monthsAgo = spec.months; monthsAgo >= 1; monthsAgo--) {
    const periodStart = addMonths(currentMonth, -monthsAgo);
    drafts.push({
      accountId,
      spec,
      monthsAgo,
      invoiceDate: addMonths(periodStart, 1),
      lines: monthlyLines(spec.seed, spec.months - monthsAgo, "EUR", spec.vatRateBp, spec.regions),
    });
  }
  return drafts;
}

/** An issued invoice with its lines; older than three months paid, three months ago partly paid. */
async function insertDemoInvoice(tx: Transaction, d: Draft, number: number): Promise<void> {
  const totals = computeTotals(d.lines);
  const periodStart = addMonths(d.invoiceDate, -1);
  const a = d.spec.account;
  const [inv] = await tx
    .insert(s.invoices)
    .values({
      accountId: d.accountId,
      number,
      type: "invoice",
      periodStart,
      periodEnd: endOfMonth(periodStart),
      invoiceDate: d.invoiceDate,
      dueDate: endOfMonth(d.invoiceDate),
      currency: a.currency,
      language: a.language ?? "en",
      vatCategory: d.spec.vatCategory,
      netMinor: totals.netMinor,
      vatMinor: totals.vatMinor,
      totalMinor: totals.totalMinor,
      customer: issuedCustomerOf(a),
      paymentReference: paymentReferenceFor(number),
      issuedAt: new Date(`${d.invoiceDate}T06:00:00Z`),
    })
    .returning({ id: s.invoices.id });
  await tx.insert(s.invoiceLines).values(d.lines.map((l, i) => ({ ...l, invoiceId: inv!.id, position: i + 1 })));
  // Everything older than three months is paid; three months ago is partly paid.
  const paidMinor =
    d.monthsAgo > 3 ? totals.totalMinor : d.monthsAgo === 3 ? (totals.totalMinor * 40n) / 100n : 0n;
  if (paidMinor > 0n) {
    const settledAt = new Date(`${addDays(d.invoiceDate, 10 + (number % 12))}T10:30:00Z`);
    const [payment] = await tx
      .insert(s.payments)
      .values({
        accountId: d.accountId,
        provider: d.monthsAgo === 3 ? "bank_transfer" : "sandbox",
        method: d.monthsAgo === 3 ? "bank_transfer" : "card",
        state: "succeeded",
        amountMinor: paidMinor,
        currency: a.currency,
        providerReference: `seed-${number}`,
        createdAt: settledAt,
        updatedAt: settledAt,
        settledAt,
      })
      .returning({ id: s.payments.id });
    await tx.insert(s.paymentAllocations).values({ paymentId: payment!.id, invoiceId: inv!.id, amountMinor: paidMinor });
  }
}
