/**
 * Contact writes for the current viewer: always on the viewer's own account, with the viewer
 * as the actor in the audit row. The server action has authorized the viewer (defineAction).
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
import type { Viewer } from "./session";

export function addViewerContactEmail(viewer: Viewer, email: string) {
  return createContactEmail(getDb(), viewer.account.id, viewer.userId, email);
}

export function verifyViewerContactEmail(viewer: Viewer, contactId: string, code: string) {
  return verifyContactEmail(getDb(), viewer.account.id, viewer.userId, contactId, code);
}

export function resendViewerVerificationCode(viewer: Viewer, contactId: string) {
  return resendVerificationCode(getDb(), viewer.account.id, viewer.userId, contactId);
}

/** `reauthenticated`: the viewer typed their password in this request (needed to give Billing). */
export function setViewerContactRoles(viewer: Viewer, contactId: string, roles: Roles, reauthenticated: boolean) {
  return setContactRoles(getDb(), viewer.account.id, viewer.userId, contactId, roles, reauthenticated);
}

export function deleteViewerContactEmail(viewer: Viewer, contactId: string) {
  return deleteContactEmail(getDb(), viewer.account.id, viewer.userId, contactId);
}

export function addViewerPhone(viewer: Viewer, phone: string, label: string | null) {
  return addPhone(getDb(), viewer.account.id, viewer.userId, phone, label);
}

export function removeViewerPhone(viewer: Viewer, phoneId: string) {
  return removePhone(getDb(), viewer.account.id, viewer.userId, phoneId);
}
