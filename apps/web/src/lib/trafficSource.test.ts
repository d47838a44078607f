import { describe, expect, it } from "vitest";
import {
  decideSource,
  noteNavigation,
  noteWatchClick,
  originOfList,
  rememberedOrigin,
  type SourceFacts,
  watchedVideoOf,
} from "./trafficSource";

const facts = (over: Partial<SourceFacts> = {}): SourceFacts => ({
  pathname: "/watch/vid_1",
  clicked: null,
  navigations: 0,
  referrer: "",
  ownOrigin: "https://marquee.test",
  ...over,
});

describe("the traffic source of a player session", () => {
  it("is the list clicked to get here: a feed row with its reason, search, a channel", () => {
    const feed = { source: "feed", feedRow: "because_you_watched" } as const;
    expect(decideSource(facts({ clicked: feed, navigations: 1 }))).toEqual(feed);
    expect(decideSource(facts({ clicked: { source: "search" }, navigations: 3 }))).toEqual({
      source: "search",
    });
    expect(decideSource(facts({ clicked: { source: "channel" }, navigations: 2 }))).toEqual({
      source: "channel",
    });
  });

  it("is embed on the embed page, whatever the embedding site", () => {
    expect(decideSource(facts({ pathname: "/embed/vid_1", referrer: "https://blog.example/post" }))).toEqual({
      source: "embed",
    });
  });

  it("on the page the browser loaded: external from another site, direct with no referrer, other from ours", () => {
    expect(decideSource(facts({ referrer: "https://news.example/item?id=1" }))).toEqual({
      source: "external",
    });
    expect(decideSource(facts({ referrer: "" }))).toEqual({ source: "direct" });
    expect(decideSource(facts({ referrer: "https://marquee.test/watch/vid_0" }))).toEqual({
      source: "other",
    });
    expect(decideSource(facts({ referrer: "not a url" }))).toEqual({ source: "other" });
  });

  it("is other for a reload or a back/forward page load, whose referrer is the first load's", () => {
    const news = "https://news.example/item?id=1";
    expect(decideSource(facts({ referrer: news, navigationType: "reload" }))).toEqual({ source: "other" });
    expect(decideSource(facts({ referrer: news, navigationType: "back_forward" }))).toEqual({
      source: "other",
    });
    expect(decideSource(facts({ referrer: "", navigationType: "reload" }))).toEqual({ source: "other" });
    // A fresh load keeps its referrer's word.
    expect(decideSource(facts({ referrer: news, navigationType: "navigate" }))).toEqual({
      source: "external",
    });
    expect(decideSource(facts({ navigationType: "navigate" }))).toEqual({ source: "direct" });
    // A list clicked since the load still says where the watch came from.
    const feed = { source: "feed", feedRow: "trending" } as const;
    expect(decideSource(facts({ clicked: feed, navigations: 1, navigationType: "reload" }))).toEqual(feed);
  });

  it("is other after an in-app navigation no marked list made (up next, history, back), whatever the referrer", () => {
    expect(decideSource(facts({ navigations: 1, referrer: "https://news.example/" }))).toEqual({
      source: "other",
    });
    expect(decideSource(facts({ navigations: 4 }))).toEqual({ source: "other" });
  });
});

describe("reading a list's markup", () => {
  it("takes feed (with a known reason), search and channel; nothing else", () => {
    expect(originOfList("feed", "trending")).toEqual({ source: "feed", feedRow: "trending" });
    expect(originOfList("feed", "made_up")).toEqual({ source: "feed" });
    expect(originOfList("feed", null)).toEqual({ source: "feed" });
    expect(originOfList("search", "trending")).toEqual({ source: "search" });
    expect(originOfList("channel", null)).toEqual({ source: "channel" });
    expect(originOfList("external", null)).toBeNull();
    expect(originOfList("embed", null)).toBeNull();
    expect(originOfList(null, null)).toBeNull();
  });

  it("finds the video of a watch path only", () => {
    expect(watchedVideoOf("/watch/vid_1")).toBe("vid_1");
    expect(watchedVideoOf("/watch/vid_1/")).toBe("vid_1");
    expect(watchedVideoOf("/watch/")).toBeNull();
    expect(watchedVideoOf("/channel/ch_1")).toBeNull();
    expect(watchedVideoOf("/embed/vid_1")).toBeNull();
  });
});

describe("remembering the click that led to a watch page", () => {
  it("keeps it when the next navigation goes to that video, for that video only", () => {
    noteWatchClick("vid_1", { source: "feed", feedRow: "new" });
    noteNavigation("/watch/vid_1");
    expect(rememberedOrigin("vid_1")).toEqual({ source: "feed", feedRow: "new" });
    expect(rememberedOrigin("vid_2")).toBeNull();
  });

  it("drops it when the navigation went elsewhere, and on the navigation after", () => {
    noteWatchClick("vid_1", { source: "search" });
    noteNavigation("/channel/ch_1");
    expect(rememberedOrigin("vid_1")).toBeNull();

    noteWatchClick("vid_1", { source: "search" });
    noteNavigation("/watch/vid_1");
    noteNavigation("/history");
    noteNavigation("/watch/vid_1"); // back to it, not by a list click
    expect(rememberedOrigin("vid_1")).toBeNull();
  });

  it("keeps it while the same watch page stays (a query change), not after a click elsewhere", () => {
    noteWatchClick("vid_1", { source: "channel" });
    noteNavigation("/watch/vid_1");
    noteNavigation("/watch/vid_1");
    expect(rememberedOrigin("vid_1")).toEqual({ source: "channel" });
    noteWatchClick("vid_1", null); // up next links to the same video: not the channel's any more
    noteNavigation("/watch/vid_1");
    expect(rememberedOrigin("vid_1")).toBeNull();
  });

  it("forgets an earlier list click when the last click was on an unmarked link", () => {
    noteWatchClick("vid_1", { source: "channel" });
    noteWatchClick("vid_1", null);
    noteNavigation("/watch/vid_1");
    expect(rememberedOrigin("vid_1")).toBeNull();
  });
});
