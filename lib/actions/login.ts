"use server";

/** The login form. There is no viewer yet, so no defineAction: Auth.js checks the password and the throttle. */
import { AuthError } from "next-auth";
import { z } from "zod";
import { signIn } from "@/lib/auth";
import { safeCallbackPath } from "@/lib/auth/redirect";
import { LOCK_MINUTES } from "@/lib/auth/throttle";

export type LoginState = {
  email?: string;
  message?: string;
  fieldErrors?: { email?: string; password?: string };
};

const schema = z.object({
  email: z.string().trim().min(1, "Enter your email address.").max(254, "That email address is too long.").pipe(z.email("Enter a valid email address.")),
  password: z.string().min(1, "Enter your password.").max(1024, "That password is too long."),
  callbackUrl: z.string().optional(),
});

export async function login(_prev: LoginState, formData: FormData): Promise<LoginState> {
  const parsed = schema.safeParse({
    email: formData.get("email") ?? "",
    password: formData.get("password") ?? "",
    callbackUrl: formData.get("callbackUrl") ?? undefined,
  });
  const email = String(formData.get("email") ?? "").slice(0, 254);
  if (!parsed.success) {
    const f = z.flattenError(parsed.error).fieldErrors;
    return { email, fieldErrors: { email: f.email?.[0], password: f.password?.[0] } };
  }
  try {
    await signIn("credentials", {
      email: parsed.data.email,
      password: parsed.data.password,
      redirectTo: safeCallbackPath(parsed.data.callbackUrl),
    });
  } catch (err) {
    if (err instanceof AuthError) {
      if (err.type === "CredentialsSignin" && (err as { code?: string }).code === "throttled") {
        return { email, message: `Too many failed sign-in attempts. Try again in ${LOCK_MINUTES} minutes.` };
      }
      return { email, message: "Incorrect email or password." };
    }
    throw err; // the redirect after a successful sign-in
  }
  return { email };
}
