"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { defineAction, type ActionState } from "@/lib/dal/action";
import { changeAccountUserAccess } from "@/lib/dal/users";

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
    const r = await changeAccountUserAccess(viewer, input.userId, {
      invoiceAccess: input.invoiceAccess,
      isAdmin: input.isAdmin,
    });
    if (!r.ok) return { ok: false, message: r.message };
    revalidatePath("/users");
    return { ok: true, message: "Access saved. It applies from the user's next page load.", done: Date.now() };
  },
});
