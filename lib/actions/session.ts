"use server";

import { signOut } from "@/lib/auth";
import { endCurrentSession } from "@/lib/dal/session";

/** Log out: the session is revoked on the server first, so a copy of the cookie is worth nothing. */
export async function logout(): Promise<void> {
  await endCurrentSession();
  await signOut({ redirectTo: "/login" });
}
