import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { checkWebhookUrl, isPublicIpv4, isPublicIpv6 } from "./address";

// The test zone of test/webhook-receiver.ts answers these names over DoH.
const rules = { resolverUrl: env.DNS_RESOLVER_URL, allowedOrigins: [env.WEBHOOK_RECEIVER_URL] };
const check = (url: string) => checkWebhookUrl(url, rules);
const refusedFor = async (url: string) => {
  const verdict = await check(url);
  return verdict.ok ? null : verdict.reason;
};

describe("where a webhook may point (no SSRF)", () => {
  it("accepts an https URL whose name resolves only to public addresses", async () => {
    expect(await check("https://hooks.public.example/marquee")).toEqual({ ok: true });
    expect(await check("https://93.184.215.14:8443/in")).toEqual({ ok: true });
    expect(await check("https://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]/in")).toEqual({ ok: true });
  });

  it("refuses a name that resolves to loopback, private, link-local or mapped addresses", async () => {
    expect(await refusedFor("https://loopback.example/hook")).toMatch(
      /resolves to a private address \(127\.0\.0\.1\)/,
    );
    expect(await refusedFor("https://private.example/hook")).toMatch(/10\.1\.2\.3/);
    expect(await refusedFor("https://metadata.example/latest")).toMatch(/169\.254\.169\.254/);
    expect(await refusedFor("https://v6loop.example/")).toMatch(/::1/);
    expect(await refusedFor("https://mapped.example/")).toMatch(/private address/);
    // One private address among public ones is enough: a client may connect to any of them.
    expect(await refusedFor("https://mixed.example/")).toMatch(/192\.168\.1\.10/);
    expect(await refusedFor("https://alias.example/")).toMatch(/127\.0\.0\.1/);
  });

  it("refuses address literals in every spelling the URL parser accepts", async () => {
    for (const url of [
      "https://127.0.0.1/",
      "https://2130706433/",
      "https://0x7f.1/",
      "https://127.1/",
      "https://0/",
      "https://[::1]/",
      "https://[::ffff:127.0.0.1]/",
      "https://[::ffff:7f00:1]/",
      "https://[fe80::1]/",
      "https://[fd00::1]/",
      "https://[64:ff9b::a00:1]/",
      "https://[2002:7f00:1::]/",
      "https://[2001:db8::1]/",
      "https://169.254.169.254/",
      "https://100.64.0.1/",
    ]) {
      expect(await refusedFor(url), url).toMatch(/private address/);
    }
  });

  it("refuses plain http, credentials, internal names, and names that do not resolve", async () => {
    expect(await refusedFor("http://hooks.public.example/")).toMatch(/must use https/);
    expect(await refusedFor("https://user:pw@hooks.public.example/")).toMatch(/user name or password/);
    expect(await refusedFor("https://localhost/")).toMatch(/not public/);
    expect(await refusedFor("https://printer.local/")).toMatch(/not public/);
    expect(await refusedFor("https://db.internal/")).toMatch(/not public/);
    expect(await refusedFor("https://intranet/")).toMatch(/not public/);
    expect(await refusedFor("https://nowhere.example/")).toMatch(/does not resolve/);
    expect(await refusedFor("ftp://hooks.public.example/")).toMatch(/must use https/);
  });

  it("exempts exactly the configured origins (the local test receiver), nothing near them", async () => {
    const origin = env.WEBHOOK_RECEIVER_URL;
    expect(await check(`${origin}/hooks/x`)).toEqual({ ok: true });
    const port = Number(new URL(origin).port);
    expect(await refusedFor(`http://127.0.0.1:${port + 1}/hooks/x`)).toMatch(/https/);
    expect(await refusedFor(`https://127.0.0.1:${port}/hooks/x`)).toMatch(/private address/);
  });

  it("refuses this deployment's own host and its subdomains (PUBLIC_URL's), and names DNS cannot hold", async () => {
    const own = { ...rules, deniedHosts: ["public.example"] };
    expect(await checkWebhookUrl("https://public.example/api", own)).toMatchObject({ ok: false });
    expect(await checkWebhookUrl("https://hooks.public.example/in", own)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/this Marquee deployment/),
    });
    expect(await refusedFor(`https://${"a".repeat(64)}.example/`)).toMatch(/DNS cannot hold/);
    expect(await refusedFor(`https://${"abcdefghi.".repeat(26)}example/`)).toMatch(/DNS cannot hold/);
  });

  it("classifies addresses by range", () => {
    expect(["8.8.8.8", "1.1.1.1", "93.184.215.14"].map(isPublicIpv4)).toEqual([true, true, true]);
    expect(
      [
        "10.0.0.1",
        "172.31.255.255",
        "192.168.0.1",
        "127.255.0.1",
        "0.1.2.3",
        "224.0.0.1",
        "255.255.255.255",
      ].map(isPublicIpv4),
    ).toEqual(Array(7).fill(false));
    expect(["172.15.0.1", "172.32.0.1", "100.63.255.255", "100.128.0.1"].map(isPublicIpv4)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(isPublicIpv6("2606:4700::1111")).toBe(true);
    expect(isPublicIpv6("2001:0:4136:e378:8000:63bf:80ff:fffe")).toBe(false); // Teredo to 127.0.0.1
    expect(isPublicIpv6("fe80::1%eth0")).toBe(false);
    expect(isPublicIpv6("not:an:address")).toBe(false);
  });
});
