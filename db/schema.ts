/**
 * The whole Cumulus domain (docs/product.md). Money is always `bigint` minor units with an ISO 4217
 * currency; outstanding amounts and invoice status are derived from invoices, payments and
 * credit notes, never stored.
 */
import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  char,
  check,
  customType,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

// drizzle 0.45 has no bytea column: postgres.js returns a Buffer, PGlite a Uint8Array.
export const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => "bytea",
});

/** Timestamps keep millisecond precision so a value read back compares equal to a JS Date. */
const ts = (name: string) => timestamp(name, { withTimezone: true, precision: 3, mode: "date" });
const money = (name: string) => bigint(name, { mode: "bigint" });
const createdAt = (name = "created_at") => ts(name).notNull().defaultNow();

// ─── Enums ────────────────────────────────────────────────────────────────────────────────
export const accountKind = pgEnum("account_kind", ["company", "private"]);
export const invoiceAccess = pgEnum("invoice_access", ["none", "read", "full"]);
export const invoiceLanguage = pgEnum("invoice_language", ["en", "sv"]);
export const invoiceType = pgEnum("invoice_type", ["invoice", "credit_note"]);
export const vatCategory = pgEnum("vat_category", ["standard", "reverse_charge", "export", "exempt"]);
export const paymentProvider = pgEnum("payment_provider", ["sandbox", "stripe", "bank_transfer", "account_credit"]);
export const paymentMethod = pgEnum("payment_method", ["card", "bank_transfer", "account_credit"]);
/** How a card attempt reaches the provider: its hosted page, or the saved card charged off-session. */
export const paymentChannel = pgEnum("payment_channel", ["hosted", "off_session"]);
export const paymentState = pgEnum("payment_state", [
  "pending",
  "processing",
  "requires_action",
  "succeeded",
  "failed",
  "cancelled",
]);
export const outboxStatus = pgEnum("outbox_status", ["pending", "sending", "sent", "failed"]);
export const deliveryStatus = pgEnum("delivery_status", ["accepted", "failed"]);
export const emailKind = pgEnum("email_kind", [
  "invoice",
  "reminder",
  "verification",
  "billing_moved",
  "payment_receipt",
  "notice",
  "card_notice",
  "budget_alert",
]);
export const billingRunStatus = pgEnum("billing_run_status", ["running", "completed", "failed"]);

// ─── Accounts and people ──────────────────────────────────────────────────────────────────
/** A postal address, as entered in Customer Info and as frozen onto an issued invoice. */
export type PostalAddress = {
  name: string;
  careOf?: string | null;
  street: string;
  zipCode: string;
  city: string;
  countryCode: string;
};

