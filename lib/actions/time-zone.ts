"use server";

/**
 * The account's Time zone in Settings: invoice access Full only (a forged request from anyone
 * else is audited and answers 403); an unknown zone gets a message next to the field.
 */
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { TIME_ZONE_UNKNOWN } from "@/lib/account/time-zone";
import { defineAction, type ActionState } from "@/lib/dal/action";
import { canManageBilling } from "@/lib/dal/session";
import { saveViewerTimeZone } from "@/lib/dal/time-zone";
import { isTimeZone } from "@/lib/time-zones";

export type TimeZoneState = ActionState<"timeZone"> & { done?: number };

const schema = z.object({
  timeZone: z
    .string({ error: TIME_ZONE_UNKNOWN })
    .trim()
    .max(64, TIME_ZONE_UNKNOWN)
    .refine(isTimeZone, TIME_ZONE_UNKNOWN),
});

export const saveTimeZone = defineAction<typeof schema, TimeZoneState>({
  name: "account.time_zone",
  schema,
  authorize: canManageBilling,
  async handler(viewer, input) {
    const r = await saveViewerTimeZone(viewer, input.timeZone);
    if (!r.ok) return { ok: false, message: r.message };
    if (!r.changed) return { ok: true, message: `The time zone is ${input.timeZone} already.`, done: Date.now() };
    revalidatePath("/", "layout");
    return { ok: true, message: `Time zone saved: ${input.timeZone}.`, done: Date.now() };
  },
});
