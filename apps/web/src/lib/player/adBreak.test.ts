import { describe, expect, it } from "vitest";
import {
  AD_DATERANGE_CLASS,
  type AdBreak,
  adBreakFromDateRanges,
  adBreakFromPlayback,
  adRemaining,
  clock,
  contentDuration,
  contentTime,
  type DateRangeLike,
  inAd,
  mediaTime,
  resumeTarget,
  seekTarget,
} from "./adBreak";

const range = (over: Partial<DateRangeLike> = {}): DateRangeLike => ({
  id: "ad-ses_1",
  class: AD_DATERANGE_CLASS,
  startTime: 0,
  duration: 12.5,
  attr: { "X-AD-ID": "cmp_1", "X-AD-TITLE": "Spring sale", "X-AD-CLICK": "https://edge.test/click/abc" },
  ...over,
});

const ad: AdBreak = { id: "ad-x", start: 0, duration: 10, end: 10, clickUrl: null, title: null };

describe("reading the ad break", () => {
  it("takes the com.marquee.ad date range with its duration, click-through and title", () => {
    expect(adBreakFromDateRanges({ "ad-ses_1": range() })).toEqual({
      id: "ad-ses_1",
      start: 0,
      duration: 12.5,
      end: 12.5,
      clickUrl: "https://edge.test/click/abc",
      title: "Spring sale",
    });
  });

  it("ignores other classes, ranges without a duration, and an empty playlist", () => {
    expect(adBreakFromDateRanges({ a: range({ class: "com.apple.hls.interstitial" }) })).toBeNull();
    expect(adBreakFromDateRanges({ a: range({ duration: null }) })).toBeNull();
    expect(adBreakFromDateRanges({ a: range({ duration: 0 }) })).toBeNull();
    expect(adBreakFromDateRanges({})).toBeNull();
    expect(adBreakFromDateRanges(undefined)).toBeNull();
  });

  it("puts a range hls.js could not anchor (NaN start) at 0, where the edge stitches its pre-roll", () => {
    expect(adBreakFromDateRanges({ a: range({ startTime: Number.NaN, duration: 8 }) })?.end).toBe(8);
  });

  it("falls back to the playback response's ad in milliseconds", () => {
    expect(
      adBreakFromPlayback({ sessionId: "s1", durationMs: 15_040, clickUrl: "https://x.test/c", title: "T" }),
    ).toEqual({
      id: "ad-s1",
      start: 0,
      duration: 15.04,
      end: 15.04,
      clickUrl: "https://x.test/c",
      title: "T",
    });
    expect(adBreakFromPlayback(null)).toBeNull();
    expect(adBreakFromPlayback({ durationMs: 0 })).toBeNull();
  });
});

describe("content time leaves the ad out", () => {
  it("is 0 during the ad and media time minus the ad after it", () => {
    expect(contentTime(4, ad)).toBe(0);
    expect(contentTime(10, ad)).toBe(0);
    expect(contentTime(25.5, ad)).toBe(15.5);
    expect(contentTime(25.5, null)).toBe(25.5);
    expect(contentTime(Number.NaN, ad)).toBe(0);
  });

  it("maps a content position back to media time (the scrubber's seek, a resume point)", () => {
    expect(mediaTime(15.5, ad)).toBe(25.5);
    expect(mediaTime(0, ad)).toBe(10);
    expect(mediaTime(-3, ad)).toBe(10);
    expect(mediaTime(7, null)).toBe(7);
    for (const t of [0, 1.25, 60, 3599.9]) expect(contentTime(mediaTime(t, ad), ad)).toBeCloseTo(t, 9);
  });

  it("shows the content's duration without the ad", () => {
    expect(contentDuration(70, ad)).toBe(60);
    expect(contentDuration(70, null)).toBe(70);
    expect(contentDuration(Number.POSITIVE_INFINITY, ad)).toBe(0);
    expect(contentDuration(5, ad)).toBe(0);
  });

  it("knows when the play-head is in the ad", () => {
    expect(inAd(0, ad)).toBe(true);
    expect(inAd(9.99, ad)).toBe(true);
    expect(inAd(10, ad)).toBe(false);
    expect(inAd(3, null)).toBe(false);
  });
});

describe("the countdown", () => {
  it("counts whole seconds down, rounding up so it never says 0:00 while the ad plays", () => {
    expect(adRemaining(0, ad)).toBe(10);
    expect(adRemaining(0.2, ad)).toBe(10);
    expect(adRemaining(9.01, ad)).toBe(1);
    expect(adRemaining(10, ad)).toBe(0);
    expect(clock(adRemaining(0, { ...ad, end: 75, duration: 75 }))).toBe("1:15");
    expect(clock(12)).toBe("0:12");
    expect(clock(-1)).toBe("0:00");
  });
});

describe("seeking around the ad", () => {
  it("snaps a seek past the furthest point played back while the ad has not been watched", () => {
    expect(seekTarget(30, ad, { done: false, furthest: 3 })).toBe(3);
    expect(seekTarget(9.9, ad, { done: false, furthest: 3 })).toBe(3);
    // Small jitter and seeks back inside the ad are let be.
    expect(seekTarget(3.2, ad, { done: false, furthest: 3 })).toBeNull();
    expect(seekTarget(1, ad, { done: false, furthest: 3 })).toBeNull();
  });

  it("keeps the viewer out of the ad once it was watched (a loop lands on the content)", () => {
    expect(seekTarget(0, ad, { done: true, furthest: 10 })).toBe(10);
    expect(seekTarget(9.5, ad, { done: true, furthest: 10 })).toBe(10);
    expect(seekTarget(12, ad, { done: true, furthest: 10 })).toBeNull();
  });

  it("lets any seek be without an ad", () => {
    expect(seekTarget(50, null, { done: false, furthest: 0 })).toBeNull();
  });

  it("resumes after the ad at the content position the profile stopped at", () => {
    expect(resumeTarget(42_000, ad)).toBe(52);
    expect(resumeTarget(42_000, null)).toBe(42);
    expect(resumeTarget(0, ad)).toBeNull();
  });
});