export const accounts = pgTable(
  "accounts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kind: accountKind("kind").notNull(),
    /** Company name (company) or the person's full name (private): the name on invoices. */
    name: text("name").notNull(),
    firstName: text("first_name").notNull().default(""),
    lastName: text("last_name").notNull().default(""),
    countryCode: char("country_code", { length: 2 }).notNull(),
    currency: char("currency", { length: 3 }).notNull(),
    /** Language and number format of the panel's amounts, invoices and emails. */
    language: invoiceLanguage("language").notNull().default("en"),
    timeZone: text("time_zone").notNull().default("Europe/Stockholm"),
    /** Read-only in the panel: changed only through support. */
    organisationNumber: text("organisation_number"),
    vatNumber: text("vat_number"),
    purchaseOrder: text("purchase_order"),
    careOf: text("care_of"),
    street: text("street").notNull(),
    zipCode: text("zip_code").notNull(),
    city: text("city").notNull(),
    /** Set when invoices go to a separate billing address. */
    billingAddress: jsonb("billing_address").$type<PostalAddress | null>(),
    receiveInvoicesByEmail: boolean("receive_invoices_by_email").notNull().default(true),
    /** E-invoices (UBL, Peppol BIS Billing 3.0) go to this Peppol participant ("0007:5567321707", lib/einvoice/participant.ts). */
    receiveInvoicesByPeppol: boolean("receive_invoices_by_peppol").notNull().default(false),
    peppolParticipantId: text("peppol_participant_id"),
    automaticPayment: boolean("automatic_payment").notNull().default(false),
    /** Monthly budget excluding VAT in the account's currency; null when none is set (lib/billing/budget.ts). */
    monthlyBudgetMinor: money("monthly_budget_minor"),
    /** Days between invoice date and due date for newly issued invoices. */
    paymentTermsDays: smallint("payment_terms_days").notNull().default(30),
    /**
     * Raised by triggers (migration 0004) whenever an invoice's balance can change: an invoice or
     * credit note issued, a payment succeeding (or no longer), an allocation of a succeeded
     * payment; and (0018) when a column of an invoice that the list or the Dashboard shows
     * changes. The invoice list's summary and pages, and the Dashboard's 24 months, are cached per
     * account and version.
     */
    ledgerVersion: bigint("ledger_version", { mode: "number" }).notNull().default(0),
    /**
     * Raised each time the saved card is added, replaced or removed. A card setup carries the
     * version it was started at and is applied only at that version, so it applies at most once
     * and never after a later change.
     */
    cardVersion: integer("card_version").notNull().default(0),
    createdAt: createdAt(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [
    check("accounts_currency_upper", sql`${t.currency} = upper(${t.currency})`),
    check("accounts_monthly_budget_positive", sql`${t.monthlyBudgetMinor} is null or ${t.monthlyBudgetMinor} > 0`),
    check("accounts_peppol_needs_participant", sql`not ${t.receiveInvoicesByPeppol} or ${t.peppolParticipantId} is not null`),
  ],
);

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    /** Stored lower-cased; unique across the whole panel (it is the login). */
    email: text("email").notNull(),
    name: text("name").notNull(),
    passwordHash: text("password_hash").notNull(),
    isAdmin: boolean("is_admin").notNull().default(false),
    invoiceAccess: invoiceAccess("invoice_access").notNull().default("none"),
    /** Raised to end every session of this user at their next request. */
    sessionVersion: integer("session_version").notNull().default(1),
    passwordChangedAt: ts("password_changed_at"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("users_email_key").on(t.email),
    index("users_account_idx").on(t.accountId),
    check("users_email_lower", sql`${t.email} = lower(${t.email})`),
  ],
);

/**
 * A signed-in session. The session cookie names its row; the data-access layer accepts a cookie
 * only while its row is neither revoked nor past `expires_at` (8 hours from sign-in, however
 * often the cookie is refreshed), so logging out ends it on every server at once.
 */
export const userSessions = pgTable(
  "user_sessions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    expiresAt: ts("expires_at").notNull(),
    revokedAt: ts("revoked_at"),
  },
  (t) => [index("user_sessions_user_idx").on(t.userId)],
);

/**
 * A personal API token (Authorization: Bearer): read-only, acting as its user with the invoice
 * access the user has at each request. Only the token's SHA-256 is kept (lib/auth/secret-token.ts);
 * the token itself is shown once. "Log out everywhere" leaves tokens alone: they are revoked one by one.
 */
export const apiTokens = pgTable(
  "api_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    tokenHash: text("token_hash").notNull(),
    createdAt: createdAt(),
    expiresAt: ts("expires_at").notNull(),
    lastUsedAt: ts("last_used_at"),
    revokedAt: ts("revoked_at"),
  },
  (t) => [uniqueIndex("api_tokens_hash_key").on(t.tokenHash), index("api_tokens_user_idx").on(t.userId)],
);

export const contactEmails = pgTable(
  "contact_emails",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    email: text("email").notNull(),
    verifiedAt: ts("verified_at"),
    isBilling: boolean("is_billing").notNull().default(false),
    isTech: boolean("is_tech").notNull().default(false),
    isDpo: boolean("is_dpo").notNull().default(false),
    /** Hash of the pending 6-digit verification code; single use, cleared on success. */
    verificationCodeHash: text("verification_code_hash"),
    verificationExpiresAt: ts("verification_expires_at"),
    verificationAttempts: smallint("verification_attempts").notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("contact_emails_account_email_key").on(t.accountId, t.email),
    // An unverified address holds no role.
    check(
      "contact_emails_roles_need_verification",
      sql`${t.verifiedAt} is not null or not (${t.isBilling} or ${t.isTech} or ${t.isDpo})`,
    ),
    check("contact_emails_email_lower", sql`${t.email} = lower(${t.email})`),
  ],
);

