/**
 * Invoice PDFs from the database, read back as text and compared with the database: number,
 * totals and every line; stored once and served again; rendered anew when what is outstanding
 * changes; and an issued invoice's PDF keeps the address it was issued with.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "@/scripts/seed";
import { accounts, invoicePdfs, invoices, paymentAllocations, payments, users } from "@/db/schema";
import { updateCustomerInfo } from "@/lib/account/settings";
import { customerInfoSchema } from "@/lib/account/validation";
import { getInvoiceDetail } from "@/lib/invoices/detail";
import { invoicePdf, pdfFileName } from "@/lib/invoices/pdf";
import { formatAmount } from "@/lib/money";
import { closePdfPool } from "@/lib/pdf/render";
import { setupTestDatabase } from "../setup/db";
import { hasPdftotext, pdfText } from "../setup/pdf-text";

const TODAY = "2026-11-25";
const { db } = await setupTestDatabase();
let accountId = "";

beforeAll(async () => {
  await seedDemo(db, TODAY);
  accountId = (await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.name, "Example Cloud Customer AB")))[0]!.id;
});
afterAll(async () => {
  await closePdfPool();
});

describe.runIf(hasPdftotext)("invoice PDF from the database", () => {
  it("prints the number, totals and every line of the invoice, and is stored once", async () => {
    const [inv] = await db.select({ number: invoices.number }).from(invoices).where(eq(invoices.accountId, accountId)).limit(1);
    const detail = (await getInvoiceDetail(db, accountId, inv!.number, TODAY))!;
    const first = await invoicePdf(db, detail, "en");
    const text = pdfText(first.bytes);
    expect(text).toContain(String(detail.number));
    expect(text).toContain(formatAmount(detail.totalMinor, "EUR", "en"));
    expect(text).toContain(formatAmount(detail.vatMinor, "EUR", "en"));
    expect(text).toContain(formatAmount(detail.netMinor, "EUR", "en"));
    for (const line of detail.lines) {
      expect(text).toContain(line.label);
      expect(text).toContain(formatAmount(line.amountMinor, "EUR", "en"));
    }
    expect(text).toContain(detail.paymentReference);
    expect(pdfFileName(detail)).toBe(`Cumulus-${detail.invoiceDate.slice(0, 7)}-${detail.number}.pdf`);
    // Served from storage the second time: the same bytes and ETag.
    const second = await invoicePdf(db, detail, "en");
    expect(second.etag).toBe(first.etag);
    expect(await db.$count(invoicePdfs)).toBe(1);
    // In Swedish, a separate stored rendering with Swedish number format.
    const sv = await invoicePdf(db, detail, "sv");
    expect(pdfText(sv.bytes)).toContain(formatAmount(detail.totalMinor, "EUR", "sv").replace(/[\u00a0\u202f]/g, " "));
  });

  it("renders anew when a payment changes what is outstanding", async () => {
    const overdue = (await db.select().from(invoices).where(eq(invoices.accountId, accountId))).find((i) => i.invoiceDate === "2026-10-01")!;
    const before = (await getInvoiceDetail(db, accountId, overdue.number, TODAY))!;
    const a = await invoicePdf(db, before, "en");
    expect(pdfText(a.bytes)).toContain(formatAmount(before.outstandingMinor, "EUR", "en"));
    const [p] = await db.insert(payments).values({ accountId, provider: "bank_transfer", method: "bank_transfer", state: "succeeded", amountMinor: before.outstandingMinor, currency: "EUR", settledAt: new Date(), providerReference: "pdf-test" }).returning({ id: payments.id });
    await db.insert(paymentAllocations).values({ paymentId: p!.id, invoiceId: overdue.id, amountMinor: before.outstandingMinor });
    const after = (await getInvoiceDetail(db, accountId, overdue.number, TODAY))!;
    expect(after.outstandingMinor).toBe(0n);
    const b = await invoicePdf(db, after, "en");
    expect(b.etag).not.toBe(a.etag);
  });

  it("an issued invoice's PDF keeps the address it was issued with", async () => {
    const [u] = await db.select({ id: users.id }).from(users).where(eq(users.email, "demo@example.com"));
    await updateCustomerInfo(db, accountId, u!.id, customerInfoSchema.parse({
      firstName: "Ada", lastName: "Lindqvist", companyName: "Example Cloud Customer AB", street: "Nygatan 99", city: "Uppsala",
      zipCode: "753 20", countryCode: "SE", vatNumber: "SE556677889901", purchaseOrder: "", careOf: "", separateBilling: "",
    }));
    const [inv] = await db.select({ number: invoices.number }).from(invoices).where(eq(invoices.accountId, accountId)).limit(1);
    await db.delete(invoicePdfs);
    const text = pdfText((await invoicePdf(db, (await getInvoiceDetail(db, accountId, inv!.number, TODAY))!, "en")).bytes);
    expect(text).toContain("Kungsgatan 12");
    expect(text).not.toContain("Nygatan 99");
  });
});
