/**
 * Auth.js's logger. A refused sign-in (wrong email or password, or a locked one) is an expected
 * event, not a fault: one line, without the 11-line stack trace Auth.js prints by default. Every
 * other error keeps its stack and cause.
 */
type AuthLogError = Error & { type?: string; code?: string };

export const authLogger = {
  error(error: AuthLogError): void {
    if (error.type === "CredentialsSignin") {
      console.warn(`[auth] sign-in refused: ${error.code === "throttled" ? "too many failed attempts (locked)" : "wrong email or password"}`);
      return;
    }
    console.error(`[auth][error] ${error.type ?? error.name}:`, error);
  },
};
