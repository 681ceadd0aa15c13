/**
 * Peppol delivery (lib/einvoice/delivery.ts) and the "Receive invoices by" settings: an issued
 * invoice or credit note of an account that receives e-invoices is queued in the issuing
 * transaction, once, to the participant id of that moment; without an access point it is written
 * as a file, with one the UBL is POSTed there; a refusal is final, a server error retried.
 * Runs on PostgreSQL and PGlite.
 */
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { rows } from "@/db/client";
import { accounts, auditEvents } from "@/db/schema";
import { updateInvoiceSettings } from "@/lib/account/settings";
import { issueCreditNote } from "@/lib/billing/credit";
import { parsePeriod } from "@/lib/billing/period";
import { runBilling } from "@/lib/billing/run";
import { deliverEInvoices, eInvoiceDeliveries, eInvoiceDeliveryOf } from "@/lib/einvoice/delivery";
import { resetEnvCache } from "@/lib/env";
import { closePdfPool } from "@/lib/pdf/render";
import { resetTables, setupTestDatabase } from "../setup/db";
import { issued, makeAccount } from "./billing-fixtures";
import { parseUbl } from "./einvoice-xml";

const { db } = await setupTestDatabase();
const OCTOBER = parsePeriod("2026-10");
const TODAY = "2026-11-01";
const PARTICIPANT = "0007:5567321707";

let dataDir = "";
const savedEnv = { ...process.env };

beforeEach(async () => {
  await resetTables(db);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cumulus-einvoice-"));
  process.env.CUMULUS_DATA_DIR = dataDir;
  delete process.env.PEPPOL_ACCESS_POINT_URL;
  resetEnvCache();
  vi.spyOn(console, "info").mockImplementation(() => {});
  vi.spyOn(console, "warn").mockImplementation(() => {});
});

