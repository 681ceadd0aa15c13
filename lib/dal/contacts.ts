/**
 * Contact writes for the current viewer: always on the viewer's own account, with the viewer
 * as the actor in the audit row, and only with invoice access Full (the server action refuses
 * first; these refuse again, so no caller can skip it).
 */
import "server-only";
import { getDb } from "@/db/client";
import {
  addPhone,
  createContactEmail,
  deleteContactEmail,
  removePhone,
  resendVerificationCode,
  setContactRoles,
  verifyContactEmail,
  type Roles,
} from "@/lib/contacts/contacts";
import { canManageBilling, FULL_ACCESS_REQUIRED, type Viewer } from "./session";

const refused: { ok: false; message: string; field?: string } = { ok: false, message: FULL_ACCESS_REQUIRED };

export async function addViewerContactEmail(viewer: Viewer, email: string) {
  if (!canManageBilling(viewer)) return refused;
  return createContactEmail(getDb(), viewer.account.id, viewer.userId, email);
}

export async function verifyViewerContactEmail(viewer: Viewer, contactId: string, code: string) {
  if (!canManageBilling(viewer)) return refused;
  return verifyContactEmail(getDb(), viewer.account.id, viewer.userId, contactId, code);
}

export async function resendViewerVerificationCode(viewer: Viewer, contactId: string) {
  if (!canManageBilling(viewer)) return refused;
  return resendVerificationCode(getDb(), viewer.account.id, viewer.userId, contactId);
}

/** `reauthenticated`: the viewer typed their password in this request (needed to give Billing). */
export async function setViewerContactRoles(viewer: Viewer, contactId: string, roles: Roles, reauthenticated: boolean) {
  if (!canManageBilling(viewer)) return refused;
  return setContactRoles(getDb(), viewer.account.id, viewer.userId, contactId, roles, reauthenticated);
}

export async function deleteViewerContactEmail(viewer: Viewer, contactId: string) {
  if (!canManageBilling(viewer)) return refused;
  return deleteContactEmail(getDb(), viewer.account.id, viewer.userId, contactId);
}

export async function addViewerPhone(viewer: Viewer, phone: string, label: string | null) {
  if (!canManageBilling(viewer)) return refused;
  return addPhone(getDb(), viewer.account.id, viewer.userId, phone, label);
}

export async function removeViewerPhone(viewer: Viewer, phoneId: string) {
  if (!canManageBilling(viewer)) return refused;
  return removePhone(getDb(), viewer.account.id, viewer.userId, phoneId);
}
