import { describe, expect, it } from "vitest";
import { unique } from "../../../test/harness";
import { AppError, problemResponse } from "../../lib/errors";
import { acquireStream, deviceLabel, HEARTBEAT_SECONDS, heartbeatSeconds } from "./service";
import { streamsOf, testServices } from "./test-utils";

const input = (accountId: string, extra: Partial<Parameters<typeof acquireStream>[1]> = {}) => ({
  accountId,
  profileId: "profile_test",
  limit: 2,
  device: "Chrome on Linux",
  videoId: "video_test",
  ...extra,
});

describe("acquireStream", () => {
  it("refuses the third stream of a limit-2 account with a too_many_streams problem listing both", async () => {
    const s = testServices();
    const account = unique("acct");
    const a = await acquireStream(s, input(account, { device: "Chrome on Linux" }));
    const b = await acquireStream(s, input(account, { device: "Safari on iPhone", profileId: null }));
    const error = await acquireStream(s, input(account)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    const res = problemResponse(error as AppError);
    expect(res.status).toBe(409);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    const problem = (await res.json()) as Record<string, unknown> & { activeStreams: unknown[] };
    expect(problem).toMatchObject({ code: "too_many_streams", status: 409 });
    expect(problem.detail).toContain("2 streams at once");
    expect(problem.activeStreams).toEqual([
      {
        streamId: a.streamId,
        profileId: "profile_test",
        device: "Chrome on Linux",
        startedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
        lastSeenAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
      },
      expect.objectContaining({ streamId: b.streamId, profileId: null, device: "Safari on iPhone" }),
    ]);
  });

  it("after one stream ends, a new one starts at once", async () => {
    const s = testServices();
    const account = unique("acct");
    const a = await acquireStream(s, input(account, { limit: 1 }));
    await expect(acquireStream(s, input(account, { limit: 1 }))).rejects.toMatchObject({
      code: "too_many_streams",
    });
    await streamsOf(account).end(a.streamId);
    const b = await acquireStream(s, input(account, { limit: 1 }));
    expect(b.streamId).not.toBe(a.streamId);
  });

  it("re-issuing with the caller's own live streamId takes no new slot", async () => {
    const s = testServices();
    const account = unique("acct");
    const a = await acquireStream(s, input(account, { limit: 1 }));
    expect(await acquireStream(s, input(account, { limit: 1, streamId: a.streamId }))).toEqual(a);
    expect(await acquireStream(s, input(account, { limit: 1, streamId: a.streamId }))).toEqual(a);
    expect(await streamsOf(account).list()).toHaveLength(1);
  });

  it("another account's stream id is not reused: the caller gets a stream of its own", async () => {
    const s = testServices();
    const victim = await acquireStream(s, input(unique("acct")));
    const mine = await acquireStream(s, input(unique("acct"), { streamId: victim.streamId }));
    expect(mine.streamId).not.toBe(victim.streamId);
  });

  it("the lapse comes from config (90 by default) and the player beats well within it", () => {
    const config = testServices().config;
    expect(config.billing.streamLapseSeconds).toBe(90);
    expect(HEARTBEAT_SECONDS * 2).toBeLessThan(config.billing.streamLapseSeconds);
    expect(heartbeatSeconds(config)).toBe(HEARTBEAT_SECONDS);
  });

  it("a short lapse gets a heartbeat of a third of it, so beats on time never lose the slot", () => {
    const config = testServices().config;
    const withLapse = (n: number) => ({ ...config, billing: { ...config.billing, streamLapseSeconds: n } });
    expect(heartbeatSeconds(withLapse(8))).toBe(2);
    expect(heartbeatSeconds(withLapse(2))).toBe(1);
    for (const lapse of [1, 3, 8, 30, 60, 89, 90, 120]) {
      expect(heartbeatSeconds(withLapse(lapse)) * 2).toBeLessThanOrEqual(Math.max(2, lapse));
    }
  });
});

describe("deviceLabel", () => {
  const cases: [string | undefined, string][] = [
    [
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
      "Chrome on Linux",
    ],
    [
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
      "Safari on iPhone",
    ],
    [
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
      "Safari on macOS",
    ],
    [
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
      "Edge on Windows",
    ],
    [
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
      "Firefox on Windows",
    ],
    [
      "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
      "Chrome on Android",
    ],
    [
      "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0 Mobile/15E148 Safari/604.1",
      "Chrome on iPad",
    ],
    [
      "Mozilla/5.0 (SMART-TV; Linux; Tizen 6.0) AppleWebKit/537.36 (KHTML, like Gecko) Version/6.0 TV Safari/537.36",
      "Safari on Smart TV",
    ],
    ["Dalvik/2.1.0 (Linux; U; Android 13; SM-S911B)", "Android device"],
    ["curl/8.5.0", "Unknown device"],
    ["", "Unknown device"],
    [undefined, "Unknown device"],
    [`<script>alert(1)</script> ${"x".repeat(5000)}`, "Unknown device"],
  ];
  for (const [ua, label] of cases) {
    it(`${JSON.stringify(ua?.slice(0, 40))} → ${label}`, () => {
      const got = deviceLabel(ua);
      expect(got).toBe(label);
      expect(got.length).toBeLessThanOrEqual(60);
    });
  }
});
