import { MODERATION_TEXT_MAX, REPORT_REASONS as SHARED_REASONS } from "@marquee/shared";
import { describe, expect, it, vi } from "vitest";

// lib/reports.ts imports the API client, which needs a window: a stand-in with ApiProblem's shape instead.
vi.mock("../api/client", async () => {
  class ApiProblem extends Error {
    constructor(readonly problem: Record<string, unknown> & { title: string; status: number }) {
      super(problem.title);
    }
  }
  return { ApiProblem, api: {}, must: () => Promise.reject(new Error("no API in unit tests")) };
});

const { ApiProblem } = await import("../api/client");
const {
  REPORT_REASONS,
  TEXT_MAX,
  canAppeal,
  freezeEnd,
  isoOf,
  refusalOf,
  reportAtSeconds,
  reportBody,
  retryAfterOf,
  retryAfterSeconds,
  strikeStatus,
  textCount,
} = await import("./reports");

const problem = (status: number, code?: string, extra: Record<string, unknown> = {}) =>
  new ApiProblem({ title: "Refused", status, ...(code ? { code } : {}), ...extra });

describe("the reasons", () => {
  it("are @marquee/shared's, in its order (the dialog's order)", () => {
    expect([...REPORT_REASONS]).toEqual([...SHARED_REASONS]);
  });
  it("share the text limit with the API", () => {
    expect(TEXT_MAX).toBe(MODERATION_TEXT_MAX);
  });
});

describe("reportBody", () => {
  const video = { type: "video" as const, id: "vid_1" };
  it("trims the text and leaves it out when empty", () => {
    expect(reportBody(video, "spam_or_misleading", "  buy now  ", null)).toEqual({
      targetType: "video",
      targetId: "vid_1",
      reason: "spam_or_misleading",
      text: "buy now",
    });
    expect(reportBody(video, "other", "   \n ", null)).not.toHaveProperty("text");
  });
  it("sends a video's position in whole seconds, never negative", () => {
    expect(reportBody(video, "harassment", "", 83.9).atSeconds).toBe(83);
    expect(reportBody(video, "harassment", "", -4).atSeconds).toBe(0);
    expect(reportBody(video, "harassment", "", Number.NaN)).not.toHaveProperty("atSeconds");
  });
  it("never sends a position for a comment or a channel", () => {
    expect(reportBody({ type: "comment", id: "cmt_1" }, "harassment", "", 12)).not.toHaveProperty(
      "atSeconds",
    );
    expect(reportBody({ type: "channel", id: "chn_1" }, "privacy", "", 12)).not.toHaveProperty("atSeconds");
  });
});

describe("textCount", () => {
  it("counts what is sent (trimmed) and says when it is over the limit", () => {
    expect(textCount("  hello ")).toEqual({ used: 5, over: false });
    expect(textCount("x".repeat(TEXT_MAX))).toEqual({ used: TEXT_MAX, over: false });
    expect(textCount("x".repeat(TEXT_MAX + 1))).toEqual({ used: TEXT_MAX + 1, over: true });
    expect(textCount(`${"x".repeat(TEXT_MAX)}   `).over).toBe(false);
  });
});

describe("reportAtSeconds", () => {
  it("offers a position only once the video has played", () => {
    expect(reportAtSeconds(0)).toBeNull();
    expect(reportAtSeconds(0.6)).toBeNull();
    expect(reportAtSeconds(null)).toBeNull();
    expect(reportAtSeconds(Number.POSITIVE_INFINITY)).toBeNull();
    expect(reportAtSeconds(61.4)).toBe(61);
  });
});

describe("refusals", () => {
  it("names the API's refusals", () => {
    expect(refusalOf(problem(409, "conflict"))).toBe("already");
    expect(refusalOf(problem(403, "forbidden"))).toBe("own");
    expect(refusalOf(problem(429, "rate_limited"))).toBe("rateLimited");
    expect(refusalOf(problem(404, "not_found"))).toBe("notFound");
    expect(refusalOf(problem(400, "validation_failed"))).toBe("invalid");
    expect(refusalOf(problem(500))).toBe("other");
    expect(refusalOf(new Error("offline"))).toBe("other");
  });
  it("keeps Retry-After only when it is a real number of seconds", () => {
    expect(retryAfterOf(problem(429, "rate_limited", { retryAfterSeconds: 120 }))).toBe(120);
    expect(retryAfterOf(problem(429, "rate_limited", { retryAfterSeconds: "120" }))).toBeNull();
    expect(retryAfterOf(problem(429, "rate_limited"))).toBeNull();
    expect(retryAfterOf(new Error("x"))).toBeNull();
  });
  it("reads Retry-After as seconds or as an HTTP date", () => {
    const now = Date.UTC(2026, 11, 6, 12, 0, 0);
    expect(retryAfterSeconds("90", now)).toBe(90);
    expect(retryAfterSeconds(" 0 ", now)).toBe(0);
    expect(retryAfterSeconds("Sun, 06 Dec 2026 12:02:00 GMT", now)).toBe(120);
    expect(retryAfterSeconds("Sun, 06 Dec 2026 11:00:00 GMT", now)).toBe(0);
    expect(retryAfterSeconds("soon", now)).toBeNull();
    expect(retryAfterSeconds(null, now)).toBeNull();
  });
});

describe("strikes", () => {
  const now = Date.UTC(2026, 11, 6);
  const day = 86_400_000;
  const strike = {
    active: true,
    liftedAt: null as number | null,
    expiresAt: now + 80 * day,
    appeal: null as { id: string; state: "open" | "claimed" | "granted" | "denied" } | null,
    appealable: true,
  };
  it("is active, lifted or expired", () => {
    expect(strikeStatus(strike, now)).toBe("active");
    expect(strikeStatus({ ...strike, active: false, liftedAt: now - day }, now)).toBe("lifted");
    expect(strikeStatus({ ...strike, active: false, expiresAt: now - day }, now)).toBe("expired");
    // The API's flag was true when the page loaded, but the expiry has passed since.
    expect(strikeStatus({ ...strike, expiresAt: now - 1 }, now)).toBe("expired");
  });
  it("may be appealed once, while the edge says it is appealable", () => {
    expect(canAppeal(strike)).toBe(true);
    expect(canAppeal({ ...strike, appeal: { id: "apl_1", state: "open" } })).toBe(false);
    expect(canAppeal({ ...strike, appeal: { id: "apl_1", state: "denied" } })).toBe(false);
    expect(canAppeal({ ...strike, liftedAt: now - day, appealable: false })).toBe(false);
    expect(canAppeal({ ...strike, appealable: false })).toBe(false);
    // Expired, but the strikes still keep the channel suspended: the way back.
    expect(canAppeal({ ...strike, appealable: true })).toBe(true);
  });
  it("freezes uploads only until a time still ahead", () => {
    expect(freezeEnd(now + day, now)).toBe(now + day);
    expect(freezeEnd(now - 1, now)).toBeNull();
    expect(freezeEnd(null, now)).toBeNull();
    expect(freezeEnd(undefined, now)).toBeNull();
  });
  it("turns epoch milliseconds into ISO for the date helpers", () => {
    expect(isoOf(now)).toBe("2026-12-06T00:00:00.000Z");
    expect(isoOf("2026-12-06T00:00:00.000Z")).toBe("2026-12-06T00:00:00.000Z");
  });
});