afterEach(() => {
  vi.restoreAllMocks();
  for (const key of ["CUMULUS_DATA_DIR", "PEPPOL_ACCESS_POINT_URL", "PEPPOL_ACCESS_POINT_TOKEN"]) {
    if (savedEnv[key] === undefined) delete process.env[key];
    else process.env[key] = savedEnv[key];
  }
  resetEnvCache();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

afterAll(async () => {
  await closePdfPool();
});

async function receivesByPeppol(accountId: string, participantId = PARTICIPANT) {
  await db.update(accounts).set({ receiveInvoicesByPeppol: true, peppolParticipantId: participantId }).where(eq(accounts.id, accountId));
}

async function billOctober() {
  await runBilling(db, { period: OCTOBER, today: TODAY });
  return issued(db);
}

describe("queueing", () => {
  it("queues an issued invoice and its credit note once, for accounts that receive by Peppol only", async () => {
    const peppol = await makeAccount(db, { name: "Peppol AB", countryCode: "SE" }, OCTOBER.start);
    const emailOnly = await makeAccount(db, { name: "Epost AB", countryCode: "SE" }, OCTOBER.start);
    await receivesByPeppol(peppol);
    const invoices = await billOctober();
    const ofPeppol = invoices.find((i) => i.accountId === peppol)!;
    const ofEmail = invoices.find((i) => i.accountId === emailOnly)!;
    expect(await eInvoiceDeliveries(db, peppol, [ofPeppol.id])).toEqual([
      { invoiceId: ofPeppol.id, participantId: PARTICIPANT, status: "pending", deliveredTo: null, lastError: null, attempts: 0, sentAt: null },
    ]);
    expect(await eInvoiceDeliveries(db, emailOnly, [ofEmail.id])).toEqual([]);
    // Another account's documents are not in an account's log.
    expect(await eInvoiceDeliveries(db, emailOnly, [ofPeppol.id])).toEqual([]);
    // A resumed run issues nothing new and queues nothing twice.
    await billOctober();
    const [queued] = await rows<{ n: string }>(db, sql`select count(*)::text as n from einvoice_outbox`);
    expect(queued?.n).toBe("1");

    const credit = await issueCreditNote(db, { number: String(ofPeppol.number), amount: "10.00", reason: "Outage" }, { today: "2026-11-20" });
    if (!credit.ok) throw new Error(credit.message);
    expect(await eInvoiceDeliveries(db, peppol, [credit.creditNote.id])).toMatchObject([{ participantId: PARTICIPANT, status: "pending" }]);
  });
});

describe("delivery without an access point", () => {
  it("writes the UBL to CUMULUS_DATA_DIR/einvoice and records where it went", async () => {
    const accountId = await makeAccount(db, { name: "Fil AB", countryCode: "SE" }, OCTOBER.start);
    await receivesByPeppol(accountId);
    const [invoice] = await billOctober();
    expect(await deliverEInvoices(db)).toEqual({ claimed: 1, sent: 1, failed: 0 });
    const files = fs.readdirSync(path.join(dataDir, "einvoice"));
    expect(files).toHaveLength(1);
    const doc = parseUbl(fs.readFileSync(path.join(dataDir, "einvoice", files[0]!), "utf8"));
    expect(doc.get("cbc:ID").text).toBe(String(invoice!.number));
    const endpoint = doc.get("cac:AccountingCustomerParty", "cac:Party", "cbc:EndpointID");
    expect([endpoint.attr("schemeID"), endpoint.text]).toEqual(["0007", "5567321707"]);
    const [row] = await eInvoiceDeliveries(db, accountId, [invoice!.id]);
    expect(row).toMatchObject({ status: "sent", deliveredTo: path.join(dataDir, "einvoice", files[0]!), attempts: 1 });
    // The invoice page's delivery log, for its own account only.
    expect(await eInvoiceDeliveryOf(db, accountId, invoice!.number)).toMatchObject({ participantId: PARTICIPANT, status: "sent", sentAt: expect.any(Date) });
    const stranger = await makeAccount(db, { name: "Annan AB", countryCode: "SE", usage: [] }, OCTOBER.start);
    expect(await eInvoiceDeliveryOf(db, stranger, invoice!.number)).toBeNull();
    // Nothing is due any more.
    expect(await deliverEInvoices(db)).toEqual({ claimed: 0, sent: 0, failed: 0 });
  });
});

describe("delivery to an access point", () => {
  let server: http.Server;
  let answer = 202;
  /** Runs before the access point answers: a slow access point, or another sender taking the row over. */
  let beforeAnswer: (() => Promise<unknown>) | null = null;
  const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];

  beforeEach(async () => {
    received.length = 0;
    beforeAnswer = null;
    server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString("utf8")));
      req.on("end", async () => {
        received.push({ headers: req.headers, body });
        await beforeAnswer?.();
        res.writeHead(answer, answer < 300 ? { location: "https://ap.example/messages/42" } : answer === 429 ? { "retry-after": "600" } : {}).end(answer < 300 ? "" : "no such participant");
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    process.env.PEPPOL_ACCESS_POINT_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/outbound`;
    process.env.PEPPOL_ACCESS_POINT_TOKEN = "ap-token-123";
    resetEnvCache();
  });

  afterEach(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("POSTs the UBL with the receiver, the sender and the token, and keeps the access point's message address", async () => {
    answer = 202;
    const accountId = await makeAccount(db, { name: "AP AB", countryCode: "SE" }, OCTOBER.start);
    await receivesByPeppol(accountId, "0088:7300010000001");
    const [invoice] = await billOctober();
    expect(await deliverEInvoices(db)).toMatchObject({ sent: 1 });
    expect(received).toHaveLength(1);
    expect(received[0]!.headers).toMatchObject({
      authorization: "Bearer ap-token-123",
      "x-peppol-receiver": "0088:7300010000001",
      "x-peppol-sender": "0007:5590000001",
      "content-type": "application/xml; charset=utf-8",
    });
    expect(parseUbl(received[0]!.body).get("cbc:ID").text).toBe(String(invoice!.number));
    expect(fs.existsSync(path.join(dataDir, "einvoice"))).toBe(false);
    expect(await eInvoiceDeliveries(db, accountId, [invoice!.id])).toMatchObject([{ status: "sent", deliveredTo: "https://ap.example/messages/42" }]);
  });

  it("addresses the XML to the participant the document was queued for, like the receiver header, after the account changed its id", async () => {
    answer = 202;
    const accountId = await makeAccount(db, { name: "Byte AB", countryCode: "SE" }, OCTOBER.start);
    await receivesByPeppol(accountId, "0088:7300010000001");
    await billOctober();
    await receivesByPeppol(accountId, PARTICIPANT);
    expect(await deliverEInvoices(db)).toMatchObject({ sent: 1 });
    expect(received[0]!.headers["x-peppol-receiver"]).toBe("0088:7300010000001");
    const endpoint = parseUbl(received[0]!.body).get("cac:AccountingCustomerParty", "cac:Party", "cbc:EndpointID");
    expect([endpoint.attr("schemeID"), endpoint.text]).toEqual(["0088", "7300010000001"]);
  });

  it("retries after a server error and gives up at once on a refusal", async () => {
    const accountId = await makeAccount(db, { name: "Retry AB", countryCode: "SE" }, OCTOBER.start);
    await receivesByPeppol(accountId);
    const [invoice] = await billOctober();
    answer = 503;
    expect(await deliverEInvoices(db)).toMatchObject({ claimed: 1, sent: 0, failed: 1 });
    expect(await eInvoiceDeliveries(db, accountId, [invoice!.id])).toMatchObject([{ status: "pending", attempts: 1, lastError: expect.stringContaining("503") }]);
    // Due again now (instead of after the backoff), and the access point refuses it.
    await db.execute(sql`update einvoice_outbox set next_attempt_at = now()`);
    answer = 422;
    expect(await deliverEInvoices(db)).toMatchObject({ claimed: 1, failed: 1 });
    expect(await eInvoiceDeliveries(db, accountId, [invoice!.id])).toMatchObject([{ status: "failed", attempts: 2, lastError: expect.stringContaining("no such participant") }]);
    await db.execute(sql`update einvoice_outbox set next_attempt_at = now()`);
    expect(await deliverEInvoices(db)).toMatchObject({ claimed: 0 });
  });

  it("retries a 408, 409, 425 or 429 instead of giving up, after the wait a Retry-After asks for", async () => {
    const accountId = await makeAccount(db, { name: "Vänta AB", countryCode: "SE" }, OCTOBER.start);
    await receivesByPeppol(accountId);
    const [invoice] = await billOctober();
    for (const [i, status] of [408, 409, 425, 429].entries()) {
      await db.execute(sql`update einvoice_outbox set next_attempt_at = now()`);
      answer = status;
      expect(await deliverEInvoices(db)).toMatchObject({ claimed: 1, failed: 1 });
      expect(await eInvoiceDeliveries(db, accountId, [invoice!.id])).toMatchObject([{ status: "pending", attempts: i + 1, lastError: expect.stringContaining(String(status)) }]);
    }
    // The 429 asked for 600 s, longer than the backoff after 4 attempts (8 min).
    const [wait] = await rows<{ s: string }>(db, sql`select extract(epoch from next_attempt_at - now())::int::text as s from einvoice_outbox`);
    expect(Number(wait!.s)).toBeGreaterThan(590);
    expect(Number(wait!.s)).toBeLessThanOrEqual(600);
  });

  it("claims nothing more once the time budget is spent", async () => {
    answer = 202;
    for (const name of ["Först AB", "Sist AB"]) await receivesByPeppol(await makeAccount(db, { name, countryCode: "SE" }, OCTOBER.start));
    await billOctober();
    beforeAnswer = () => new Promise((resolve) => setTimeout(resolve, 300));
    expect(await deliverEInvoices(db, { timeBudgetMs: 100 })).toEqual({ claimed: 1, sent: 1, failed: 0 });
    const statuses = await rows<{ status: string }>(db, sql`select status::text as status from einvoice_outbox order by status`);
    expect(statuses.map((r) => r.status)).toEqual(["pending", "sent"]);
  });

  it("does not overwrite the claim of a sender that took the row over after the lease ran out", async () => {
    answer = 202;
    const accountId = await makeAccount(db, { name: "Lån AB", countryCode: "SE" }, OCTOBER.start);
    await receivesByPeppol(accountId);
    const [invoice] = await billOctober();
    // While this sender waits for the access point, its lease runs out and another sender claims the row.
    beforeAnswer = () => db.execute(sql`update einvoice_outbox set attempts = attempts + 1, locked_until = now() + interval '2 minutes'`);
    await deliverEInvoices(db);
    expect(await eInvoiceDeliveries(db, accountId, [invoice!.id])).toMatchObject([{ status: "sending", attempts: 2, deliveredTo: null }]);
  });
});

describe("Receive invoices by", () => {
  it("saves the choice and the participant id with an audit row; Peppol without a participant id is refused by the database", async () => {
    const accountId = await makeAccount(db, { name: "Inställning AB", countryCode: "SE", usage: [] }, OCTOBER.start);
    const [user] = await rows<{ id: string }>(db, sql`insert into users (account_id, email, name, password_hash, invoice_access) values (${accountId}::uuid, 'full@example.com', 'Full', 'x', 'full') returning id::text as id`);
    await updateInvoiceSettings(db, accountId, user!.id, { receiveInvoicesByEmail: false, receiveInvoicesByPeppol: true, peppolParticipantId: PARTICIPANT, language: "sv", automaticPayment: false });
    const [saved] = await db.select({ byEmail: accounts.receiveInvoicesByEmail, byPeppol: accounts.receiveInvoicesByPeppol, id: accounts.peppolParticipantId }).from(accounts).where(eq(accounts.id, accountId));
    expect(saved).toEqual({ byEmail: false, byPeppol: true, id: PARTICIPANT });
    const [event] = await db.select().from(auditEvents).where(eq(auditEvents.action, "invoice_settings.updated"));
    expect(event).toMatchObject({ accountId, actorUserId: user!.id, before: { receiveInvoicesByPeppol: false, peppolParticipantId: null }, after: { receiveInvoicesByPeppol: true, peppolParticipantId: PARTICIPANT } });
    await expect(db.update(accounts).set({ peppolParticipantId: null }).where(eq(accounts.id, accountId))).rejects.toThrow();
  });
});