/**
 * Wrong verification codes per account and address. Kept apart from the contact row so that
 * neither a resend nor deleting and re-adding the address gives the guesser a fresh budget.
 */
export const contactVerificationBudgets = pgTable(
  "contact_verification_budgets",
  {
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    email: text("email").notNull(),
    failedTries: integer("failed_tries").notNull().default(0),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.email] })],
);

/** Every verification code sent, to limit resends per address per hour and per day. */
export const contactVerificationSends = pgTable(
  "contact_verification_sends",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    email: text("email").notNull(),
    sentAt: createdAt("sent_at"),
  },
  (t) => [index("contact_verification_sends_account_email_idx").on(t.accountId, t.email, t.sentAt)],
);

export const contactPhones = pgTable(
  "contact_phones",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    /** E.164, e.g. +46812345678. */
    phone: text("phone").notNull(),
    label: text("label"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("contact_phones_account_phone_key").on(t.accountId, t.phone)],
);

export const savedCards = pgTable(
  "saved_cards",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    provider: paymentProvider("provider").notNull(),
    /** The provider's token for the card (its payment method id); the panel never sees the card number. */
    providerReference: text("provider_reference").notNull(),
    /** The provider's customer the payment method belongs to (Stripe charges a saved card through it). */
    providerCustomerReference: text("provider_customer_reference"),
    brand: text("brand").notNull(),
    last4: char("last4", { length: 4 }).notNull(),
    expMonth: smallint("exp_month").notNull(),
    expYear: smallint("exp_year").notNull(),
    createdAt: createdAt(),
  },
  // One card per account, as in the reference panel: adding a card replaces it.
  (t) => [
    uniqueIndex("saved_cards_account_key").on(t.accountId),
    check("saved_cards_last4_digits", sql`${t.last4} ~ '^[0-9]{4}$'`),
    check("saved_cards_exp_month", sql`${t.expMonth} between 1 and 12`),
  ],
);

// ─── Prices, usage and billing runs ───────────────────────────────────────────────────────
export const products = pgTable("products", {
  code: text("code").primaryKey(),
  /** Group the invoice's lines are shown under, e.g. "Compute". */
  service: text("service").notNull(),
  labelEn: text("label_en").notNull(),
  labelSv: text("label_sv").notNull(),
  unit: text("unit").notNull(),
  vatCategory: vatCategory("vat_category").notNull().default("standard"),
});

export const productPrices = pgTable(
  "product_prices",
  {
    productCode: text("product_code")
      .notNull()
      .references(() => products.code),
    currency: char("currency", { length: 3 }).notNull(),
    /** Price of one unit in minor units (may be fractional for metered resources). */
    unitPriceMinor: numeric("unit_price_minor", { precision: 20, scale: 6 }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.productCode, t.currency] })],
);

export const usageRecords = pgTable(
  "usage_records",
  {
    id: bigserial("id", { mode: "bigint" }).primaryKey(),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    productCode: text("product_code")
      .notNull()
      .references(() => products.code),
    region: text("region"),
    quantity: numeric("quantity", { precision: 20, scale: 6 }).notNull(),
    unit: text("unit").notNull(),
    /** First day of the month the usage belongs to: what the billing run bills by. */
    period: date("period", { mode: "string" }).notNull(),
    /** The day the usage happened, within `period`'s month: what the month's forecast is made from. Left out, a trigger (0016) sets today, held within the month. */
    usageDate: date("usage_date", { mode: "string" }).notNull(),
    recordedAt: createdAt("recorded_at"),
  },
  (t) => [
    index("usage_records_period_account_idx").on(t.period, t.accountId),
    check("usage_records_date_in_period", sql`date_trunc('month', ${t.usageDate})::date = ${t.period}`),
  ],
);

export const billingRuns = pgTable(
  "billing_runs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    period: date("period", { mode: "string" }).notNull(),
    status: billingRunStatus("status").notNull().default("running"),
    accountsTotal: integer("accounts_total").notNull().default(0),
    invoicesIssued: integer("invoices_issued").notNull().default(0),
    startedAt: createdAt("started_at"),
    finishedAt: ts("finished_at"),
  },
  (t) => [index("billing_runs_period_idx").on(t.period)],
);

