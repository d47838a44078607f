import { describe, expect, it } from "vitest";
import { clientKey } from "./limits";

describe("clientKey: the bucket every per-client limit counts under", () => {
  it("keeps an IPv4 address and reduces IPv6 to its /64 in every spelling", () => {
    expect(clientKey("203.0.113.7")).toBe("203.0.113.7");
    expect(clientKey("unknown")).toBe("unknown");
    const net = "2001:db8:a:b::/64";
    for (const a of [
      "2001:db8:a:b::1",
      "2001:0DB8:000A:000B:0000:0000:0000:0001",
      "2001:db8:a:b:ffff:1:2:3",
      "2001:db8:a:b:1::",
      "2001:db8:a:b::1.2.3.4",
      "2001:db8:a:b::9%eth0",
    ])
      expect(clientKey(a)).toBe(net);
    expect(clientKey("2001:db8:a:c::1")).toBe("2001:db8:a:c::/64");
    expect(clientKey("::1")).toBe("0:0:0:0::/64");
    expect(clientKey("::")).toBe("0:0:0:0::/64");
  });

  it("treats an IPv4-mapped IPv6 address as its IPv4 address", () => {
    expect(clientKey("::ffff:203.0.113.7")).toBe("203.0.113.7");
    expect(clientKey("::FFFF:cb00:7107")).toBe("203.0.113.7");
    expect(clientKey("0:0:0:0:0:ffff:203.0.113.7")).toBe("203.0.113.7");
  });

  it("keeps anything unparseable as its own bucket", () => {
    expect(clientKey("1::2::3")).toBe("1::2::3");
    expect(clientKey("2001:db8:zz::1")).toBe("2001:db8:zz::1");
  });
});
