import { createHash, randomBytes } from "node:crypto";
/** A new secret to show once: `${prefix}_` + 32 random bytes base64url; only its hash is stored. */
export function newSecretToken(prefix: string): { token: string; hash: string } {
  const token = `${prefix}_${randomBytes(32).toString("base64url")}`;
  return { token, hash: hashSecretToken(token) };
}
/** SHA-256 hex: the token is random and long, so a fast hash is enough and allows lookup by hash. */
export function hashSecretToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}
