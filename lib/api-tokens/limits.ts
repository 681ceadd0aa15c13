/** What a personal API token may be: shared by the form (a client component) and the server. */
export const API_TOKEN_EXPIRY_DAYS = [30, 90, 365] as const;
export type ApiTokenExpiryDays = (typeof API_TOKEN_EXPIRY_DAYS)[number];
export const API_TOKEN_NAME_MAX = 64;
/** Live (unrevoked, unexpired) tokens one user may hold: each has its own rate limit, so more would multiply it. */
export const API_TOKENS_LIVE_MAX = 10;
