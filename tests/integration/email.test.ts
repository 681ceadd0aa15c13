/**
 * Email delivery against a real SMTP server on localhost (smtp-server), messages read back
 * with mailparser: who receives the invoice email (the verified Billing addresses, no one else),
 * its subject, bodies and attached PDF; refused recipients, a server that is down (retries with
 * backoff), the .eml file transport of the embedded default, the cron route's secret, and two
 * senders draining at once (each message delivered exactly once).
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { and, eq, sql } from "drizzle-orm";
import { simpleParser, type AddressObject, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { rows } from "@/db/client";
import { accounts, contactEmails, emailDeliveries, emailOutbox, invoices } from "@/db/schema";
import { enqueueEmail, enqueueInvoiceEmail, queueInvoiceEmail } from "@/lib/email/outbox";
import { BACKOFF_BASE_MS, drainOutbox, MAX_ATTEMPTS, outboxSender, sendOutboxSoon, startOutboxSender } from "@/lib/email/sender";
import { verificationEmail } from "@/lib/email/templates";
import { closeMailer } from "@/lib/email/transport";
import { resetEnvCache } from "@/lib/env";
import { getInvoiceDetail } from "@/lib/invoices/detail";
import { invoicePdf, pdfFileName } from "@/lib/invoices/pdf";
import { formatMoney } from "@/lib/money";
import { closePdfPool } from "@/lib/pdf/render";
import { runScript } from "@/scripts/lib/run-script";
import { setupTestDatabase } from "../setup/db";
import { freshDemo } from "./helpers";

const TODAY = "2026-11-25";
const { db, kind, url } = await setupTestDatabase();

// ─── A real SMTP server on 127.0.0.1 ─────────────────────────────────────────────────────
type Received = { envelopeTo: string[]; raw: Buffer; mail: ParsedMail };
type Smtp = { port: number; received: Received[]; close: () => Promise<void> };
const servers: Smtp[] = [];

/** `refuse` maps an address to the SMTP code its RCPT TO is answered with (e.g. 550, 451). */
async function startSmtp(opts: { refuse?: Record<string, number>; delayMs?: number } = {}): Promise<Smtp> {
  const received: Received[] = [];
  const pending: Promise<void>[] = [];
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onRcptTo(address, _session, callback) {
      const code = opts.refuse?.[address.address.toLowerCase()];
      if (!code) return callback();
      const err = new Error(code >= 500 ? "No such user here" : "Mailbox busy, try again later") as Error & { responseCode: number };
      err.responseCode = code;
      callback(err);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks);
        const envelopeTo = session.envelope.rcptTo.map((r) => r.address);
        const parsing = simpleParser(raw).then((mail) => {
          received.push({ envelopeTo, raw, mail });
        });
        pending.push(parsing);
        const done = () => callback();
        if (opts.delayMs) setTimeout(done, opts.delayMs);
        else parsing.then(done, done);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as net.AddressInfo).port;
  const smtp: Smtp = {
    port,
    get received() {
      return received;
    },
    close: async () => {
      await Promise.allSettled(pending);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  servers.push(smtp);
  return smtp;
}

function useSmtp(port: number) {
  process.env.SMTP_URL = `smtp://127.0.0.1:${port}`;
  resetEnvCache();
}

/** A port where nothing listens. */
async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

const addresses = (a: AddressObject | AddressObject[] | undefined) =>
  (Array.isArray(a) ? a : a ? [a] : []).flatMap((x) => x.value.map((v) => v.address ?? "")).sort();

function pdfText(bytes: Uint8Array): string {
  const file = path.join(os.tmpdir(), `cumulus-email-${process.pid}-${Math.random().toString(36).slice(2)}.pdf`);
  fs.writeFileSync(file, bytes);
  try {
    return execFileSync("pdftotext", ["-enc", "UTF-8", file, "-"], { encoding: "utf8" });
  } finally {
    fs.rmSync(file, { force: true });
  }
}

// ─── Data ─────────────────────────────────────────────────────────────────────────────────
let accountId = "";
let otherAccountId = "";
/** Last month's invoice of Example Cloud Customer AB: outstanding, not yet due. */
let invoice: { id: string; number: number; invoiceDate: string; dueDate: string; totalMinor: bigint; currency: string; paymentReference: string };

const BILLING = ["billing2@example.com", "demo@example.com"];

beforeEach(async () => {
  ({ accountId, otherAccountId } = await freshDemo(db, TODAY));
  const [i] = await db
    .select({
      id: invoices.id,
      number: invoices.number,
      invoiceDate: invoices.invoiceDate,
      dueDate: invoices.dueDate,
      totalMinor: invoices.totalMinor,
      currency: invoices.currency,
      paymentReference: invoices.paymentReference,
    })
    .from(invoices)
    .where(and(eq(invoices.accountId, accountId), eq(invoices.type, "invoice")))
    .orderBy(sql`${invoices.invoiceDate} desc`)
    .limit(1);
  invoice = i!;
  const verified = new Date("2026-11-01T10:00:00Z");
  await db.insert(contactEmails).values([
    // A second verified Billing address: receives the invoice too.
    { accountId, email: "billing2@example.com", verifiedAt: verified, isBilling: true },
    // Verified, but Tech only: no invoice.
    { accountId, email: "tech@example.com", verifiedAt: verified, isTech: true },
    // Not verified (so it can hold no role): no invoice.
    { accountId, email: "pending@example.com", verificationCodeHash: "x", verificationExpiresAt: new Date("2026-11-26T00:00:00Z") },
  ]);
});

afterEach(async () => {
  await outboxSender()?.stop();
  vi.restoreAllMocks();
  delete process.env.SMTP_URL;
  delete process.env.CRON_SECRET;
  resetEnvCache();
  closeMailer();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

afterAll(async () => {
  await closePdfPool();
});

const outboxRows = () => db.select().from(emailOutbox).orderBy(emailOutbox.id);
const deliveryRows = () =>
  db
    .select({ recipient: emailDeliveries.recipient, status: emailDeliveries.status, error: emailDeliveries.error, invoiceId: emailDeliveries.invoiceId, outboxId: emailDeliveries.outboxId, messageId: emailDeliveries.messageId })
    .from(emailDeliveries)
    .orderBy(emailDeliveries.recipient, emailDeliveries.id);
/** Seconds from the database's now() to the row's next attempt. */
async function secondsUntilNextAttempt(id: bigint): Promise<number> {
  const [r] = await rows<{ s: string }>(db, sql`select extract(epoch from (next_attempt_at - now()))::text as s from email_outbox where id = ${id}`);
  return Number(r!.s);
}
const makeDue = (id: bigint) => db.update(emailOutbox).set({ nextAttemptAt: sql`now() - interval '1 second'` }).where(eq(emailOutbox.id, id));

// ─── Tests ────────────────────────────────────────────────────────────────────────────────
describe("the invoice email over SMTP", () => {
  it("goes to every verified Billing address and no one else, with subject, bodies and the invoice's PDF", async () => {
    const smtp = await startSmtp();
    useSmtp(smtp.port);
    // Queued in the same transaction as its cause.
    const queued = await db.transaction((tx) => enqueueInvoiceEmail(tx, accountId, invoice.id));
    expect(queued?.recipients).toEqual(BILLING);

    const started = performance.now();
    const result = await drainOutbox(db, { workerId: "test" });
    console.log(`[${kind}] invoice email rendered and sent in ${(performance.now() - started).toFixed(0)} ms`);
    expect(result).toMatchObject({ claimed: 1, sent: 1, retrying: 0, failed: 0, accepted: 2, rejected: 0 });

    expect(smtp.received).toHaveLength(1);
    const { envelopeTo, mail } = smtp.received[0]!;
    expect([...envelopeTo].sort()).toEqual(BILLING);
    expect(addresses(mail.to)).toEqual(BILLING);
    expect(mail.cc).toBeUndefined();
    expect(mail.bcc).toBeUndefined();
    expect(addresses(mail.from)).toEqual(["billing@cumulus.example"]);
    expect(mail.subject).toBe(`Invoice ${invoice.number} from Cumulus, due ${invoice.dueDate}`);

    const amount = formatMoney(invoice.totalMinor, invoice.currency, "en");
    const link = `http://localhost:${process.env.PORT ?? 3000}/invoices/${invoice.number}`;
    for (const body of [mail.text!, mail.html as string]) {
      expect(body).toContain(amount);
      expect(body).toContain(invoice.dueDate);
      expect(body).toContain(invoice.paymentReference);
      expect(body).toContain(link);
    }
    expect(mail.html).toContain(`href="${link}"`);

    expect(mail.attachments).toHaveLength(1);
    const pdf = mail.attachments[0]!;
    expect(pdf.filename).toBe(pdfFileName(invoice));
    expect(pdf.contentType).toBe("application/pdf");
    expect(pdf.content.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(pdfText(pdf.content)).toContain(String(invoice.number));
    // The very PDF the panel serves for this invoice.
    const detail = (await getInvoiceDetail(db, accountId, invoice.number, TODAY))!;
    expect(Buffer.compare(pdf.content, Buffer.from((await invoicePdf(db, detail, "en")).bytes))).toBe(0);

    const [row] = await outboxRows();
    expect(row).toMatchObject({ status: "sent", attempts: 1, kind: "invoice", invoiceId: invoice.id, lastError: null });
    expect(row!.sentAt).toBeInstanceOf(Date);
    const deliveries = await deliveryRows();
    expect(deliveries.map((d) => [d.recipient, d.status, d.invoiceId])).toEqual(BILLING.map((r) => [r, "accepted", invoice.id]));
    expect(deliveries.every((d) => d.messageId === mail.messageId)).toBe(true);
    // The invoice's detail page shows this log.
    expect(detail.deliveries.map((d) => [d.recipient, d.status]).sort()).toEqual(BILLING.map((r) => [r, "accepted"]));

    // Nothing more to send: the same invoice is not queued twice, and a second drain sends nothing.
    vi.spyOn(console, "info").mockImplementation(() => {});
    expect(await db.transaction((tx) => enqueueInvoiceEmail(tx, accountId, invoice.id))).toBeNull();
    expect((await drainOutbox(db)).claimed).toBe(0);
    expect(smtp.received).toHaveLength(1);
  });

  it("is in Swedish for a Swedish account", async () => {
    const smtp = await startSmtp();
    useSmtp(smtp.port);
    await db.update(accounts).set({ language: "sv" }).where(eq(accounts.id, accountId));
    await db.transaction((tx) => enqueueInvoiceEmail(tx, accountId, invoice.id));
    await drainOutbox(db);
    const { mail } = smtp.received[0]!;
    expect(mail.subject).toBe(`Faktura ${invoice.number} från Cumulus, förfaller ${invoice.dueDate}`);
    const amount = formatMoney(invoice.totalMinor, invoice.currency, "sv");
    expect(mail.text).toContain(amount);
    expect(mail.text).toContain("Förfallodag");
    expect(mail.html).toContain('lang="sv"');
    expect(mail.attachments[0]!.filename).toBe(pdfFileName(invoice));
  });

  it("is not queued without a verified Billing address, nor when the cause's transaction rolls back", async () => {
    await db.update(contactEmails).set({ isBilling: false }).where(eq(contactEmails.accountId, accountId));
    const info = vi.spyOn(console, "info").mockImplementation(() => {});
    expect(await db.transaction((tx) => enqueueInvoiceEmail(tx, accountId, invoice.id))).toBeNull();
    expect(info.mock.calls.flat().join(" ")).toMatch(/not queued: the account has no verified Billing address/);
    expect(await db.transaction((tx) => queueInvoiceEmail(tx, accountId, invoice.id))).toMatchObject({ status: "skipped", reason: "no_billing_address" });

    await db.update(contactEmails).set({ isBilling: true }).where(eq(contactEmails.email, "demo@example.com"));
    await expect(
      db.transaction(async (tx) => {
        await enqueueInvoiceEmail(tx, accountId, invoice.id);
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(await outboxRows()).toHaveLength(0);
    // Another account's invoice is not this account's to send.
    await expect(db.transaction((tx) => enqueueInvoiceEmail(tx, otherAccountId, invoice.id))).rejects.toThrow(/no invoice/);
  });

  it("records a refused recipient as failed and still delivers to the others", async () => {
    const smtp = await startSmtp({ refuse: { "billing2@example.com": 550 } });
    useSmtp(smtp.port);
    await db.transaction((tx) => enqueueInvoiceEmail(tx, accountId, invoice.id));
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const result = await drainOutbox(db);
    expect(result).toMatchObject({ sent: 1, accepted: 1, rejected: 1 });
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0]!.envelopeTo).toEqual(["demo@example.com"]);
    const d = await deliveryRows();
    expect(d.map((x) => [x.recipient, x.status])).toEqual([
      ["billing2@example.com", "failed"],
      ["demo@example.com", "accepted"],
    ]);
    expect(d[0]!.error).toMatch(/^550 .*No such user/);
    expect(d[0]!.invoiceId).toBe(invoice.id);
    expect((await outboxRows())[0]!.status).toBe("sent");
    expect(warn).not.toHaveBeenCalled();
  });

  it("fails a message whose every recipient is refused for good, without retrying it", async () => {
    const smtp = await startSmtp({ refuse: { "billing2@example.com": 550, "demo@example.com": 553 } });
    useSmtp(smtp.port);
    await db.transaction((tx) => enqueueInvoiceEmail(tx, accountId, invoice.id));
    vi.spyOn(console, "warn").mockImplementation(() => {});
    expect(await drainOutbox(db)).toMatchObject({ claimed: 1, failed: 1, sent: 0, rejected: 2 });
    expect(smtp.received).toHaveLength(0);
    const [row] = await outboxRows();
    expect(row).toMatchObject({ status: "failed", sentAt: null });
    expect((await deliveryRows()).map((x) => x.status)).toEqual(["failed", "failed"]);
  });

  it("retries a recipient refused for now (4xx) later, without sending the others the message again", async () => {
    const busy = await startSmtp({ refuse: { "billing2@example.com": 451 } });
    useSmtp(busy.port);
    const queued = await db.transaction((tx) => enqueueInvoiceEmail(tx, accountId, invoice.id));
    vi.spyOn(console, "warn").mockImplementation(() => {});
    expect(await drainOutbox(db)).toMatchObject({ claimed: 1, retrying: 1, accepted: 1 });
    let [row] = await outboxRows();
    expect(row).toMatchObject({ status: "pending", attempts: 1, recipients: ["billing2@example.com"] });
    expect(row!.lastError).toMatch(/billing2@example.com: 451/);
    expect((await deliveryRows()).map((x) => [x.recipient, x.status])).toEqual([["demo@example.com", "accepted"]]);

    const ok = await startSmtp();
    useSmtp(ok.port);
    await makeDue(queued!.id);
    expect(await drainOutbox(db)).toMatchObject({ claimed: 1, sent: 1, accepted: 1 });
    expect(ok.received.map((r) => r.envelopeTo)).toEqual([["billing2@example.com"]]);
    [row] = await outboxRows();
    expect(row).toMatchObject({ status: "sent", attempts: 2 });
    expect((await deliveryRows()).map((x) => [x.recipient, x.status])).toEqual([
      ["billing2@example.com", "accepted"],
      ["demo@example.com", "accepted"],
    ]);
  });

  it("schedules a retry with exponential backoff while the SMTP server is down, and gives up after the last attempt", async () => {
    useSmtp(await closedPort());
    const queued = await db.transaction((tx) => enqueueInvoiceEmail(tx, accountId, invoice.id));
    const id = queued!.id;
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});

    expect(await drainOutbox(db)).toMatchObject({ claimed: 1, sent: 0, retrying: 1, failed: 0 });
    let [row] = await outboxRows();
    expect(row).toMatchObject({ status: "pending", attempts: 1, sentAt: null, lockedUntil: null });
    expect(row!.lastError).toMatch(/ECONNREFUSED/);
    expect(await secondsUntilNextAttempt(id)).toBeGreaterThan(BACKOFF_BASE_MS / 1000 - 5);
    expect(await secondsUntilNextAttempt(id)).toBeLessThanOrEqual(BACKOFF_BASE_MS / 1000);
    expect(await deliveryRows()).toEqual([]);
    expect(warn.mock.calls.flat().join(" ")).toMatch(/attempt 1\/8 failed, retrying in 1 min/);

    // Not due yet: nothing is claimed.
    expect((await drainOutbox(db)).claimed).toBe(0);

    // Second attempt: twice the wait.
    await makeDue(id);
    expect(await drainOutbox(db)).toMatchObject({ claimed: 1, retrying: 1 });
    [row] = await outboxRows();
    expect(row!.attempts).toBe(2);
    expect(await secondsUntilNextAttempt(id)).toBeGreaterThan((2 * BACKOFF_BASE_MS) / 1000 - 5);

    // The last attempt: given up, a failed delivery per recipient for the invoice's log.
    await db.update(emailOutbox).set({ attempts: MAX_ATTEMPTS - 1 }).where(eq(emailOutbox.id, id));
    await makeDue(id);
    expect(await drainOutbox(db)).toMatchObject({ claimed: 1, failed: 1 });
    [row] = await outboxRows();
    expect(row).toMatchObject({ status: "failed", attempts: MAX_ATTEMPTS, sentAt: null });
    const d = await deliveryRows();
    expect(d.map((x) => [x.recipient, x.status])).toEqual(BILLING.map((r) => [r, "failed"]));
    expect(d[0]!.error).toMatch(/Gave up after 8 attempts: .*ECONNREFUSED/);
    expect((await drainOutbox(db)).claimed).toBe(0);
  });

  it("takes over a message whose sender died mid-send once its claim has expired", async () => {
    const smtp = await startSmtp();
    useSmtp(smtp.port);
    const queued = await db.transaction((tx) => enqueueInvoiceEmail(tx, accountId, invoice.id));
    // A sender claimed it (attempt 1) and died: 'sending' with a lease still running …
    await db.update(emailOutbox).set({ status: "sending", attempts: 1, lockedUntil: sql`now() + interval '1 minute'` }).where(eq(emailOutbox.id, queued!.id));
    expect((await drainOutbox(db)).claimed).toBe(0);
    // … and then expired.
    await db.update(emailOutbox).set({ lockedUntil: sql`now() - interval '1 second'` }).where(eq(emailOutbox.id, queued!.id));
    expect(await drainOutbox(db)).toMatchObject({ claimed: 1, sent: 1 });
    expect(smtp.received).toHaveLength(1);
    expect((await outboxRows())[0]).toMatchObject({ status: "sent", attempts: 2 });
  });
});

describe("enqueueEmail", () => {
  it("queues a message once per dedupe key, and refuses what is not an address", async () => {
    const msg = { accountId, kind: "verification" as const, recipients: ["new@example.com"], subject: "Your code", textBody: "123456", dedupeKey: "verify:1" };
    const first = await db.transaction((tx) => enqueueEmail(tx, msg));
    expect(typeof first?.id).toBe("bigint");
    expect(await db.transaction((tx) => enqueueEmail(tx, msg))).toBeNull();
    await expect(enqueueEmail(db, { ...msg, dedupeKey: null, recipients: ["a@example.com, b@example.com"] })).rejects.toThrow(/Not an email address/);
    await expect(enqueueEmail(db, { ...msg, dedupeKey: null, recipients: [] })).rejects.toThrow(/at least one recipient/);
    await expect(enqueueEmail(db, { ...msg, dedupeKey: null, subject: "a\r\nBcc: x@example.com" })).rejects.toThrow(/one line/);
    expect(await outboxRows()).toHaveLength(1);
  });
});

describe("without SMTP_URL (the embedded default)", () => {
  it("writes each message as an .eml file under CUMULUS_DATA_DIR/mail and logs only its recipients and subject", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cumulus-mail-"));
    const before = process.env.CUMULUS_DATA_DIR;
    process.env.CUMULUS_DATA_DIR = dataDir;
    delete process.env.SMTP_URL;
    resetEnvCache();
    const info = vi.spyOn(console, "info").mockImplementation(() => {});
    try {
      const code = "482913";
      const q = await db.transaction((tx) =>
        // The real template: its code must reach the file and never the log line.
        enqueueEmail(tx, { accountId, kind: "verification", recipients: ["new@example.com"], ...verificationEmail("new@example.com", code, 8) }),
      );
      await db.transaction((tx) => enqueueInvoiceEmail(tx, accountId, invoice.id));
      expect(await drainOutbox(db)).toMatchObject({ claimed: 2, sent: 2 });

      const files = fs.readdirSync(path.join(dataDir, "mail")).sort();
      expect(files).toHaveLength(2);
      expect(files.every((f) => /^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z-\d+\.eml$/.test(f))).toBe(true);
      const verification = files.find((f) => f.endsWith(`-${q!.id}.eml`))!;
      const mail = await simpleParser(fs.readFileSync(path.join(dataDir, "mail", verification)));
      expect(mail.subject).toBe("Your Cumulus verification code");
      expect(mail.text).toContain(code);
      expect(addresses(mail.to)).toEqual(["new@example.com"]);
      const invoiceMail = await simpleParser(fs.readFileSync(path.join(dataDir, "mail", files.find((f) => f !== verification)!)));
      expect(invoiceMail.attachments[0]!.filename).toBe(pdfFileName(invoice));

      const logged = info.mock.calls.map((c) => c.join(" "));
      expect(logged).toContainEqual(expect.stringMatching(/^mail: to new@example\.com — subject "Your Cumulus verification code"/));
      expect(logged).toContainEqual(expect.stringContaining(`mail: to ${BILLING.join(", ")} — subject "Invoice ${invoice.number} from Cumulus`));
      expect(logged.join("\n")).not.toContain(code);
      expect((await deliveryRows()).filter((d) => d.invoiceId === invoice.id).map((d) => d.status)).toEqual(["accepted", "accepted"]);
    } finally {
      process.env.CUMULUS_DATA_DIR = before;
      resetEnvCache();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe("the cron route", () => {
  const call = async (headers: Record<string, string> = {}, method = "GET") => {
    const { GET, POST } = await import("@/app/api/cron/outbox/route");
    return (method === "GET" ? GET : POST)(new Request("http://localhost/api/cron/outbox", { method, headers }));
  };

  it("answers 503 without CRON_SECRET, 401 without the right bearer secret, and drains with it", async () => {
    delete process.env.CRON_SECRET;
    resetEnvCache();
    expect((await call({ authorization: "Bearer anything-at-all-here" })).status).toBe(503);

    const secret = "s3cret-for-the-cron-route-0123456789";
    process.env.CRON_SECRET = secret;
    resetEnvCache();
    const smtp = await startSmtp();
    useSmtp(smtp.port);
    await db.transaction((tx) => enqueueInvoiceEmail(tx, accountId, invoice.id));

    const refused: Record<string, string>[] = [{}, { authorization: "Bearer wrong" }, { authorization: secret }, { authorization: `Bearer ${secret}x` }, { authorization: `bearer ${secret}` }];
    for (const headers of refused) {
      const res = await call(headers);
      expect(res.status).toBe(401);
      expect(res.headers.get("cache-control")).toBe("no-store");
    }
    expect(smtp.received).toHaveLength(0);
    expect((await outboxRows())[0]!.status).toBe("pending");

    const res = await call({ authorization: `Bearer ${secret}` });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ claimed: 1, sent: 1, retrying: 0, failed: 0, accepted: 2, rejected: 0, due: 0 });
    expect(smtp.received).toHaveLength(1);
    const post = await call({ authorization: `Bearer ${secret}` }, "POST");
    expect(await post.json()).toMatchObject({ claimed: 0, due: 0 });
  });
});

describe("the in-process sender", () => {
  it("sends on its timer, at once when woken, and stops; without it sendOutboxSoon sends itself", async () => {
    const smtp = await startSmtp();
    useSmtp(smtp.port);
    const statusOf = async (id: bigint) => (await db.select({ s: emailOutbox.status }).from(emailOutbox).where(eq(emailOutbox.id, id)))[0]!.s;
    const waitUntilSent = async (id: bigint) => {
      for (let i = 0; i < 100 && (await statusOf(id)) !== "sent"; i++) await new Promise((r) => setTimeout(r, 50));
      return statusOf(id);
    };
    const notice = (n: number) =>
      db.transaction((tx) => enqueueEmail(tx, { accountId, kind: "notice", recipients: ["tech@example.com"], subject: `Maintenance ${n}`, textBody: "Tonight." }));

    const first = (await notice(1))!.id;
    const sender = startOutboxSender({ intervalMs: 60_000 });
    expect(startOutboxSender({ intervalMs: 1 })).toBe(sender); // one per process
    expect(outboxSender()).toBe(sender);
    // The first run comes soon after the start …
    expect(await waitUntilSent(first)).toBe("sent");
    // … the next one only after the interval (a minute), unless woken.
    const second = (await notice(2))!.id;
    await new Promise((r) => setTimeout(r, 300));
    expect(await statusOf(second)).toBe("pending");
    await sendOutboxSoon();
    expect(await waitUntilSent(second)).toBe("sent");

    await sender.stop();
    expect(outboxSender()).toBeUndefined();
    // No sender in this process (serverless): sendOutboxSoon sends a small batch itself.
    const third = (await notice(3))!.id;
    await sendOutboxSoon();
    expect(await statusOf(third)).toBe("sent");
    expect(smtp.received.map((r) => r.mail.subject)).toEqual(["Maintenance 1", "Maintenance 2", "Maintenance 3"]);
  });
});

describe("several senders at once", () => {
  it("delivers each message exactly once when two drainers run concurrently", async () => {
    // Slow acceptance widens the window in which both drainers are busy.
    const smtp = await startSmtp({ delayMs: 25 });
    useSmtp(smtp.port);
    const N = 24;
    await db.transaction(async (tx) => {
      for (let n = 0; n < N; n++) {
        await enqueueEmail(tx, { accountId, kind: "notice", recipients: [`n${n}@example.com`], subject: `Notice ${n}`, textBody: `Notice ${n}` });
      }
      await enqueueInvoiceEmail(tx, accountId, invoice.id);
    });
    const [a, b] = await Promise.all([
      drainOutbox(db, { workerId: "a", limit: 100 }),
      drainOutbox(db, { workerId: "b", limit: 100, concurrency: 2 }),
    ]);
    console.log(`[${kind}] concurrent drain: a sent ${a.sent}, b sent ${b.sent}`);
    expect(a.sent + b.sent).toBe(N + 1);
    expect(a.retrying + b.retrying + a.failed + b.failed).toBe(0);
    // Claimed by exactly one of them each.
    expect(new Set([...a.outboxIds, ...b.outboxIds].map(String)).size).toBe(N + 1);
    if (kind === "postgres") {
      expect(a.sent).toBeGreaterThan(0);
      expect(b.sent).toBeGreaterThan(0);
    }

    const ids = smtp.received.map((r) => r.mail.headers.get("x-cumulus-outbox-id") as string);
    expect(ids).toHaveLength(N + 1);
    expect(new Set(ids).size).toBe(N + 1);
    const outbox = await outboxRows();
    expect(outbox.every((r) => r.status === "sent" && r.attempts === 1)).toBe(true);
    expect(await db.$count(emailDeliveries)).toBe(N + 2);
  });
});

describe.runIf(kind === "postgres")("the command-line tools (PostgreSQL)", () => {
  const run = (script: string, args: string[], env: Record<string, string>) =>
    runScript(script, args, { DATABASE_URL: url!, ...env }, { timeoutMs: 60_000 });

  it("`invoices:send -- --invoice N` sends the invoice again and prints the deliveries; `worker --once` drains", async () => {
    const smtp = await startSmtp({ refuse: { "billing2@example.com": 550 } });
    // The first email, already sent: sending again needs a new message.
    await db.transaction((tx) => enqueueInvoiceEmail(tx, accountId, invoice.id));
    const SMTP_URL = `smtp://127.0.0.1:${smtp.port}`;

    const worker = await run("scripts/worker.ts", ["--once"], { SMTP_URL });
    expect(worker.stderr).toBe("");
    expect(worker.code).toBe(0);
    expect(worker.stdout).toMatch(/1 message: 1 sent, 0 to retry, 0 failed; 1 recipient accepted, 1 refused/);
    expect(smtp.received).toHaveLength(1);

    const again = await run("scripts/invoices-send.ts", ["--invoice", String(invoice.number)], { SMTP_URL });
    expect(again.stdout).toContain(`Invoice ${invoice.number}: "Invoice ${invoice.number} from Cumulus, due ${invoice.dueDate}" queued`);
    expect(again.stdout).toMatch(/demo@example\.com\s+accepted/);
    expect(again.stdout).toMatch(/billing2@example\.com\s+FAILED\s+\S+\s+550/);
    expect(again.code).toBe(1); // one recipient was not accepted
    expect(smtp.received).toHaveLength(2);
    expect(smtp.received[1]!.mail.attachments[0]!.filename).toBe(pdfFileName(invoice));
    expect((await outboxRows()).map((r) => r.status)).toEqual(["sent", "sent"]);

    const missing = await run("scripts/invoices-send.ts", ["--invoice", "999999999"], { SMTP_URL });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("There is no invoice 999999999.");
  });
});
