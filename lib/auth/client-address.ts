/**
 * The client's address for the per-address login limit. The App Router exposes no socket
 * address, only X-Forwarded-For, and a client can write that header itself: only the entries
 * appended by proxies of our own are trustworthy. Each proxy appends the address it was
 * connected from, so with N trusted proxies in front of the app the client is the N-th entry
 * from the right; everything to its left is whatever the client sent.
 *
 * - No proxy (0 hops, the default): no address at all. Next fills X-Forwarded-For with the
 *   socket address only when the request has none, so a client could choose every value.
 * - Vercel: 1 (it overwrites X-Forwarded-For with the address it was connected from).
 * - nginx with `proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;`: 1 (it appends
 *   $remote_addr); a load balancer or CDN in front of that nginx that appends too: 2.
 *
 * IPv6 addresses count by their /64 prefix: one subscriber usually holds a whole /64.
 */
import { isIP } from "node:net";

export function clientAddressFrom(forwardedFor: string | null, trustedHops: number): string | null {
  if (trustedHops < 1 || !forwardedFor) return null;
  const entries = forwardedFor.split(",").map((e) => e.trim());
  // Fewer entries than proxies: the request did not come through them all (or one is misconfigured).
  if (entries.length < trustedHops) return null;
  return normalizedAddress(entries[entries.length - trustedHops]!);
}

/** An IPv4 address as is, an IPv6 one as its /64 prefix; null for anything else. */
export function normalizedAddress(entry: string): string | null {
  let ip = entry;
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(ip); // [2001:db8::1]:443
  if (bracketed) ip = bracketed[1]!;
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(ip)) ip = ip.slice(0, ip.lastIndexOf(":")); // 192.0.2.1:443
  ip = ip.replace(/%.*$/, ""); // a link-local zone
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) ip = mapped[1]!;
  const version = isIP(ip);
  if (version === 4) return ip;
  if (version === 6) return `${ipv6Groups(ip).slice(0, 4).join(":")}::/64`;
  return null;
}

/** The eight 16-bit groups of a valid IPv6 address, in lower-case hex without leading zeros. */
function ipv6Groups(ip: string): string[] {
  const toGroups = (part: string) =>
    part === "" ? [] : part.split(":").flatMap((g) => (g.includes(".") ? ["0", "0"] : [parseInt(g, 16).toString(16)])); // a trailing IPv4 part: the last two groups
  const [head = "", tail] = ip.split("::");
  const left = toGroups(head);
  const right = tail === undefined ? [] : toGroups(tail);
  return [...left, ...Array<string>(8 - left.length - right.length).fill("0"), ...right];
}
