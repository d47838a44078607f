import { describe, expect, it } from "vitest";
import {
  MEMBERSHIP_CHECKS,
  membershipOf,
  moveEntry,
  stepTarget,
  watchLaterFirst,
  withoutVideo,
} from "./playlistEdit";

describe("moving a playlist item", () => {
  const list = ["a", "b", "c", "d"];

  it("moves up and down as the API does (remove, then insert at the position)", () => {
    expect(moveEntry(list, 2, 1)).toEqual(["a", "c", "b", "d"]);
    expect(moveEntry(list, 1, 2)).toEqual(["a", "c", "b", "d"]);
    expect(moveEntry(list, 0, 3)).toEqual(["b", "c", "d", "a"]);
  });

  it("puts a position past the end last and leaves the input alone", () => {
    expect(moveEntry(list, 0, 99)).toEqual(["b", "c", "d", "a"]);
    expect(list).toEqual(["a", "b", "c", "d"]);
  });

  it("changes nothing for an index that is not there", () => {
    expect(moveEntry(list, 7, 0)).toEqual(list);
  });

  it("has no step past either end", () => {
    expect(stepTarget(0, 3, "up")).toBeNull();
    expect(stepTarget(2, 3, "down")).toBeNull();
    expect(stepTarget(1, 3, "up")).toBe(0);
    expect(stepTarget(1, 3, "down")).toBe(2);
    expect(stepTarget(-1, 3, "down")).toBeNull();
  });
});

describe("the lists on screen", () => {
  it("drops a removed video", () => {
    const items = [{ video: { id: "v1" } }, { video: { id: "v2" } }];
    expect(withoutVideo(items, "v1")).toEqual([{ video: { id: "v2" } }]);
    expect(withoutVideo(items, "v9")).toEqual(items);
  });

  it("shows Watch later first and keeps the rest in order", () => {
    const lists = [
      { id: "p2", kind: "playlist" as const },
      { id: "wl", kind: "watch_later" as const },
      { id: "p1", kind: "playlist" as const },
    ];
    expect(watchLaterFirst(lists).map((l) => l.id)).toEqual(["wl", "p2", "p1"]);
  });
});

describe("which playlists hold the video", () => {
  it("checks the first lists only, and leaves a failed check unknown", async () => {
    const lists = Array.from({ length: MEMBERSHIP_CHECKS + 2 }, (_, n) => ({ id: `p${n}` }));
    const asked: string[] = [];
    const membership = await membershipOf(lists, async (id) => {
      asked.push(id);
      if (id === "p1") throw new Error("offline");
      return id === "p0";
    });
    expect(asked).toHaveLength(MEMBERSHIP_CHECKS);
    expect(membership.p0).toBe(true);
    expect(membership.p1).toBeUndefined();
    expect(membership.p2).toBe(false);
    expect(membership[`p${MEMBERSHIP_CHECKS}`]).toBeUndefined();
  });
});
