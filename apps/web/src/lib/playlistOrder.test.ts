import { describe, expect, it } from "vitest";
import {
  autoplayNext,
  nextInPlaylist,
  type PlaylistItem,
  takeAutoplay,
  watchInPlaylist,
} from "./playlistOrder";

const item = (id: string, position: number) =>
  ({ position, addedAt: "", video: { id } }) as unknown as PlaylistItem;

describe("playing a playlist", () => {
  const items = [item("vid_a", 0), item("vid_b", 1), item("vid_c", 2)];

  it("goes to the next video in order, and stops after the last", () => {
    expect(nextInPlaylist(items, "vid_a")?.video.id).toBe("vid_b");
    expect(nextInPlaylist(items, "vid_b")?.video.id).toBe("vid_c");
    expect(nextInPlaylist(items, "vid_c")).toBeNull();
  });

  it("has no next for a video that is not in the list", () => {
    expect(nextInPlaylist(items, "vid_z")).toBeNull();
    expect(nextInPlaylist([], "vid_a")).toBeNull();
  });

  it("links a video with its list", () => {
    expect(watchInPlaylist("vid_b", "pl_1")).toBe("/watch/vid_b?list=pl_1");
  });

  it("asks the next page to autoplay once: not again on a reload or a Back", () => {
    autoplayNext("vid_b", true);
    expect(takeAutoplay("vid_a")).toBeNull();
    expect(takeAutoplay("vid_b")).toEqual({ focus: true });
    expect(takeAutoplay("vid_b")).toBeNull();
  });
});
