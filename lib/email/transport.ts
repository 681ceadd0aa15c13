/**
 * How a message leaves: nodemailer over SMTP when SMTP_URL is set; otherwise (the embedded
 * default) each message is written to $CUMULUS_DATA_DIR/mail/<timestamp>-<outbox id>.eml and
 * one line with its recipients and subject is logged, so a person trying the demo can open the
 * file and read, say, a verification code. Bodies are never logged.
 */
import fs from "node:fs/promises";
import path from "node:path";
import nodemailer from "nodemailer";
import { env } from "@/lib/env";

export type OutgoingAttachment = { filename: string; content: Buffer; contentType: string };

export type OutgoingMail = {
  /** The email_outbox row, named in a header and in the .eml file's name. */
  outboxId: bigint;
  to: string[];
  subject: string;
  text: string;
  html?: string | null;
  attachments?: OutgoingAttachment[];
};

/** A recipient the server refused; `permanent` for a 5xx answer, false for a 4xx (try later). */
export type RejectedRecipient = { recipient: string; error: string; permanent: boolean };

export type SendOutcome = {
  messageId: string | null;
  accepted: string[];
  rejected: RejectedRecipient[];
  /** The .eml file written by the file transport. */
  savedTo?: string;
};

/**
 * The message as a whole was not sent (connection refused, timeout, MAIL FROM or DATA refused)
 * or every recipient was refused (then `rejected` lists them).
 */
export class MailSendError extends Error {
  override readonly name = "MailSendError";
  constructor(
    message: string,
    readonly rejected: RejectedRecipient[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface Mailer {
  readonly kind: "smtp" | "file";
  send(mail: OutgoingMail): Promise<SendOutcome>;
  close(): void;
}

/** Limits that keep one send well inside the sender's 2-minute claim on a message. */
const SMTP_TIMEOUTS = { connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 30_000, dnsTimeout: 10_000 };

function fromAddress(): string | { name: string; address: string } {
  const e = env();
  return e.MAIL_FROM ?? { name: e.CUMULUS_PROVIDER_NAME, address: e.CUMULUS_PROVIDER_EMAIL };
}

function message(mail: OutgoingMail) {
  return {
    from: fromAddress(),
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    ...(mail.html ? { html: mail.html } : {}),
    attachments: mail.attachments?.map((a) => ({ filename: a.filename, content: a.content, contentType: a.contentType })),
    headers: { "X-Cumulus-Outbox-Id": String(mail.outboxId) },
  };
}

type SmtpError = Error & {
  code?: string;
  response?: string;
  responseCode?: number;
  recipient?: string;
  rejectedErrors?: SmtpError[];
};

/** One line for the delivery log: the server's reply when there is one, never a stack. */
export function smtpErrorText(err: unknown): string {
  const e = err as SmtpError;
  const text = (e?.response ?? e?.message ?? String(err)).replace(/\s+/g, " ").trim();
  return text.length > 500 ? `${text.slice(0, 497)}...` : text;
}

function rejectedFrom(errors: SmtpError[] | undefined, fallback: string[]): RejectedRecipient[] {
  const list = (errors ?? []).map((e) => ({
    recipient: e.recipient ?? "",
    error: smtpErrorText(e),
    permanent: (e.responseCode ?? 500) >= 500,
  }));
  // Recipients nodemailer listed as rejected without an error object still count as refused.
  for (const r of fallback) if (!list.some((x) => x.recipient === r)) list.push({ recipient: r, error: "rejected", permanent: true });
  return list;
}

function smtpMailer(url: string): Mailer {
  const transporter = nodemailer.createTransport({ url, ...SMTP_TIMEOUTS });
  return {
    kind: "smtp",
    async send(mail) {
      try {
        const info = await transporter.sendMail(message(mail));
        const rejectedList = (info.rejected ?? []).map(String);
        return {
          messageId: info.messageId ?? null,
          accepted: (info.accepted ?? []).map(String),
          rejected: rejectedFrom((info as { rejectedErrors?: SmtpError[] }).rejectedErrors, rejectedList),
        };
      } catch (err) {
        const e = err as SmtpError & { rejected?: string[] };
        const rejected = e.code === "EENVELOPE" && e.rejectedErrors?.length ? rejectedFrom(e.rejectedErrors, e.rejected ?? []) : [];
        throw new MailSendError(smtpErrorText(err), rejected, { cause: err });
      }
    },
    close: () => transporter.close(),
  };
}

/** Relative to the working directory when inside it (`.data/mail/…`), else absolute. */
function shortPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : file;
}

function fileMailer(dataDir: string): Mailer {
  const transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  const dir = path.join(dataDir, "mail");
  return {
    kind: "file",
    async send(mail) {
      const info = await transporter.sendMail(message(mail));
      await fs.mkdir(dir, { recursive: true });
      const stamp = new Date().toISOString().replace(/[:.]/g, "-");
      const file = path.join(dir, `${stamp}-${mail.outboxId}.eml`);
      // Written under a temporary name first: a reader never sees half a message.
      await fs.writeFile(`${file}.tmp`, info.message as Buffer);
      await fs.rename(`${file}.tmp`, file);
      console.info(`mail: to ${mail.to.join(", ")} — subject "${mail.subject}" (saved to ${shortPath(file)})`);
      return { messageId: info.messageId ?? null, accepted: [...mail.to], rejected: [], savedTo: file };
    },
    close: () => transporter.close(),
  };
}

// One transport per configuration; a changed environment (tests) gets a new one.
const cache: { key?: string; mailer?: Mailer } = {};

/** The process's mailer for the current environment. */
export function getMailer(): Mailer {
  const e = env();
  const key = e.SMTP_URL ? `smtp:${e.SMTP_URL}` : `file:${e.dataDir}`;
  if (cache.mailer && cache.key === key) return cache.mailer;
  cache.mailer?.close();
  cache.key = key;
  cache.mailer = e.SMTP_URL ? smtpMailer(e.SMTP_URL) : fileMailer(e.dataDir);
  return cache.mailer;
}

export function closeMailer(): void {
  cache.mailer?.close();
  cache.mailer = undefined;
  cache.key = undefined;
}
