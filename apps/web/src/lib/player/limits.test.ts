import { describe, expect, it } from "vitest";
import { limitOf } from "./limits";

const stream = (n: number) => ({
  streamId: `stream_${n}`,
  profileId: n % 2 ? `prof_${n}` : null,
  device: `Firefox on Linux ${n}`,
  startedAt: "2026-01-01T00:00:00.000Z",
  lastSeenAt: "2026-01-01T00:01:00.000Z",
});

describe("plan limits from a playback problem", () => {
  it("plan_required names the plan to upgrade to (premium when the API left it out)", () => {
    expect(limitOf({ status: 403, code: "plan_required", requiredPlan: "standard" })).toEqual({
      kind: "plan",
      requiredPlan: "standard",
    });
    expect(limitOf({ status: 403, code: "plan_required" })).toEqual({
      kind: "plan",
      requiredPlan: "premium",
    });
  });

  it("too_many_streams lists the well-formed active streams and counts them as the plan's number", () => {
    const limit = limitOf({
      status: 409,
      code: "too_many_streams",
      activeStreams: [stream(1), { streamId: 3 }, stream(2), "junk"],
    });
    expect(limit).toEqual({ kind: "streams", allowed: 2, active: [stream(1), stream(2)] });
    expect(
      limitOf({ status: 409, code: "too_many_streams", activeStreams: [stream(1)], limit: 4 }),
    ).toMatchObject({
      allowed: 4,
    });
    expect(limitOf({ status: 409, code: "too_many_streams" })).toEqual({
      kind: "streams",
      allowed: 1,
      active: [],
    });
  });

  it("any other problem is not a limit (a 403 forbidden, a 409 not playable yet)", () => {
    expect(limitOf({ status: 403, code: "forbidden" })).toBeNull();
    expect(limitOf({ status: 409, code: "conflict", activeStreams: [stream(1)] })).toBeNull();
    expect(limitOf({ status: 404 })).toBeNull();
  });
});
