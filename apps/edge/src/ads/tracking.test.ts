// Tracking, pure: which events each ad segment stands for, and the signed beacon and click tokens
// (forged, altered, swapped between sessions, expired, other spellings: all refused).
import { describe, expect, it } from "vitest";
import {
  issueBeaconToken,
  issueClickToken,
  segmentEvents,
  verifyBeaconToken,
  verifyClickToken,
} from "./tracking";

const SECRET = "test-secret-0123456789";
const NOW = 1_800_000_000;

describe("segmentEvents", () => {
  it("maps four 4 s segments: impression+start, firstQuartile, midpoint, thirdQuartile+complete", () => {
    const d = [4000, 4000, 4000, 4000];
    // 25 % = 4 s opens segment 2; 50 % = 8 s opens segment 3; 75 % = 12 s opens segment 4.
    expect(d.map((_, i) => segmentEvents(d, i))).toEqual([
      ["impression", "start"],
      ["firstQuartile"],
      ["midpoint"],
      ["thirdQuartile", "complete"],
    ]);
  });

  it("puts each quartile in the segment containing it, with a short last segment", () => {
    const d = [4000, 4000, 4000, 3200]; // 15.2 s: 3.8, 7.6, 11.4 s
    expect(d.map((_, i) => segmentEvents(d, i))).toEqual([
      ["impression", "start", "firstQuartile"],
      ["midpoint"],
      ["thirdQuartile"],
      ["complete"],
    ]);
  });

  it("reports everything on a one-segment ad, and several quartiles on one long segment", () => {
    expect(segmentEvents([6000], 0)).toEqual([
      "impression",
      "start",
      "firstQuartile",
      "midpoint",
      "thirdQuartile",
      "complete",
    ]);
    expect(segmentEvents([1000, 8000, 1000], 1)).toEqual(["firstQuartile", "midpoint", "thirdQuartile"]);
  });

  it("every event appears exactly once across an ad's segments, whatever the durations", () => {
    for (const d of [
      [4000, 4000, 4000, 4000, 4000, 4000, 4000, 4000, 4000, 1500],
      [3999, 1],
      [1, 1, 1],
    ]) {
      const all = d.flatMap((_, i) => segmentEvents(d, i));
      expect([...all].sort()).toEqual(
        ["impression", "start", "firstQuartile", "midpoint", "thirdQuartile", "complete"].sort(),
      );
    }
  });

  it("reports nothing for a segment the playlist does not list", () => {
    expect(segmentEvents([4000, 4000], -1)).toEqual([]);
    expect(segmentEvents([4000, 4000], 2)).toEqual([]);
  });
});

describe("beacon and click tokens", () => {
  const beacon = {
    sessionId: "ads_aaa",
    campaignId: "cmp_bbb",
    event: "impression" as const,
    expires: NOW + 60,
  };

  it("round-trips a beacon and a click", async () => {
    const t = await issueBeaconToken(SECRET, beacon);
    expect(t).toMatch(/^ads_aaa\.cmp_bbb\.impression\.[0-9a-z]+\.[A-Za-z0-9_-]{22}$/);
    expect(await verifyBeaconToken(SECRET, t, NOW)).toEqual(beacon);
    const c = await issueClickToken(SECRET, {
      sessionId: "ads_aaa",
      campaignId: "cmp_bbb",
      expires: NOW + 60,
    });
    expect(await verifyClickToken(SECRET, c, NOW)).toEqual({
      sessionId: "ads_aaa",
      campaignId: "cmp_bbb",
      expires: NOW + 60,
    });
  });

  it("refuses another session, event or campaign under the same signature, and another key", async () => {
    const t = await issueBeaconToken(SECRET, beacon);
    const sig = t.split(".").pop();
    const exp = (NOW + 60).toString(36);
    for (const forged of [
      `ads_other.cmp_bbb.impression.${exp}.${sig}`,
      `ads_aaa.cmp_other.impression.${exp}.${sig}`,
      `ads_aaa.cmp_bbb.complete.${exp}.${sig}`,
      `ads_aaa.cmp_bbb.impression.${(NOW + 9999).toString(36)}.${sig}`,
      `ads_aaa.cmp_bbb.impression.0${exp}.${sig}`,
      `ADS_aaa.cmp_bbb.impression.${exp}.${sig}`,
      `ads_aaa.cmp_bbb.bogus.${exp}.${sig}`,
      `${t}.x`,
      "",
    ]) {
      expect(await verifyBeaconToken(SECRET, forged, NOW), forged).toBeNull();
    }
    expect(await verifyBeaconToken("another-secret-0123456789", t, NOW)).toBeNull();
  });

  it("never takes a beacon for a click or a click for a beacon (separate keys and shapes)", async () => {
    const click = await issueClickToken(SECRET, {
      sessionId: "ads_aaa",
      campaignId: "cmp_bbb",
      expires: NOW + 60,
    });
    const [s, c, e, sig] = click.split(".");
    expect(await verifyBeaconToken(SECRET, `${s}.${c}.click.${e}.${sig}`, NOW)).toBeNull();
    const b = await issueBeaconToken(SECRET, { ...beacon, event: "click" });
    const [bs, bc, , be, bsig] = b.split(".");
    expect(await verifyClickToken(SECRET, `${bs}.${bc}.${be}.${bsig}`, NOW)).toBeNull();
  });

  it("refuses expired tokens", async () => {
    const t = await issueBeaconToken(SECRET, { ...beacon, expires: NOW - 1 });
    expect(await verifyBeaconToken(SECRET, t, NOW)).toBeNull();
    const c = await issueClickToken(SECRET, {
      sessionId: "ads_aaa",
      campaignId: "cmp_bbb",
      expires: NOW - 1,
    });
    expect(await verifyClickToken(SECRET, c, NOW)).toBeNull();
  });
});
