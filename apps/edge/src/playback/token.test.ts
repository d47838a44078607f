// Playback tokens with ads (token.ts): the three shapes round-trip, stay one path segment, and none
// can be turned into another (a plain link into one with an ad, an ad-session link into content).
import { describe, expect, it } from "vitest";
import { issuePlaybackToken, type PlaybackGrant, verifyPlaybackToken } from "./token";

const SECRET = "test-secret-0123456789";
const NOW = 1_800_000_000;
const base = { videoId: "vid_content1", expires: NOW + 600, maxHeight: 720, generation: 0 };
const ad = {
  sessionId: "ads_sess1",
  campaignId: "cmp_camp1",
  creativeVideoId: "vid_creative1",
  creativeGeneration: 5,
};
const session = { sessionId: "ads_sess1", campaignId: "cmp_camp1" };

describe("playback tokens with ads", () => {
  it("round-trips plain, content-with-ad and ad-session grants, each one path segment", async () => {
    const grants: PlaybackGrant[] = [
      base,
      { ...base, ad },
      { ...base, videoId: "vid_creative1", generation: 5, adSession: session },
    ];
    for (const grant of grants) {
      const token = await issuePlaybackToken(SECRET, grant);
      expect(token).toMatch(/^[A-Za-z0-9_.-]+$/);
      expect(await verifyPlaybackToken(SECRET, grant.videoId, token, NOW)).toEqual(grant);
    }
    // The plain shape is unchanged from before ads: four fields.
    expect((await issuePlaybackToken(SECRET, base)).split(".")).toHaveLength(4);
  });

  it("refuses a plain token extended with an ad, and an ad token stripped of it", async () => {
    const plain = await issuePlaybackToken(SECRET, base);
    const [e, h, g, sig] = plain.split(".");
    const extended = [e, h, g, ad.sessionId, ad.campaignId, ad.creativeVideoId, "5", sig].join(".");
    expect(await verifyPlaybackToken(SECRET, base.videoId, extended, NOW)).toBeNull();
    const withAd = (await issuePlaybackToken(SECRET, { ...base, ad })).split(".");
    const stripped = [withAd[0], withAd[1], withAd[2], withAd[7]].join(".");
    expect(await verifyPlaybackToken(SECRET, base.videoId, stripped, NOW)).toBeNull();
  });

  it("refuses an ad-session token dressed as content with an ad, or moved to another session", async () => {
    const grant = { ...base, videoId: "vid_creative1", adSession: session };
    const parts = (await issuePlaybackToken(SECRET, grant)).split(".");
    const asSession2 = [...parts.slice(0, 3), "ads_sess2", parts[4], parts[5]].join(".");
    expect(await verifyPlaybackToken(SECRET, grant.videoId, asSession2, NOW)).toBeNull();
    const asContent = [...parts.slice(0, 5), "vid_x", "0", parts[5]].join(".");
    expect(await verifyPlaybackToken(SECRET, grant.videoId, asContent, NOW)).toBeNull();
  });

  it("has one spelling: a leading zero in the creative's generation or an upper-case id is refused", async () => {
    const parts = (await issuePlaybackToken(SECRET, { ...base, ad })).split(".");
    const zero = [...parts.slice(0, 6), `0${parts[6]}`, parts[7]].join(".");
    expect(await verifyPlaybackToken(SECRET, base.videoId, zero, NOW)).toBeNull();
    const upper = [...parts.slice(0, 3), parts[3]?.toUpperCase(), ...parts.slice(4)].join(".");
    expect(await verifyPlaybackToken(SECRET, base.videoId, upper, NOW)).toBeNull();
  });

  it("refuses to issue a grant with both an ad and an ad session, or ids that could split the token", async () => {
    await expect(issuePlaybackToken(SECRET, { ...base, ad, adSession: session })).rejects.toThrow();
    await expect(
      issuePlaybackToken(SECRET, { ...base, adSession: { ...session, sessionId: "a.b" } }),
    ).rejects.toThrow();
  });
});
