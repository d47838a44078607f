import { describe, expect, it } from "vitest";

// The API client reads window.location.origin when it is created; Node has no window. The real
// module is loaded (its ApiProblem is what the pages receive), with just that one global given.
(globalThis as { window?: unknown }).window ??= { location: { origin: "http://127.0.0.1:8787" } };
const { ApiProblem } = await import("../api/client");
const {
  appealBlock,
  claimConflict,
  claimStatus,
  decisionBody,
  decisionsFor,
  NO_FILTERS,
  queueQuery,
  targetHref,
} = await import("./moderation");

const NOW = Date.UTC(2026, 11, 6, 12);

describe("the queue's filters become the API's query", () => {
  it("sends nothing for no filters", () => {
    expect(queueQuery(NO_FILTERS)).toEqual({});
  });
  it("sends each filter that is set, the age as a number", () => {
    expect(
      queueQuery({ reason: "privacy", targetType: "comment", state: "claimed", olderThanHours: "24" }),
    ).toEqual({ reason: "privacy", targetType: "comment", state: "claimed", olderThanHours: 24 });
  });
  it("drops an age that is not a whole, non-negative number", () => {
    for (const bad of ["x", "-1", "1.5", " "])
      expect(queueQuery({ ...NO_FILTERS, olderThanHours: bad })).toEqual({});
    expect(queueQuery({ ...NO_FILTERS, olderThanHours: "0" })).toEqual({ olderThanHours: 0 });
  });
});

describe("claims as the signed-in moderator sees them", () => {
  const claimed = { state: "claimed", claimedBy: "acc_a", claimExpiresAt: NOW + 60_000 };
  it("an open case is free", () => {
    expect(claimStatus({ state: "open", claimedBy: null, claimExpiresAt: null }, "acc_a", NOW)).toBe("free");
  });
  it("a live claim is mine or someone else's", () => {
    expect(claimStatus(claimed, "acc_a", NOW)).toBe("mine");
    expect(claimStatus(claimed, "acc_b", NOW)).toBe("other");
    expect(claimStatus(claimed, null, NOW)).toBe("other");
  });
  it("a lapsed claim is free again, even to its holder", () => {
    expect(claimStatus(claimed, "acc_b", NOW + 60_000)).toBe("free");
    expect(claimStatus(claimed, "acc_a", NOW + 120_000)).toBe("free");
  });
  it("a decided case is not held by anyone", () => {
    expect(claimStatus({ ...claimed, state: "decided" }, "acc_a", NOW)).toBe("free");
  });
});

describe("a lost claim (409) is told apart from other failures", () => {
  it("reads the 409's detail", () => {
    const lost = new ApiProblem({ title: "Conflict", status: 409, detail: "Claimed until 12:30" });
    expect(claimConflict(lost)).toEqual({ detail: "Claimed until 12:30" });
    expect(claimConflict(new ApiProblem({ title: "Conflict", status: 409 }))).toEqual({ detail: "Conflict" });
  });
  it("is null for a 403, a 404 or a network error", () => {
    expect(claimConflict(new ApiProblem({ title: "Forbidden", status: 403 }))).toBeNull();
    expect(claimConflict(new ApiProblem({ title: "Not found", status: 404 }))).toBeNull();
    expect(claimConflict(new TypeError("Failed to fetch"))).toBeNull();
  });
});

describe("decisions", () => {
  it("age-restrict applies to videos only", () => {
    expect(decisionsFor("video")).toContain("age_restrict");
    expect(decisionsFor("comment")).not.toContain("age_restrict");
    expect(decisionsFor("channel")).not.toContain("age_restrict");
    expect(decisionsFor("comment")).toEqual(["dismiss", "remove", "demonetise", "strike"]);
  });
  it("sends the note only when written and the rating only for age-restrict", () => {
    expect(decisionBody("remove", "  ", "adult")).toEqual({ decision: "remove" });
    expect(decisionBody("strike", " spam link ", "teen")).toEqual({ decision: "strike", note: "spam link" });
    expect(decisionBody("age_restrict", "", "teen")).toEqual({ decision: "age_restrict", maturity: "teen" });
  });
});

describe("appeals", () => {
  it("the strike's issuer may not take its appeal", () => {
    expect(appealBlock({ strikeDecidedBy: "acc_a" }, "acc_a")).toBe("own");
    expect(appealBlock({ strikeDecidedBy: "acc_a" }, "acc_b")).toBeNull();
    expect(appealBlock({ strikeDecidedBy: "acc_a" }, null)).toBeNull();
  });
});

describe("small pieces", () => {
  it("links each kind of target to where it is seen, ids escaped", () => {
    const base = { videoId: null, channelId: null };
    expect(targetHref({ ...base, type: "video", id: "vid_1" })).toBe("/watch/vid_1");
    expect(targetHref({ ...base, type: "comment", id: "cmt_1", videoId: "vid/2" })).toBe("/watch/vid%2F2");
    expect(targetHref({ ...base, type: "comment", id: "cmt_1" })).toBeNull();
    expect(targetHref({ ...base, type: "channel", id: "ch_1" })).toBe("/channel/ch_1");
  });
});

describe("the vocabularies are the shared package's, in its order", () => {
  it("matches @marquee/shared", async () => {
    const shared = await import("@marquee/shared");
    const mine = await import("./moderation");
    expect(mine.REPORT_REASONS).toEqual([...shared.REPORT_REASONS]);
    expect(mine.REPORT_TARGET_TYPES).toEqual([...shared.REPORT_TARGET_TYPES]);
    expect(mine.CASE_STATES).toEqual([...shared.CASE_STATES]);
    expect(mine.DECISIONS).toEqual([...shared.DECISIONS]);
    expect(mine.APPEAL_STATES).toEqual([...shared.APPEAL_STATES]);
  });
});