/** Gapless number sequences (invoice numbers), advanced inside the issuing transaction. */
export const numberSequences = pgTable("number_sequences", {
  name: text("name").primaryKey(),
  nextValue: bigint("next_value", { mode: "bigint" }).notNull(),
});

// ─── Invoices ─────────────────────────────────────────────────────────────────────────────
/** The customer block as it was when the invoice was issued; issued invoices never change. */
export type IssuedCustomer = {
  name: string;
  careOf: string | null;
  street: string;
  zipCode: string;
  city: string;
  countryCode: string;
  organisationNumber: string | null;
  vatNumber: string | null;
  purchaseOrder: string | null;
};

export const invoices = pgTable(
  "invoices",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "restrict" }),
    /** Public invoice number, gapless and unique across the panel (the URL's N). */
    number: bigint("number", { mode: "number" }).notNull(),
    type: invoiceType("type").notNull().default("invoice"),
    /** For a credit note: the invoice whose outstanding amount it lowers. */
    creditsInvoiceId: uuid("credits_invoice_id"),
    creditReason: text("credit_reason"),
    periodStart: date("period_start", { mode: "string" }).notNull(),
    periodEnd: date("period_end", { mode: "string" }).notNull(),
    invoiceDate: date("invoice_date", { mode: "string" }).notNull(),
    dueDate: date("due_date", { mode: "string" }).notNull(),
    currency: char("currency", { length: 3 }).notNull(),
    language: invoiceLanguage("language").notNull(),
    vatCategory: vatCategory("vat_category").notNull(),
    /** Amounts are positive for invoices and credit notes alike; the type gives the sign. */
    netMinor: money("net_minor").notNull(),
    vatMinor: money("vat_minor").notNull(),
    totalMinor: money("total_minor").notNull(),
    customer: jsonb("customer").$type<IssuedCustomer>().notNull(),
    /** Reference quoted on bank transfers, with a check digit. */
    paymentReference: text("payment_reference").notNull(),
    billingRunId: uuid("billing_run_id").references(() => billingRuns.id),
    issuedAt: ts("issued_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("invoices_number_key").on(t.number),
    uniqueIndex("invoices_payment_reference_key").on(t.paymentReference),
    // The list: an account's invoices newest first, keyset on (invoice_date, number).
    index("invoices_account_date_number_idx").on(
      t.accountId,
      t.invoiceDate.desc().nullsFirst(),
      t.number.desc().nullsFirst(),
    ),
    index("invoices_account_due_idx").on(t.accountId, t.dueDate),
    index("invoices_credits_idx").on(t.creditsInvoiceId),
    // One invoice per account and period from a billing run (idempotent, resumable runs).
    uniqueIndex("invoices_account_period_run_key")
      .on(t.accountId, t.periodStart)
      .where(sql`${t.type} = 'invoice' and ${t.billingRunId} is not null`),
    check("invoices_totals_add_up", sql`${t.netMinor} + ${t.vatMinor} = ${t.totalMinor}`),
    check("invoices_total_nonnegative", sql`${t.totalMinor} >= 0`),
    check("invoices_due_after_issue", sql`${t.dueDate} >= ${t.invoiceDate}`),
    check("invoices_credit_note_target", sql`(${t.type} = 'credit_note') = (${t.creditsInvoiceId} is not null)`),
  ],
);

export const invoiceLines = pgTable(
  "invoice_lines",
  {
    id: bigserial("id", { mode: "bigint" }).primaryKey(),
    invoiceId: uuid("invoice_id")
      .notNull()
      .references(() => invoices.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    /** Group shown on the invoice, e.g. "Compute", "Storage". */
    service: text("service").notNull(),
    productCode: text("product_code").notNull(),
    label: text("label").notNull(),
    region: text("region"),
    quantity: numeric("quantity", { precision: 20, scale: 6 }).notNull(),
    unit: text("unit").notNull(),
    unitPriceMinor: numeric("unit_price_minor", { precision: 20, scale: 6 }).notNull(),
    /** round(quantity × unit price), half away from zero; negative for a discount. */
    amountMinor: money("amount_minor").notNull(),
    /** VAT rate in basis points: 2500 = 25 %. */
    vatRateBp: integer("vat_rate_bp").notNull(),
  },
  (t) => [uniqueIndex("invoice_lines_invoice_position_key").on(t.invoiceId, t.position)],
);

/** Rendered PDF bytes of an issued invoice, per template version and language. */
export const invoicePdfs = pgTable(
  "invoice_pdfs",
  {
    invoiceId: uuid("invoice_id")
      .notNull()
      .references(() => invoices.id, { onDelete: "cascade" }),
    templateVersion: integer("template_version").notNull(),
    language: invoiceLanguage("language").notNull(),
    /** The PDF prints what is outstanding: a later payment or credit note means a new rendering. */
    outstandingMinor: money("outstanding_minor").notNull(),
    etag: text("etag").notNull(),
    bytes: bytea("bytes").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.invoiceId, t.templateVersion, t.language] })],
);

