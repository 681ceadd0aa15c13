/** Customer Info and invoice settings of one account; every change writes an audit row. */
import { eq, sql } from "drizzle-orm";
import type { Database, Executor } from "@/db/client";
import { accounts, savedCards, type Language, type PostalAddress } from "@/db/schema";
import { audit } from "@/lib/audit";
import { switchAutomaticPayment } from "@/lib/payments/autopay/switch";
import type { CustomerInfoInput } from "./validation";

export async function accountSettings(db: Executor, accountId: string) {
  const [a] = await db
    .select({
      kind: accounts.kind,
      name: accounts.name,
      firstName: accounts.firstName,
      lastName: accounts.lastName,
      street: accounts.street,
      zipCode: accounts.zipCode,
      city: accounts.city,
      countryCode: accounts.countryCode,
      organisationNumber: accounts.organisationNumber,
      vatNumber: accounts.vatNumber,
      purchaseOrder: accounts.purchaseOrder,
      careOf: accounts.careOf,
      billingAddress: accounts.billingAddress,
      language: accounts.language,
      timeZone: accounts.timeZone,
      receiveInvoicesByEmail: accounts.receiveInvoicesByEmail,
      receiveInvoicesByPeppol: accounts.receiveInvoicesByPeppol,
      peppolParticipantId: accounts.peppolParticipantId,
      automaticPayment: accounts.automaticPayment,
      currency: accounts.currency,
    })
    .from(accounts)
    .where(eq(accounts.id, accountId));
  const cards = await db
    .select({ brand: savedCards.brand, last4: savedCards.last4, expMonth: savedCards.expMonth, expYear: savedCards.expYear })
    .from(savedCards)
    .where(eq(savedCards.accountId, accountId))
    .limit(1);
  return a ? { ...a, savedCard: cards[0] ?? null } : null;
}

export type AccountSettings = NonNullable<Awaited<ReturnType<typeof accountSettings>>>;

/** Applies to future invoices only: issued invoices keep the customer block they were issued with. */
export async function updateCustomerInfo(db: Database, accountId: string, actorUserId: string, input: CustomerInfoInput) {
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(accounts).where(eq(accounts.id, accountId)).for("update");
    if (!before) return null;
    const billingAddress: PostalAddress | null = input.separateBilling
      ? { name: input.billingName!, careOf: null, street: input.billingStreet!, zipCode: input.billingZipCode!.toUpperCase(), city: input.billingCity!, countryCode: input.countryCode }
      : null;
    const next = {
      firstName: input.firstName,
      lastName: input.lastName,
      name: input.companyName,
      street: input.street,
      city: input.city,
      zipCode: input.zipCode,
      countryCode: input.countryCode,
      vatNumber: input.vatNumber,
      purchaseOrder: input.purchaseOrder,
      careOf: input.careOf,
      billingAddress,
    };
    const [after] = await tx
      .update(accounts)
      .set({ ...next, updatedAt: sql`now()` })
      .where(eq(accounts.id, accountId))
      .returning();
    const pick = (o: typeof before) => Object.fromEntries(Object.keys(next).map((k) => [k, o[k as keyof typeof o]]));
    await audit(tx, { accountId, actorUserId, action: "customer_info.updated", entityType: "account", entityId: accountId, before: pick(before), after: pick(after!) });
    return after!;
  });
}

export type InvoiceSettingsInput = {
  receiveInvoicesByEmail: boolean;
  language: Language;
  automaticPayment: boolean;
  /**
   * The switch as the form showed it when loaded. When given, the switch is set only when the form
   * changed it: a form opened before someone else (or the expired-card run) turned it off does not
   * turn it back on, unseen and without the confirm step, when saved for another field.
   */
  automaticPaymentWas?: boolean;
  /** Left as they are when not given. The participant id is a checked one (lib/einvoice/participant.ts), or null. */
  receiveInvoicesByPeppol?: boolean;
  peppolParticipantId?: string | null;
};

export async function updateInvoiceSettings(db: Database, accountId: string, actorUserId: string, input: InvoiceSettingsInput) {
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select({
        receiveInvoicesByEmail: accounts.receiveInvoicesByEmail,
        language: accounts.language,
        automaticPayment: accounts.automaticPayment,
        receiveInvoicesByPeppol: accounts.receiveInvoicesByPeppol,
        peppolParticipantId: accounts.peppolParticipantId,
      })
      .from(accounts)
      .where(eq(accounts.id, accountId))
      .for("update");
    if (!before) return { ok: false as const, message: "Account not found." };
    const { automaticPayment, automaticPaymentWas, ...rest } = input;
    const switching = automaticPaymentWas === undefined || automaticPayment !== automaticPaymentWas;
    if (switching) {
      const switched = await switchAutomaticPayment(tx, accountId, actorUserId, automaticPayment);
      // Nothing is saved when the switch cannot be on: the transaction ends without a change.
      if (!switched.ok) return { ok: false as const, message: switched.message, field: "automaticPayment" };
    }
    await tx.update(accounts).set({ ...rest, updatedAt: sql`now()` }).where(eq(accounts.id, accountId));
    await audit(tx, { accountId, actorUserId, action: "invoice_settings.updated", entityType: "account", entityId: accountId, before, after: { ...rest, automaticPayment: switching ? automaticPayment : before.automaticPayment } });
    return { ok: true as const };
  });
}
