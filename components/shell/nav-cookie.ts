/** Shared by the server layout and the client nav: a constant imported from a "use client" file is only a reference on the server. */
export const NAV_COOKIE = "cumulus-nav";
