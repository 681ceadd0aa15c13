/**
 * The data-access layer's front door: every page, server action and route handler gets the
 * current user, account and privilege from here. The proxy only redirects; this is the check.
 * The session's row (user_sessions), the session version and privileges are read from the
 * database on every request, in the one query below: a logout, "log out everywhere", a password
 * change or a removed privilege takes effect at the user's next request, on every server.
 */
import "server-only";
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { cookies, headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { getDb, preparedQuery, type Database } from "@/db/client";
import { accounts, users, userSessions, type InvoiceAccess, type Language } from "@/db/schema";
import { sessionClaims } from "@/lib/auth/session-token";
import { changePassword } from "@/lib/auth/password-change";
import { endSession, logOutEverywhere } from "@/lib/auth/sessions";
import { viewerColumns } from "@/lib/users/viewer-columns";

export type Viewer = {
  userId: string;
  /** The session this request came with (its user_sessions row; for an API call, its api_tokens row). */
  sessionId: string;
  email: string;
  name: string;
  isAdmin: boolean;
  invoiceAccess: InvoiceAccess;
  account: {
    id: string;
    name: string;
    kind: "company" | "private";
    countryCode: string;
    currency: string;
    language: Language;
    timeZone: string;
    /** accounts.ledger_version: changes whenever a balance of the account, or an invoice the list shows, can have changed. */
    ledgerVersion: number;
    /** payments_under_way_versions.version: changes whenever a payment of the account comes or stops being under way. */
    underWayVersion: number;
  };
};

/**
 * The user, account and privileges behind a session, and whether the session is still on (its
 * row neither revoked nor past expires_at): one round trip on every request.
 */
const viewerQuery = (db: Database) =>
  db
    .select({ ...viewerColumns, sessionVersion: users.sessionVersion })
    .from(users)
    .innerJoin(accounts, eq(accounts.id, users.accountId))
    .innerJoin(
      userSessions,
      and(
        eq(userSessions.id, sql.placeholder("sid")),
        eq(userSessions.userId, users.id),
        isNull(userSessions.revokedAt),
        gt(userSessions.expiresAt, sql`now()`),
      ),
    )
    .where(eq(users.id, sql.placeholder("uid")))
    .limit(1)
    .prepare("dal_viewer");

/** The user and account columns a viewer is made of (a session's query and an API token's select them alike). */
export type ViewerRow = {
  userId: string;
  email: string;
  name: string;
  isAdmin: boolean;
  invoiceAccess: InvoiceAccess;
  accountId: string;
  accountName: string;
  kind: Viewer["account"]["kind"];
  countryCode: string;
  currency: string;
  language: Language;
  timeZone: string;
  ledgerVersion: number;
  underWayVersion: number;
};

/** A viewer from its row; `sessionId` is the session's row, or for an API call the token's. */
export function viewerOf(row: ViewerRow, sessionId: string): Viewer {
  return {
    userId: row.userId,
    sessionId,
    email: row.email,
    name: row.name,
    isAdmin: row.isAdmin,
    invoiceAccess: row.invoiceAccess,
    account: {
      id: row.accountId,
      name: row.accountName,
      kind: row.kind,
      countryCode: row.countryCode,
      currency: row.currency,
      language: row.language,
      timeZone: row.timeZone,
      ledgerVersion: row.ledgerVersion,
      underWayVersion: row.underWayVersion,
    },
  };
}

/** The signed-in viewer, or null (no session, unknown user, or a revoked session). */
export const getViewer = cache(async (): Promise<Viewer | null> => {
  const session = await sessionClaims((await cookies()).getAll());
  if (!session) return null;
  const query = preparedQuery(getDb(), "dal.viewer", viewerQuery);
  const [row] = await query.execute({ uid: session.uid, sid: session.sid });
  if (!row || row.sessionVersion !== session.sv) return null;
  return viewerOf(row, session.sid);
});

/**
 * Log out: revokes the session of the request's cookie on the server (every server refuses it
 * from then on), whether or not it was still on. The caller clears the cookie.
 */
export async function endCurrentSession(): Promise<void> {
  const session = await sessionClaims((await cookies()).getAll());
  if (session) await endSession(getDb(), session.uid, session.sid);
}

/** "Log out everywhere" for the viewer: every session of theirs ends, this one included (audited). */
export function endEveryViewerSession(viewer: Viewer): Promise<number> {
  return logOutEverywhere(getDb(), viewer.account.id, viewer.userId);
}

/** The viewer's own password; the session of this request stays on, every other one ends. */
export function changeViewerPassword(viewer: Viewer, currentPassword: string, newPassword: string) {
  return changePassword(getDb(), {
    accountId: viewer.account.id,
    userId: viewer.userId,
    keepSessionId: viewer.sessionId,
    currentPassword,
    newPassword,
  });
}

/** The viewer, or a redirect to the login page that comes back to the requested page. */
export async function requireViewer(): Promise<Viewer> {
  const viewer = await getViewer();
  if (viewer) return viewer;
  const path = (await headers()).get("x-cumulus-path");
  redirect(path && path !== "/" ? `/login?callbackUrl=${encodeURIComponent(path)}` : "/login");
}

export const canReadInvoices = (v: Viewer) => v.invoiceAccess === "read" || v.invoiceAccess === "full";
export const canPayInvoices = (v: Viewer) => v.invoiceAccess === "full";
/**
 * Changing billing contacts, customer info and invoice settings: invoice access Full only.
 * Being an admin governs the Users page only; an admin who needs billing gets Full from
 * another admin (audited).
 */
export const canManageBilling = (v: Viewer) => v.invoiceAccess === "full";
/** What a data-access write answers a viewer without invoice access Full (the action refuses first). */
export const FULL_ACCESS_REQUIRED = "This needs invoice access Full.";
/** Reading customer info, VAT number, contacts and invoice settings: invoice access Read or Full. */
export const canReadBilling = (v: Viewer) => v.invoiceAccess === "read" || v.invoiceAccess === "full";

/** For pages: invoice access None answers exactly as if the invoice did not exist. */
export async function requireInvoiceReader(): Promise<Viewer> {
  const viewer = await requireViewer();
  if (!canReadInvoices(viewer)) notFound();
  return viewer;
}
