/** The sandbox's card form fields, checked the same on its payment page and its "save a card" page. */
import { z } from "zod";
import { luhnValid } from "@/lib/luhn";

export type CardState = { fieldErrors?: { card?: string; expiry?: string; cvc?: string }; message?: string };

const EXPIRY = /^(0[1-9]|1[0-2])\s*\/\s*(\d{2})$/;

const cardSchema = z.object({
  card: z
    .string()
    .transform((v) => v.replace(/[\s-]/g, ""))
    .pipe(z.string().regex(/^\d{13,19}$/, "Enter the card number.").refine(luhnValid, "This card number is not valid.")),
  expiry: z
    .string()
    .trim()
    .regex(EXPIRY, "Enter the expiry as MM/YY.")
    .transform((v) => {
      const [, mm, yy] = EXPIRY.exec(v)!;
      return { expMonth: Number(mm), expYear: 2000 + Number(yy) };
    })
    .refine(({ expMonth, expYear }) => Date.UTC(expYear, expMonth, 1) > Date.now(), "This card has expired."),
  cvc: z.string().trim().regex(/^\d{3,4}$/, "Enter the 3 or 4 digits on the back of the card."),
});

/** The card number and expiry, or the errors to show next to the fields. The number is never kept. */
export function parseCardForm(formData: FormData): { card: string; expMonth: number; expYear: number } | Required<Pick<CardState, "fieldErrors">> {
  const parsed = cardSchema.safeParse({ card: formData.get("card") ?? "", expiry: formData.get("expiry") ?? "", cvc: formData.get("cvc") ?? "" });
  if (!parsed.success) {
    const fieldErrors: CardState["fieldErrors"] = {};
    for (const i of parsed.error.issues) fieldErrors[i.path[0] as "card" | "expiry" | "cvc"] ??= i.message;
    return { fieldErrors };
  }
  return { card: parsed.data.card, ...parsed.data.expiry };
}