// ─── Payments ─────────────────────────────────────────────────────────────────────────────
export const payments = pgTable(
  "payments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "restrict" }),
    provider: paymentProvider("provider").notNull(),
    method: paymentMethod("method").notNull(),
    state: paymentState("state").notNull().default("pending"),
    amountMinor: money("amount_minor").notNull(),
    currency: char("currency", { length: 3 }).notNull(),
    /** The provider's id for the checkout/charge, or the bank statement line's reference. */
    providerReference: text("provider_reference"),
    /** A retried submission with the same key returns this payment instead of a new one. */
    idempotencyKey: text("idempotency_key"),
    /**
     * Recorded before the provider is asked, so a stranded attempt is only ever retried the way
     * it was first sent (each way has its own provider key; the other way could charge twice).
     * Null until then, and for payments that are not by card.
     */
    channel: paymentChannel("channel"),
    failureReason: text("failure_reason"),
    createdByUserId: uuid("created_by_user_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
    settledAt: ts("settled_at"),
  },
  (t) => [
    index("payments_account_idx").on(t.accountId, t.createdAt),
    uniqueIndex("payments_provider_reference_key").on(t.provider, t.providerReference),
    uniqueIndex("payments_idempotency_key").on(t.accountId, t.idempotencyKey),
    check("payments_amount_positive", sql`${t.amountMinor} > 0`),
    check("payments_settled_when_succeeded", sql`(${t.state} = 'succeeded') = (${t.settledAt} is not null)`),
  ],
);

/** How much of a payment goes to which invoice; the rest of a settled payment is account credit. */
export const paymentAllocations = pgTable(
  "payment_allocations",
  {
    paymentId: uuid("payment_id")
      .notNull()
      .references(() => payments.id, { onDelete: "cascade" }),
    invoiceId: uuid("invoice_id")
      .notNull()
      .references(() => invoices.id, { onDelete: "restrict" }),
    amountMinor: money("amount_minor").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.paymentId, t.invoiceId] }),
    index("payment_allocations_invoice_idx").on(t.invoiceId),
    check("payment_allocations_amount_positive", sql`${t.amountMinor} > 0`),
  ],
);

/**
 * Raised by a trigger (migration 0018) when one of the account's payments comes under way or
 * stops being under way: the invoice list shows such an invoice as "processing", and its pages are
 * kept per account, ledger version and this version (lib/invoices/page-cache.ts). Apart from
 * `accounts`, whose row automatic payment share-locks while it starts a charge: raising a version
 * there would deadlock two charges of one account. No row means version 0.
 */
export const paymentsUnderWayVersions = pgTable("payments_under_way_versions", {
  accountId: uuid("account_id")
    .primaryKey()
    .references(() => accounts.id, { onDelete: "cascade" }),
  version: bigint("version", { mode: "number" }).notNull().default(0),
});

/** Provider callbacks, kept once per provider event id (replays are recognised and ignored). */
export const paymentEvents = pgTable(
  "payment_events",
  {
    id: bigserial("id", { mode: "bigint" }).primaryKey(),
    provider: paymentProvider("provider").notNull(),
    eventId: text("event_id").notNull(),
    paymentId: uuid("payment_id").references(() => payments.id, { onDelete: "set null" }),
    type: text("type").notNull(),
    outcome: text("outcome").notNull(),
    payload: jsonb("payload").notNull(),
    receivedAt: createdAt("received_at"),
  },
  (t) => [uniqueIndex("payment_events_provider_event_key").on(t.provider, t.eventId)],
);

