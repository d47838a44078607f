import { describe, expect, it } from "vitest";
import {
  clickThroughProblem,
  isPrivateAddress,
  normaliseClickThrough,
  platformProblem,
} from "./click-through";

describe("click-through URLs", () => {
  it("accepts public https URLs and stores them in their parsed form", () => {
    for (const ok of [
      "https://advertiser.example/landing?utm=ad#top",
      "https://shop.example.co.uk/",
      "https://93.184.216.34/offer",
      "https://xn--bcher-kva.example/",
    ]) {
      expect(clickThroughProblem(ok), ok).toBeNull();
    }
    expect(normaliseClickThrough("https://Advertiser.EXAMPLE/a/../b")).toBe("https://advertiser.example/b");
  });

  it("refuses other schemes, credentials, private or local hosts, spaces and overlong URLs", () => {
    const refused: [string, RegExp][] = [
      ["http://advertiser.example/", /https/],
      ["javascript:alert(1)", /https/],
      ["data:text/html,hi", /https/],
      ["//advertiser.example/", /absolute/],
      ["advertiser.example", /absolute/],
      ["https://marquee.test@evil.example/", /user name/],
      ["https://user:pw@evil.example/", /user name/],
      ["https://10.0.0.1/", /private/],
      ["https://127.0.0.1/", /private/],
      ["https://0x7f000001/", /private/],
      ["https://2130706433/", /private/],
      ["https://169.254.169.254/latest/meta-data", /private/],
      ["https://192.168.1.1/", /private/],
      ["https://172.20.0.1/", /private/],
      ["https://[::1]/", /private/],
      ["https://[fd00::1]/", /private/],
      ["https://[::ffff:127.0.0.1]/", /private/],
      ["https://[::a00:1]/", /private/],
      ["https://[::10.0.0.1]/", /private/],
      ["https://[fec0::1]/", /private/],
      ["https://[feff::1]/", /private/],
      ["https://[ff02::1]/", /private/],
      ["https://[ff05::2]/", /private/],
      ["https://[2002:a00:1::1]/", /private/],
      ["https://[2002:c0a8:101::]/", /private/],
      ["https://[2002:7f00:1::]/", /private/],
      ["https://[64:ff9b::a00:1]/", /private/],
      ["https://localhost/", /public host/],
      ["https://printer.local/", /public host/],
      ["https://intranet/", /public host/],
      ["https://evil.example/ x", /spaces/],
      ["https://evil.example/\nx", /spaces/],
      [`https://advertiser.example/${"a".repeat(2000)}`, /2000/],
    ];
    for (const [url, why] of refused) expect(clickThroughProblem(url), url).toMatch(why);
  });

  it("refuses the platform's own host and its subdomains, whatever their case or trailing dot", () => {
    const ours = "https://marquee.example";
    for (const url of [
      "https://marquee.example/watch/1",
      "https://MARQUEE.example./x",
      "https://cdn.marquee.example/",
      "https://a.b.marquee.example/",
    ]) {
      expect(platformProblem(normaliseClickThrough(url), ours), url).toMatch(/platform/);
    }
    for (const url of ["https://notmarquee.example/", "https://marquee.example.evil.test/"]) {
      expect(platformProblem(normaliseClickThrough(url), ours), url).toBeNull();
    }
  });

  it("refuses the parent domain of PUBLIC_URL's host itself, but not its other subdomains nor a bare suffix", () => {
    const app = "https://app.marquee.example";
    expect(platformProblem("https://marquee.example/", app)).toMatch(/platform/);
    expect(platformProblem("https://MARQUEE.example./", app)).toMatch(/platform/);
    expect(platformProblem("https://cdn.app.marquee.example/", app)).toMatch(/platform/);
    // A sibling may be someone else's under a shared suffix (pages.dev): not refused.
    expect(platformProblem("https://www.marquee.example/", app)).toBeNull();
    expect(platformProblem("https://other.pages.dev/", "https://marquee.pages.dev")).toBeNull();
    // A PUBLIC_URL on a registrable domain: its parent is a TLD, nothing more is refused.
    expect(platformProblem("https://example/", "https://marquee.example")).toBeNull();
    expect(platformProblem("https://other.example/", "https://marquee.example")).toBeNull();
  });

  it("tells private address ranges from public ones", () => {
    expect(["10.1.2.3", "100.64.0.1", "0.0.0.0", "224.0.0.1", "[fe80::1]"].every(isPrivateAddress)).toBe(
      true,
    );
    expect(
      [
        "8.8.8.8",
        "100.128.0.1",
        "172.32.0.1",
        "[2606:4700::1111]",
        "[2002:808:808::1]",
        "[2001:db9::1]",
      ].some(isPrivateAddress),
    ).toBe(false);
  });
});
