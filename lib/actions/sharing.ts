"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { defineAction, type ActionState } from "@/lib/dal/action";
import { canShareInvoices, revokeViewerShareLink, rotateViewerCalendarFeed, shareViewerInvoices } from "@/lib/dal/sharing";
import { formatDateTime } from "@/lib/dates";
import { invoiceNumberSchema } from "@/lib/invoices/numbers";
import { MAX_SHARED_INVOICES, SHARE_EXPIRY_DAYS, type ShareExpiryDays } from "@/lib/sharing/links";

/** The link is in the state only for the answer that created it: it is never stored readable. */
export type ShareState = ActionState<"n" | "expiryDays"> & { url?: string; expiresAt?: string };

const numbers = z.preprocess(
  (v) => (Array.isArray(v) ? v : v === undefined ? [] : [v]),
  z.array(invoiceNumberSchema).min(1, "Choose at least one invoice.").max(MAX_SHARED_INVOICES, `At most ${MAX_SHARED_INVOICES} invoices per link.`),
);

const shareSchema = z.object({
  n: numbers,
  expiryDays: z.coerce
    .number({ error: "Choose 1, 7 or 30 days." })
    .refine((d): d is ShareExpiryDays => (SHARE_EXPIRY_DAYS as readonly number[]).includes(d), "Choose 1, 7 or 30 days."),
});

export const createShareLink = defineAction<typeof shareSchema, ShareState>({
  name: "sharing.create_link",
  schema: shareSchema,
  authorize: canShareInvoices,
  async handler(viewer, input) {
    const created = await shareViewerInvoices(viewer, input.n, input.expiryDays as ShareExpiryDays);
    if (!created) return { ok: false, message: "These invoices could not be shared: they are not in your account." };
    revalidatePath("/sharing");
    return { ok: true, message: "Link created. Copy it now: it is shown only once.", url: created.url, expiresAt: formatDateTime(created.expiresAt, viewer.account.timeZone, viewer.account.language) };
  },
});

export type RevokeState = ActionState<"id"> & { done?: number };

const revokeSchema = z.object({ id: z.uuid("Unknown link.") });

export const revokeShareLink = defineAction<typeof revokeSchema, RevokeState>({
  name: "sharing.revoke_link",
  schema: revokeSchema,
  authorize: canShareInvoices,
  async handler(viewer, input) {
    if (!(await revokeViewerShareLink(viewer, input.id))) return { ok: false, message: "This link is no longer active." };
    revalidatePath("/sharing");
    return { ok: true, message: "Link revoked: it no longer opens.", done: Date.now() };
  },
});

export type FeedState = ActionState<"confirm"> & { url?: string };

const rotateSchema = z.object({ confirm: z.literal("rotate", { error: "Confirm to replace the address." }) });

export const rotateCalendarFeed = defineAction<typeof rotateSchema, FeedState>({
  name: "sharing.rotate_calendar_feed",
  schema: rotateSchema,
  authorize: canShareInvoices,
  async handler(viewer) {
    const url = await rotateViewerCalendarFeed(viewer);
    if (!url) return { ok: false, message: "This needs invoice access Full." };
    revalidatePath("/sharing");
    return { ok: true, message: "New feed address created. Copy it now: it is shown only once; the old address no longer works.", url };
  },
});
