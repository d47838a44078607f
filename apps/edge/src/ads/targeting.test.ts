import { describe, expect, it } from "vitest";
import type { Targeting } from "../db/schema";
import { matchesTargeting } from "./targeting";
import type { AdContext } from "./types";

const ANY: Targeting = {
  categories: [],
  countries: [],
  languages: [],
  devices: [],
  maxMaturity: "adult",
  excludedChannels: [],
};
const campaign = (t: Partial<Targeting> = {}, kidsSafe = false) => ({
  targeting: { ...ANY, ...t },
  kidsSafe,
});
const ctx = (extra: Partial<AdContext> = {}): AdContext => ({
  videoId: "vid_1",
  channelId: "ch_1",
  categoryId: "cat_music",
  maturity: "teen",
  country: "DE",
  language: "de",
  device: "mobile",
  viewerKey: "profile:p1",
  kids: false,
  ...extra,
});

describe("targeting", () => {
  it("kids-rated content gets only kids-safe campaigns whoever watches (anonymous, embed, adult)", () => {
    const anonymous = ctx({ maturity: "kids", viewerKey: "anon:0123", kids: false });
    expect(matchesTargeting(campaign(), anonymous)).toBe(false);
    expect(matchesTargeting(campaign({}, true), anonymous)).toBe(true);
    expect(matchesTargeting(campaign(), ctx({ maturity: "kids", kids: false }))).toBe(false);
    // Content rated above kids for an adult: any campaign allowing the rating.
    expect(matchesTargeting(campaign(), ctx({ maturity: "teen", kids: false }))).toBe(true);
  });

  it("empty lists match any context, unknown values included", () => {
    expect(matchesTargeting(campaign(), ctx())).toBe(true);
    expect(matchesTargeting(campaign(), ctx({ country: null, language: null, categoryId: null }))).toBe(true);
  });

  it("each listed dimension must match: category, country, language, device", () => {
    expect(matchesTargeting(campaign({ categories: ["cat_music"] }), ctx())).toBe(true);
    expect(matchesTargeting(campaign({ categories: ["cat_news"] }), ctx())).toBe(false);
    expect(matchesTargeting(campaign({ countries: ["AT", "DE"] }), ctx())).toBe(true);
    expect(matchesTargeting(campaign({ countries: ["AT"] }), ctx())).toBe(false);
    expect(matchesTargeting(campaign({ languages: ["de"] }), ctx({ language: "DE" }))).toBe(true);
    expect(matchesTargeting(campaign({ languages: ["fr"] }), ctx())).toBe(false);
    expect(matchesTargeting(campaign({ devices: ["mobile", "tablet"] }), ctx())).toBe(true);
    expect(matchesTargeting(campaign({ devices: ["tv"] }), ctx())).toBe(false);
  });

  it("an unknown country, language or category does not match a campaign that restricts it", () => {
    expect(matchesTargeting(campaign({ countries: ["DE"] }), ctx({ country: null }))).toBe(false);
    expect(matchesTargeting(campaign({ languages: ["de"] }), ctx({ language: null }))).toBe(false);
    expect(matchesTargeting(campaign({ categories: ["cat_music"] }), ctx({ categoryId: null }))).toBe(false);
  });

  it("maxMaturity: the content's rating may not exceed it; an unrated context counts as adult", () => {
    expect(matchesTargeting(campaign({ maxMaturity: "teen" }), ctx({ maturity: "teen" }))).toBe(true);
    expect(matchesTargeting(campaign({ maxMaturity: "teen" }), ctx({ maturity: "adult" }))).toBe(false);
    // (Kids content also needs a kids-safe campaign: the test above.)
    expect(matchesTargeting(campaign({ maxMaturity: "kids" }, true), ctx({ maturity: "kids" }))).toBe(true);
    expect(matchesTargeting(campaign({ maxMaturity: "teen" }), ctx({ maturity: null }))).toBe(false);
    expect(matchesTargeting(campaign({ maxMaturity: "adult" }), ctx({ maturity: null }))).toBe(true);
  });

  it("an excluded channel never gets the campaign", () => {
    expect(matchesTargeting(campaign({ excludedChannels: ["ch_1"] }), ctx())).toBe(false);
    expect(matchesTargeting(campaign({ excludedChannels: ["ch_2"] }), ctx())).toBe(true);
  });

  it("kids: only kids-safe campaigns, whose declared targeting still applies", () => {
    const kids = ctx({ kids: true, maturity: "kids" });
    expect(matchesTargeting(campaign(), kids)).toBe(false);
    expect(matchesTargeting(campaign({}, true), kids)).toBe(true);
    expect(matchesTargeting(campaign({ languages: ["de"] }), kids)).toBe(false);
    expect(matchesTargeting(campaign({ languages: ["de"] }, true), kids)).toBe(true);
    expect(matchesTargeting(campaign({ languages: ["fr"] }, true), kids)).toBe(false);
  });
});
