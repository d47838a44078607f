import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { testDb } from "../../test/fixtures";
import { seedAccount } from "../../test/harness";
import { profiles } from "../db/schema";
import type { Actor } from "../types";
import { acceptLanguage, adContextFor, clientNetwork, deviceClass } from "./context";
import { testAdServices } from "./test-utils";

const UA = {
  desktop:
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
  iphone:
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
  android:
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36",
  ipad: "Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1",
  androidTablet:
    "Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
  tizen:
    "Mozilla/5.0 (SMART-TV; Linux; Tizen 6.0) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/4.0 TV Safari/537.36",
  fireTv:
    "Mozilla/5.0 (Linux; Android 9; AFTMM Build/PS7633) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
};

const request = (headers: Record<string, string>, cf?: { country: string }) =>
  new Request("https://marquee.test/api/v1/videos/vid_x/playback", { headers, ...(cf ? { cf } : {}) });

const actorOf = (accountId: string, profileId: string, profileMaturity: Actor["profileMaturity"]): Actor => ({
  accountId,
  sessionId: "ses_test",
  email: "x@example.test",
  emailVerified: true,
  roles: ["viewer"],
  profileId,
  profileMaturity,
});

const video = { id: "vid_c", channelId: "ch_c", categoryId: "cat_c", maturity: "teen" as const };

describe("adContextFor", () => {
  it("device classes from the User-Agent", () => {
    expect(deviceClass(UA.desktop)).toBe("desktop");
    expect(deviceClass(UA.iphone)).toBe("mobile");
    expect(deviceClass(UA.android)).toBe("mobile");
    expect(deviceClass(UA.ipad)).toBe("tablet");
    expect(deviceClass(UA.androidTablet)).toBe("tablet");
    expect(deviceClass(UA.tizen)).toBe("tv");
    expect(deviceClass(UA.fireTv)).toBe("tv");
    expect(deviceClass(null)).toBe("desktop");
  });

  it("only the first 512 characters of a User-Agent are read (a crafted 112 kB header costs no more)", () => {
    // (workerd's clock does not move during CPU work, so the bound is shown by what is read, not timed.)
    expect(deviceClass(`${"Android".repeat(16_000)}Mobile`)).toBe("tablet");
    expect(deviceClass(`${"x".repeat(511)}Mobile Android`)).toBe("desktop");
  });

  it("Accept-Language: the first tag's primary subtag", () => {
    expect(acceptLanguage("de-CH,de;q=0.9,en;q=0.8")).toBe("de");
    expect(acceptLanguage("FR")).toBe("fr");
    expect(acceptLanguage("*")).toBeNull();
    expect(acceptLanguage(null)).toBeNull();
  });

  it("a signed-in profile: its language, its key, the content's fields, cf's country (never a header)", async () => {
    const family = await seedAccount({ tag: "adctx", profiles: [{ maturity: "kids" }] });
    const kid = family.profiles[1];
    if (!kid) throw new Error("no kids profile");
    await testDb().update(profiles).set({ language: "pt-BR" }).where(eq(profiles.id, kid.id));
    const req = request(
      { "user-agent": UA.ipad, "cf-ipcountry": "US", "accept-language": "en" },
      { country: "br" },
    );
    const ctx = await adContextFor(testAdServices(), actorOf(family.accountId, kid.id, "kids"), video, req);
    expect(ctx).toEqual({
      videoId: "vid_c",
      channelId: "ch_c",
      categoryId: "cat_c",
      maturity: "teen",
      country: "BR",
      language: "pt",
      device: "tablet",
      viewerKey: `profile:${kid.id}`,
      kids: true,
      // Signed in or not, decisions are rate-limited by the client's address (hashed).
      clientKey: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    const forged = await adContextFor(testAdServices(), null, null, request({ "cf-ipcountry": "US" }));
    expect(forged.country).toBeNull();
  });

  it("anonymous: Accept-Language, and a key hashed from the address alone (not the User-Agent)", async () => {
    const one = request({
      "user-agent": UA.iphone,
      "cf-connecting-ip": "203.0.113.9",
      "accept-language": "es-MX",
    });
    const ctx = await adContextFor(testAdServices(), null, null, one);
    expect(ctx).toMatchObject({
      videoId: null,
      maturity: null,
      language: "es",
      device: "mobile",
      kids: false,
    });
    expect(ctx.viewerKey).toMatch(/^anon:[0-9a-f]{32}$/);
    expect(ctx.viewerKey).not.toContain("203.0.113.9");
    const same = await adContextFor(testAdServices(), null, null, one.clone());
    expect(same.viewerKey).toBe(ctx.viewerKey);
    const otherIp = request({ "user-agent": UA.iphone, "cf-connecting-ip": "203.0.113.10" });
    expect((await adContextFor(testAdServices(), null, null, otherIp)).viewerKey).not.toBe(ctx.viewerKey);
    // Another User-Agent from the same address is the same viewer: no fresh cap per request.
    const otherUa = request({ "user-agent": UA.desktop, "cf-connecting-ip": "203.0.113.9" });
    expect((await adContextFor(testAdServices(), null, null, otherUa)).viewerKey).toBe(ctx.viewerKey);
  });

  it("IPv6: every address of one /64 is one viewer and one rate-limited client", async () => {
    const at = (ip: string) =>
      adContextFor(testAdServices(), null, null, request({ "cf-connecting-ip": ip }));
    const a = await at("2001:db8:0:1:aaaa::1");
    const b = await at("2001:0db8:0000:0001:ffff:ffff:ffff:fffe");
    const c = await at("2001:db8::1:0:0:0:5");
    expect(b.viewerKey).toBe(a.viewerKey);
    expect(c.viewerKey).toBe(a.viewerKey);
    expect(b.clientKey).toBe(a.clientKey);
    expect((await at("2001:db8:0:2::1")).viewerKey).not.toBe(a.viewerKey);
    expect(clientNetwork(request({ "cf-connecting-ip": "2001:db8::1:0:0:0:5" }))).toBe("2001:db8:0:1::/64");
    expect(clientNetwork(request({ "cf-connecting-ip": "::ffff:203.0.113.9" }))).toBe("203.0.113.9");
  });
});