/**
 * The `sandbox` payment provider's own records: it plays a card provider's test mode inside
 * this app, with its hosted page and signed callbacks. Only the brand and last four digits of a
 * card are kept, never the number or CVC.
 */
export const sandboxCheckouts = pgTable(
  "sandbox_checkouts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** The merchant's (panel's) payment id: creating a checkout twice for it returns the first. */
    merchantReference: text("merchant_reference").notNull(),
    amountMinor: money("amount_minor").notNull(),
    currency: char("currency", { length: 3 }).notNull(),
    description: text("description").notNull(),
    returnUrl: text("return_url").notNull(),
    status: text("status").$type<"open" | "requires_action" | "succeeded" | "failed" | "cancelled">().notNull().default("open"),
    failureReason: text("failure_reason"),
    /** Why a charge was declined, as a provider's decline code says it (soft, hard, expired): automatic payment retries only soft ones. */
    declineCode: text("decline_code").$type<"soft" | "hard" | "expired_card" | null>(),
    cardBrand: text("card_brand"),
    cardLast4: char("card_last4", { length: 4 }),
    createdAt: createdAt(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("sandbox_checkouts_merchant_reference_key").on(t.merchantReference)],
);

/**
 * The sandbox provider's card vault: a card saved through its setup page. It keeps what a
 * provider shows the merchant (brand, last four, expiry) and how the test card behaves when
 * charged, never the number.
 */
export const sandboxPaymentMethods = pgTable("sandbox_payment_methods", {
  id: uuid("id").primaryKey().defaultRandom(),
  brand: text("brand").notNull(),
  last4: char("last4", { length: 4 }).notNull(),
  expMonth: smallint("exp_month").notNull(),
  expYear: smallint("exp_year").notNull(),
  behaviour: text("behaviour").$type<"succeeds" | "declined" | "declined_soft" | "expired" | "requires_action">().notNull(),
  /** Set when the merchant detaches the card: it can no longer be charged. */
  detachedAt: ts("detached_at"),
  createdAt: createdAt(),
});

/** The sandbox provider's card setups (its hosted "save a card" page, a zero-amount verification). */
export const sandboxCardSetups = pgTable(
  "sandbox_card_setups",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** The panel's key for this setup: creating it twice returns the first. */
    merchantReference: text("merchant_reference").notNull(),
    /** The merchant's account the card is saved for (a real provider's metadata). */
    accountReference: text("account_reference").notNull(),
    returnUrl: text("return_url").notNull(),
    status: text("status").$type<"open" | "requires_action" | "succeeded" | "cancelled">().notNull().default("open"),
    paymentMethodId: uuid("payment_method_id").references(() => sandboxPaymentMethods.id),
    /** The merchant's card version the setup was started at (a real provider's metadata). */
    cardVersion: integer("card_version").notNull(),
    createdAt: createdAt(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("sandbox_card_setups_merchant_reference_key").on(t.merchantReference)],
);

// ─── Automatic payment ────────────────────────────────────────────────────────────────────
/** What an automatic charge came to: open until the provider's answer is recorded. */
export const autopayOutcome = pgEnum("autopay_outcome", [
  "open",
  "succeeded",
  "soft_decline",
  "hard_decline",
  "expired_card",
  "needs_authentication",
  "not_charged",
]);

/**
 * One automatic charge of one invoice (lib/payments/autopay). The row is the claim: (invoice,
 * attempt) is unique, and it is committed with its payment (idempotency key
 * `autopay-<invoice id>-<attempt>`) before the provider is asked, so two runs at once, or a run
 * started again after a crash, never charge one attempt twice.
 */
export const autopayAttempts = pgTable(
  "autopay_attempts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "restrict" }),
    invoiceId: uuid("invoice_id")
      .notNull()
      .references(() => invoices.id, { onDelete: "restrict" }),
    /** 1 on the due date; 2, 3 and 4 one, three and seven days after the first (soft declines only). */
    attempt: smallint("attempt").notNull(),
    paymentId: uuid("payment_id")
      .notNull()
      .references(() => payments.id, { onDelete: "restrict" }),
    /** The account's own date the attempt was made on (its time zone). */
    chargeDate: date("charge_date", { mode: "string" }).notNull(),
    outcome: autopayOutcome("outcome").notNull().default("open"),
    failureReason: text("failure_reason"),
    createdAt: createdAt(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("autopay_attempts_invoice_attempt_key").on(t.invoiceId, t.attempt),
    index("autopay_attempts_open_idx").on(t.outcome).where(sql`${t.outcome} = 'open'`),
    check("autopay_attempts_attempt_range", sql`${t.attempt} between 1 and 4`),
  ],
);

