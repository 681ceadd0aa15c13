import { describe, expect, it } from "vitest";
import { clientAddressFrom, normalizedAddress } from "./client-address";

describe("clientAddressFrom", () => {
  it("without a trusted proxy there is no address, whatever the header says", () => {
    expect(clientAddressFrom("203.0.113.7", 0)).toBeNull();
    expect(clientAddressFrom(null, 0)).toBeNull();
  });

  it("nginx ($proxy_add_x_forwarded_for, 1 hop): the address nginx appended, never what the client wrote", () => {
    // The client sent no header: nginx sets just $remote_addr.
    expect(clientAddressFrom("203.0.113.7", 1)).toBe("203.0.113.7");
    // The client sent its own header: nginx appends $remote_addr after it.
    expect(clientAddressFrom("198.51.100.1, 203.0.113.7", 1)).toBe("203.0.113.7");
    expect(clientAddressFrom("1.1.1.1, 2.2.2.2,3.3.3.3, 203.0.113.7", 1)).toBe("203.0.113.7");
    // Rotating the written part changes nothing.
    const seen = new Set(Array.from({ length: 20 }, (_, i) => clientAddressFrom(`10.0.0.${i}, 203.0.113.7`, 1)));
    expect([...seen]).toEqual(["203.0.113.7"]);
  });

  it("Vercel (1 hop): it overwrites the header with the client's address", () => {
    expect(clientAddressFrom("203.0.113.7", 1)).toBe("203.0.113.7");
  });

  it("a load balancer in front of nginx (2 hops): the entry the load balancer appended", () => {
    // client wrote 6.6.6.6; the balancer appended the client 203.0.113.7; nginx appended the balancer 10.0.0.2
    expect(clientAddressFrom("6.6.6.6, 203.0.113.7, 10.0.0.2", 2)).toBe("203.0.113.7");
    expect(clientAddressFrom("203.0.113.7, 10.0.0.2", 2)).toBe("203.0.113.7");
  });

  it("fewer entries than trusted proxies, an empty or a non-address entry: no address", () => {
    expect(clientAddressFrom("203.0.113.7", 2)).toBeNull();
    expect(clientAddressFrom(null, 1)).toBeNull();
    expect(clientAddressFrom("", 1)).toBeNull();
    expect(clientAddressFrom("203.0.113.7, ", 1)).toBeNull();
    expect(clientAddressFrom("203.0.113.7, unknown", 1)).toBeNull();
    expect(clientAddressFrom("203.0.113.7, 999.1.1.1", 1)).toBeNull();
  });
});

describe("normalizedAddress", () => {
  it("keeps IPv4, unwraps IPv4-mapped IPv6, drops ports, brackets and zones", () => {
    expect(normalizedAddress("192.0.2.1")).toBe("192.0.2.1");
    expect(normalizedAddress("192.0.2.1:443")).toBe("192.0.2.1");
    expect(normalizedAddress("::ffff:192.0.2.1")).toBe("192.0.2.1");
    expect(normalizedAddress("[2001:db8::1]:443")).toBe("2001:db8:0:0::/64");
    expect(normalizedAddress("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
  });

  it("counts IPv6 by its /64: rotating within one's own prefix gains nothing", () => {
    const a = normalizedAddress("2001:db8:aa:bb:1::1");
    expect(a).toBe("2001:db8:aa:bb::/64");
    expect(normalizedAddress("2001:0DB8:00aa:00bb:ffff:ffff:ffff:ffff")).toBe(a);
    expect(normalizedAddress("2001:db8:aa:bc::1")).not.toBe(a);
    expect(normalizedAddress("::1")).toBe("0:0:0:0::/64");
    expect(normalizedAddress("2001:db8:1:2:3:4:192.0.2.1")).toBe("2001:db8:1:2::/64");
  });

  it("refuses what is not an address", () => {
    for (const bad of ["", "unknown", "_hidden", "1.2.3", "2001:db8::1::2", "<script>", "203.0.113.7, 1.1.1.1"]) expect(normalizedAddress(bad)).toBeNull();
  });
});
