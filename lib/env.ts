/**
 * The one place that reads process.env. Validated lazily (on first use) so that `next build`
 * never needs runtime secrets, and cached afterwards.
 */
import path from "node:path";
import { z } from "zod";
import { bankDetailsProblem, compactBic, electronicIban, formatBankgiro } from "@/lib/bank-details";

/** A yes/no setting: 1/true/yes or 0/false/no; unset or empty means `unset`. */
const flag = (unset: boolean) =>
  z
    .enum(["1", "0", "true", "false", "yes", "no", ""])
    .optional()
    .transform((v) => (v === undefined || v === "" ? unset : v === "1" || v === "true" || v === "yes"));
const bool = flag(false);
/** A positive whole number, or undefined when absent or invalid (the caller's default then applies). */
const positiveIntOrDefault = z.preprocess((v) => {
  const n = Number(v);
  return v && Number.isInteger(n) && n > 0 ? n : undefined;
}, z.number().optional());

/** A bank detail checked at start (lib/bank-details.ts); unset or empty is undefined. */
const bankDetail = (check: (value: string) => unknown) =>
  z.preprocess(
    (v) => (v === "" ? undefined : v),
    z
      .string()
      .superRefine((value, ctx) => {
        const problem = bankDetailsProblem(check, value);
        if (problem) ctx.addIssue({ code: "custom", message: problem });
      })
      .optional(),
  );

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** A PostgreSQL server; without it the embedded PGlite database in CUMULUS_DATA_DIR is used. */
  DATABASE_URL: z.preprocess((v) => (v === "" ? undefined : v), z.url({ protocol: /^postgres(ql)?$/ }).optional()),
  /** Pool size per server process on PostgreSQL. */
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
  /**
   * Named prepared statements on PostgreSQL (default on). Off only behind a pooler in transaction
   * mode (e.g. PgBouncer before 1.21), which cannot keep a statement between transactions.
   */
  DATABASE_PREPARE: flag(true),
  CUMULUS_DATA_DIR: z.string().min(1).default(".data"),
  /** Production refuses the embedded database unless this explicit opt-in is given. */
  CUMULUS_ALLOW_EMBEDDED: bool,
  AUTH_SECRET: z.string().optional(),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** The card payment provider: the embedded test provider, or Stripe Checkout. */
  PAYMENT_PROVIDER: z.enum(["sandbox", "stripe"]).default("sandbox"),
  /**
   * Production refuses the sandbox provider (its test cards mark invoices paid with no money
   * received) unless this explicit opt-in is given; `npm start` on the embedded demo sets it.
   */
  CUMULUS_ALLOW_SANDBOX: bool,
  /** `npm run db:roles`: the application role's password (it is checked there, with its message). */
  CUMULUS_APP_PASSWORD: z.string().optional(),
  /** Signs the sandbox provider's callbacks; derived from AUTH_SECRET when unset. */
  SANDBOX_WEBHOOK_SECRET: z.string().min(16).optional(),
  STRIPE_SECRET_KEY: z.string().optional(),
  STRIPE_WEBHOOK_SECRET: z.string().optional(),
  /** Point the Stripe client at another API server (tests use a local one). */
  STRIPE_API_HOST: z.string().optional(),
  STRIPE_API_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  STRIPE_API_PROTOCOL: z.enum(["http", "https"]).optional(),
  /** The provider block printed on invoices and shown for bank transfers. */
  CUMULUS_PROVIDER_NAME: z.string().default("Cumulus Cloud AB"),
  /** Street and postal lines, without the country: documents name CUMULUS_PROVIDER_COUNTRY in their own language. */
  CUMULUS_PROVIDER_ADDRESS: z.string().default("Molnvägen 1|111 21 Stockholm"),
  CUMULUS_PROVIDER_COUNTRY: z
    .string()
    .regex(/^[A-Z]{2}$/, "CUMULUS_PROVIDER_COUNTRY is an ISO 3166-1 alpha-2 code, like SE.")
    .default("SE"),
  CUMULUS_PROVIDER_ORG_NUMBER: z.string().default("559000-0001"),
  CUMULUS_PROVIDER_VAT_NUMBER: z.string().default("SE559000000101"),
  /**
   * The provider's bank account (lib/provider.ts): unset, all three describe the demo provider's;
   * once any is set, the IBAN is required and an unset BIC or bankgiro is none.
   */
  CUMULUS_PROVIDER_IBAN: bankDetail(electronicIban),
  CUMULUS_PROVIDER_BIC: bankDetail(compactBic),
  CUMULUS_PROVIDER_BANKGIRO: bankDetail(formatBankgiro),
  CUMULUS_PROVIDER_EMAIL: z.string().default("billing@cumulus.example"),
  CUMULUS_PROVIDER_WEB: z.string().default("https://cumulus.example"),
  /** The provider's own Peppol participant id (seller EndpointID); default `0007:` + CUMULUS_PROVIDER_ORG_NUMBER for a Swedish provider. */
  CUMULUS_PROVIDER_PEPPOL_ID: z.preprocess((v) => (v === "" ? undefined : v), z.string().optional()),
  /**
   * The Peppol access point that delivers e-invoices (docs/einvoice.md): each UBL document is
   * POSTed there. Without it every e-invoice is written to $CUMULUS_DATA_DIR/einvoice/*.xml.
   */
  PEPPOL_ACCESS_POINT_URL: z.preprocess((v) => (v === "" ? undefined : v), z.url({ protocol: /^https?$/ }).optional()),
  /** Bearer token for PEPPOL_ACCESS_POINT_URL. */
  PEPPOL_ACCESS_POINT_TOKEN: z.preprocess((v) => (v === "" ? undefined : v), z.string().optional()),
  /**
   * Outgoing mail server, e.g. smtp://user:pass@smtp.example.com:587 or smtps://…:465. Without it
   * every message is written to $CUMULUS_DATA_DIR/mail/*.eml and its subject and recipients logged.
   */
  SMTP_URL: z.preprocess((v) => (v === "" ? undefined : v), z.url({ protocol: /^smtps?$/ }).optional()),
  /** Sender of every email, e.g. `"Cumulus Billing" <billing@example.com>`; default: provider name and email. */
  MAIL_FROM: z.preprocess((v) => (v === "" ? undefined : v), z.string().optional()),
  /**
   * The panel's public origin (https://billing.example.com): links in emails, the payment
   * provider's return address, the sandbox's webhook target, the CSRF check and Auth.js all use
   * it, never a request's Host or X-Forwarded-* headers. Required in production; elsewhere
   * http://localhost:PORT.
   */
  APP_URL: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z
      .url({ protocol: /^https?$/ })
      .refine((v) => /^[^:]+:\/\/[^/?#]+\/?$/.test(v), "give the origin only (scheme, host and port), without a path")
      .optional(),
  ),
  /**
   * How many proxies of our own stand in front of the app, each appending to X-Forwarded-For:
   * the per-address login limit takes the client from the entry the outermost one appended
   * (lib/auth/client-address.ts). 0 (no proxy): no per-address limit, as any value could be forged.
   */
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  /** Bearer secret of the outbox cron route (/api/cron/outbox); Vercel Cron sends it. Unset: the route answers 503. */
  CRON_SECRET: z.preprocess((v) => (v === "" ? undefined : v), z.string().min(16).optional()),
  /** How often the server process sends queued email (ms); 0 turns the in-process sender off. */
  CUMULUS_OUTBOX_INTERVAL_MS: z.coerce.number().int().min(0).default(5000),
  /** Set by Vercel on its builds and functions ("1"): nothing runs between requests there. */
  VERCEL: bool,
  /** Set by Next.js; "phase-production-build" while `next build` runs. */
  NEXT_PHASE: z.string().optional(),

  // The PDF renderer (lib/pdf): its worker pool, their priority and the fonts.
  /** Render worker threads (default: the CPUs, at most 4). */
  CUMULUS_PDF_WORKERS: positiveIntOrDefault,
  /** A worker is replaced after this many documents (default 5000)… */
  CUMULUS_PDF_RECYCLE_AFTER_JOBS: positiveIntOrDefault,
  /** …or once its heap is over this many MB (default 256). */
  CUMULUS_PDF_RECYCLE_HEAP_MB: positiveIntOrDefault,
  /** A document that takes longer fails and its worker is replaced (default 20000 ms). */
  CUMULUS_PDF_TIMEOUT_MS: positiveIntOrDefault,
  /** Nice value of the render threads on Linux, 1–19 (default 10); anything else leaves them at normal priority. */
  CUMULUS_PDF_NICE: z.preprocess((v) => (v === undefined ? 10 : Number(v)), z.number()),
  /** The folder holding DejaVuSans.ttf and DejaVuSans-Bold.ttf, when not lib/pdf/fonts. */
  CUMULUS_PDF_FONT_DIR: z.preprocess((v) => (v === "" ? undefined : v), z.string().optional()),
}).refine(
  (e) => e.CUMULUS_PROVIDER_IBAN !== undefined || (e.CUMULUS_PROVIDER_BIC === undefined && e.CUMULUS_PROVIDER_BANKGIRO === undefined),
  { path: ["CUMULUS_PROVIDER_IBAN"], message: "set the provider's IBAN along with its BIC or bankgiro number" },
);

export type Env = z.infer<typeof schema> & { dataDir: string; embedded: boolean };

let cached: Env | undefined;

export function env(): Env {
  if (cached) return cached;
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`Cumulus: invalid environment\n${problems}`);
  }
  const e = parsed.data;
  cached = {
    ...e,
    DATABASE_URL: e.DATABASE_URL || undefined,
    dataDir: path.resolve(e.CUMULUS_DATA_DIR),
    embedded: !e.DATABASE_URL,
  };
  return cached;
}

/** The panel's own origin, e.g. https://billing.example.com: APP_URL, else http://localhost:PORT. */
export function appOrigin(e: Env = env()): string {
  return e.APP_URL ? new URL(e.APP_URL).origin : `http://localhost:${e.PORT}`;
}

/**
 * next-auth reads AUTH_URL from process.env itself: with it set, every URL Auth.js builds (its
 * redirects, the cookies' Secure flag and prefixes) comes from this origin, and without it from
 * the request's Host and X-Forwarded-Host/-Proto headers. So it always follows APP_URL.
 */
export function pointAuthJsAtAppOrigin(): void {
  process.env.AUTH_URL = appOrigin();
}

/** Tests switch databases between files. */
export function resetEnvCache() {
  cached = undefined;
}