// ─── Email ────────────────────────────────────────────────────────────────────────────────
export const emailOutbox = pgTable(
  "email_outbox",
  {
    id: bigserial("id", { mode: "bigint" }).primaryKey(),
    accountId: uuid("account_id").references(() => accounts.id, { onDelete: "cascade" }),
    kind: emailKind("kind").notNull(),
    /** Makes a message idempotent, e.g. `reminder:<invoice>:due+7`. */
    dedupeKey: text("dedupe_key"),
    recipients: text("recipients").array().notNull(),
    subject: text("subject").notNull(),
    textBody: text("text_body").notNull(),
    htmlBody: text("html_body"),
    /** When set, the invoice's PDF is attached at send time. */
    invoiceId: uuid("invoice_id").references(() => invoices.id, { onDelete: "cascade" }),
    status: outboxStatus("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: ts("next_attempt_at").notNull().defaultNow(),
    lockedUntil: ts("locked_until"),
    lastError: text("last_error"),
    createdAt: createdAt(),
    sentAt: ts("sent_at"),
  },
  (t) => [
    uniqueIndex("email_outbox_dedupe_key").on(t.dedupeKey),
    index("email_outbox_due_idx").on(t.status, t.nextAttemptAt),
  ],
);

export const emailDeliveries = pgTable(
  "email_deliveries",
  {
    id: bigserial("id", { mode: "bigint" }).primaryKey(),
    outboxId: bigint("outbox_id", { mode: "bigint" })
      .notNull()
      .references(() => emailOutbox.id, { onDelete: "cascade" }),
    invoiceId: uuid("invoice_id").references(() => invoices.id, { onDelete: "cascade" }),
    recipient: text("recipient").notNull(),
    status: deliveryStatus("status").notNull(),
    messageId: text("message_id"),
    error: text("error"),
    at: createdAt("at"),
  },
  (t) => [index("email_deliveries_invoice_idx").on(t.invoiceId, t.at)],
);

// ─── E-invoices ───────────────────────────────────────────────────────────────────────────
/**
 * E-invoices to deliver through Peppol, queued in the transaction that issues the invoice or
 * credit note (as its email is), one per document. lib/einvoice/delivery.ts builds the UBL at
 * delivery time and hands it to the access point, or writes it to a file while none is set.
 */
export const einvoiceOutbox = pgTable(
  "einvoice_outbox",
  {
    id: bigserial("id", { mode: "bigint" }).primaryKey(),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    invoiceId: uuid("invoice_id")
      .notNull()
      .references(() => invoices.id, { onDelete: "cascade" }),
    /** The receiver as it was when the document was issued. */
    participantId: text("participant_id").notNull(),
    status: outboxStatus("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: ts("next_attempt_at").notNull().defaultNow(),
    lockedUntil: ts("locked_until"),
    lastError: text("last_error"),
    /** Where it went: the access point's message id, or the file written. */
    deliveredTo: text("delivered_to"),
    createdAt: createdAt(),
    sentAt: ts("sent_at"),
  },
  (t) => [uniqueIndex("einvoice_outbox_invoice_key").on(t.invoiceId), index("einvoice_outbox_due_idx").on(t.status, t.nextAttemptAt)],
);

// ─── Budget alerts ────────────────────────────────────────────────────────────────────────
/**
 * A budget alert that went to the Billing contacts: at most one per account, month and
 * threshold (the unique key), however many budget checks run, also at once.
 */
export const budgetAlerts = pgTable(
  "budget_alerts",
  {
    id: bigserial("id", { mode: "bigint" }).primaryKey(),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    /** First day of the month the alert is for. */
    month: date("month", { mode: "string" }).notNull(),
    /** Percent of the budget crossed: 80 or 100. */
    thresholdPercent: smallint("threshold_percent").notNull(),
    /** What the check saw: the budget, the spend to date and the forecast (null when too early). */
    budgetMinor: money("budget_minor").notNull(),
    spentMinor: money("spent_minor").notNull(),
    forecastMinor: money("forecast_minor"),
    /** The email queued with it; null when the account had no verified Billing address. */
    outboxId: bigint("outbox_id", { mode: "bigint" }).references(() => emailOutbox.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("budget_alerts_account_month_threshold_key").on(t.accountId, t.month, t.thresholdPercent),
    check("budget_alerts_threshold", sql`${t.thresholdPercent} in (80, 100)`),
  ],
);

// ─── Audit and security ───────────────────────────────────────────────────────────────────
/** Append-only: who did what, with the state before and after. */
export const auditEvents = pgTable(
  "audit_events",
  {
    id: bigserial("id", { mode: "bigint" }).primaryKey(),
    accountId: uuid("account_id").references(() => accounts.id, { onDelete: "set null" }),
    actorUserId: uuid("actor_user_id").references(() => users.id, { onDelete: "set null" }),
    /** e.g. "payment.settled", "contact.roles_changed", "customer_info.updated". */
    action: text("action").notNull(),
    entityType: text("entity_type").notNull(),
    entityId: text("entity_id"),
    before: jsonb("before"),
    after: jsonb("after"),
    at: createdAt("at"),
  },
  (t) => [index("audit_events_account_at_idx").on(t.accountId, t.at)],
);

// ─── Sharing: links for the accountant, the calendar feed ──────────────────────────────────
/**
 * A read-only link to one invoice or a bundle of them. Only the token's SHA-256 is kept (the
 * link is shown once); a link answers while it is neither revoked nor past `expires_at`.
 */
export const shareLinks = pgTable(
  "share_links",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    createdByUserId: uuid("created_by_user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull(),
    /** One invoice (its page shows it and its PDF) or a bundle (a list and the ZIP). */
    isBundle: boolean("is_bundle").notNull(),
    invoiceNumbers: bigint("invoice_numbers", { mode: "number" }).array().notNull(),
    createdAt: createdAt(),
    expiresAt: ts("expires_at").notNull(),
    revokedAt: ts("revoked_at"),
  },
  (t) => [uniqueIndex("share_links_token_hash_key").on(t.tokenHash), index("share_links_account_idx").on(t.accountId, t.createdAt)],
);

/** The account's iCalendar feed: one live secret at a time (Rotate revokes it and makes another). */
export const calendarFeeds = pgTable(
  "calendar_feeds",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    createdByUserId: uuid("created_by_user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull(),
    createdAt: createdAt(),
    revokedAt: ts("revoked_at"),
  },
  (t) => [
    uniqueIndex("calendar_feeds_token_hash_key").on(t.tokenHash),
    uniqueIndex("calendar_feeds_live_key").on(t.accountId).where(sql`${t.revokedAt} is null`),
  ],
);

/**
 * Failed logins per email and per client address, shared by every server instance; also the
 * per-minute request count of each API token (key `api:<token id>`, lib/auth/throttle.ts).
 */
export const loginThrottle = pgTable("login_throttle", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull().default(0),
  windowStartedAt: ts("window_started_at").notNull().defaultNow(),
  lockedUntil: ts("locked_until"),
});

// ─── Inferred types ───────────────────────────────────────────────────────────────────────
export type Account = typeof accounts.$inferSelect;
export type NewAccount = typeof accounts.$inferInsert;
export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
export type InvoiceAccess = (typeof invoiceAccess.enumValues)[number];
export type Language = (typeof invoiceLanguage.enumValues)[number];
export type ContactEmail = typeof contactEmails.$inferSelect;
export type Invoice = typeof invoices.$inferSelect;
export type NewInvoice = typeof invoices.$inferInsert;
export type InvoiceLine = typeof invoiceLines.$inferSelect;
export type NewInvoiceLine = typeof invoiceLines.$inferInsert;
export type Payment = typeof payments.$inferSelect;
export type PaymentState = (typeof paymentState.enumValues)[number];
export type PaymentChannel = (typeof paymentChannel.enumValues)[number];
export type PaymentMethod = (typeof paymentMethod.enumValues)[number];
export type AutopayOutcome = (typeof autopayOutcome.enumValues)[number];
export type AuditEvent = typeof auditEvents.$inferInsert;
export type VatCategory = (typeof vatCategory.enumValues)[number];
