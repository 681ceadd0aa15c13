"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db/client";
import { defineAction, type ActionState } from "@/lib/dal/action";
import { changeUserAccess } from "@/lib/users/manage";

export type AccessState = ActionState & { done?: number };

const schema = z.object({
  userId: z.uuid("Unknown user."),
  invoiceAccess: z.enum(["none", "read", "full"], { error: "Choose None, Read or Full." }),
  isAdmin: z.preprocess((v) => v === "on" || v === "true", z.boolean()),
});

export const saveUserAccess = defineAction<typeof schema, AccessState>({
  name: "users.change_access",
  schema,
  authorize: (viewer) => viewer.isAdmin,
  async handler(viewer, input) {
    const r = await changeUserAccess(getDb(), viewer.account.id, viewer.userId, input.userId, {
      invoiceAccess: input.invoiceAccess,
      isAdmin: input.isAdmin,
    });
    if (!r.ok) return { ok: false, message: r.message };
    revalidatePath("/users");
    return { ok: true, message: "Access saved. It applies from the user's next page load.", done: Date.now() };
  },
});
