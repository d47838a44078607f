import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { unique } from "../../../test/harness";
import type { AcquireResult, StreamRow } from "./object";
import { lapse, play, sleep, streamsOf } from "./test-utils";

const privateStreams = () => streamsOf(unique("acct"));
const idOf = (r: AcquireResult) => {
  if (!r.ok) throw new Error(`refused: ${JSON.stringify(r)}`);
  return r.streamId;
};
const rowsIn = (stub: ReturnType<typeof streamsOf>) =>
  runInDurableObject(stub, (_o, state) =>
    state.storage.sql.exec<StreamRow>("SELECT * FROM streams ORDER BY started_at").toArray(),
  );

describe("AccountStreams", () => {
  it("a limit-2 account gets two streams; the third is refused with both live ones", async () => {
    const streams = privateStreams();
    const a = idOf(await streams.acquire(play(2, { device: "Chrome on Linux" })));
    const b = idOf(await streams.acquire(play(2, { device: "Safari on iPhone", profileId: "profile_b" })));
    expect(a).toMatch(/^stream_[0-9a-f]{32}$/);
    expect(b).not.toBe(a);
    const third = await streams.acquire(play(2, { device: "Firefox on Windows" }));
    expect(third).toMatchObject({ ok: false, reason: "too_many_streams" });
    if (third.ok) return;
    expect(third.active.map((s) => [s.streamId, s.device, s.profileId])).toEqual([
      [a, "Chrome on Linux", "profile_test"],
      [b, "Safari on iPhone", "profile_b"],
    ]);
    expect((await streams.list()).map((s) => s.streamId)).toEqual([a, b]);
  });

  it("concurrent acquires: exactly `limit` of them succeed, and the table holds exactly those", async () => {
    for (const limit of [1, 2, 4]) {
      const streams = privateStreams();
      const results = await Promise.all(Array.from({ length: 12 }, () => streams.acquire(play(limit))));
      const granted = results.filter((r) => r.ok);
      expect(granted).toHaveLength(limit);
      expect(new Set(granted.map(idOf)).size).toBe(limit);
      expect((await rowsIn(streams)).map((r) => r.id).sort()).toEqual(granted.map(idOf).sort());
    }
  });

  it("re-issuing a live stream id renews it in place: no new slot, lastSeenAt moves", async () => {
    const streams = privateStreams();
    const a = idOf(await streams.acquire(play(1)));
    const [before] = await streams.list();
    await sleep(20);
    const again = await streams.acquire(play(1, { streamId: a, videoId: "video_next" }));
    expect(again).toEqual({ ok: true, streamId: a, renewed: true });
    const [after] = await rowsIn(streams);
    expect(after?.video_id).toBe("video_next");
    expect(after?.started_at).toBe(before?.startedAt);
    expect(after?.last_seen_at).toBeGreaterThan(before?.lastSeenAt ?? Infinity);
    // Still one slot in use: a second playback on a limit-1 account is refused.
    expect((await streams.acquire(play(1))).ok).toBe(false);
  });

  it("a session holds one stream: its next playback (another tab, the next video) renews it, other sessions take slots", async () => {
    const streams = privateStreams();
    const laptop = idOf(await streams.acquire(play(2, { sessionId: "session_laptop" })));
    // The same sign-in asks again without the stream id (a second tab): same slot, same id.
    const secondTab = await streams.acquire(play(2, { sessionId: "session_laptop", videoId: "video_two" }));
    expect(secondTab).toEqual({ ok: true, streamId: laptop, renewed: true });
    const phone = idOf(await streams.acquire(play(2, { sessionId: "session_phone" })));
    expect(phone).not.toBe(laptop);
    // Two sessions, two slots: a third sign-in is refused; the laptop's session is still served.
    expect((await streams.acquire(play(2, { sessionId: "session_tv" }))).ok).toBe(false);
    expect(await streams.acquire(play(2, { sessionId: "session_laptop" }))).toMatchObject({
      ok: true,
      streamId: laptop,
    });
    // Once the laptop's stream ends, its session's next playback takes a new slot with a new id.
    await streams.end(laptop);
    const next = idOf(await streams.acquire(play(2, { sessionId: "session_laptop" })));
    expect(next).not.toBe(laptop);
  });

  it("another session naming a live stream's id (from the refusal's list) does not share its slot", async () => {
    const streams = privateStreams();
    const tv = idOf(await streams.acquire(play(1, { sessionId: "session_tv" })));
    const refused = await streams.acquire(play(1, { sessionId: "session_phone" }));
    expect(refused.ok).toBe(false);
    // The phone re-asks with the TV's id, which the refusal listed: still refused, the TV keeps its slot.
    const borrowed = await streams.acquire(play(1, { sessionId: "session_phone", streamId: tv }));
    expect(borrowed).toMatchObject({ ok: false, reason: "too_many_streams" });
    expect((await streams.list()).map((s) => s.streamId)).toEqual([tv]);
    // With room, naming another session's id starts a stream of the caller's own.
    const roomy = privateStreams();
    const a = idOf(await roomy.acquire(play(2, { sessionId: "session_a" })));
    const b = idOf(await roomy.acquire(play(2, { sessionId: "session_b", streamId: a })));
    expect(b).not.toBe(a);
  });

  it("a stream id it did not make is never adopted: a new random id when there is room, else refused", async () => {
    const streams = privateStreams();
    const chosen = "stream_0123456789abcdef0123456789abcdef";
    const made = idOf(await streams.acquire(play(1, { streamId: chosen })));
    expect(made).not.toBe(chosen);
    expect(await streams.heartbeat(chosen, lapse())).toBe(false);
    expect(await streams.acquire(play(1, { streamId: chosen }))).toMatchObject({ ok: false });
  });

  it("ending a stream frees its slot at once; ending it again changes nothing", async () => {
    const streams = privateStreams();
    const a = idOf(await streams.acquire(play(1)));
    expect((await streams.acquire(play(1))).ok).toBe(false);
    expect(await streams.end(a)).toBe(true);
    expect(await streams.end(a)).toBe(false);
    expect(await streams.heartbeat(a, lapse())).toBe(false);
    const b = idOf(await streams.acquire(play(1)));
    expect(b).not.toBe(a);
  });

  it("a lapsed stream loses its slot, its heartbeat cannot revive it, and its id is not renewed", async () => {
    const streams = privateStreams();
    const a = idOf(await streams.acquire(play(1, { lapseSeconds: 1 })));
    expect((await streams.acquire(play(1, { lapseSeconds: 1 }))).ok).toBe(false);
    await sleep(1200);
    expect(await streams.heartbeat(a, { lapseSeconds: 120 })).toBe(false);
    expect(await streams.list()).toEqual([]);
    const b = idOf(await streams.acquire(play(1, { streamId: a })));
    expect(b).not.toBe(a);
  });

  it("heartbeats keep a stream past its lapse, timed by the object's clock", async () => {
    const streams = privateStreams();
    const a = idOf(await streams.acquire(play(1, { lapseSeconds: 1 })));
    await sleep(600);
    expect(await streams.heartbeat(a, { lapseSeconds: 1 })).toBe(true);
    await sleep(600); // 1.2 s after the acquire, 0.6 s after the heartbeat
    expect(await streams.heartbeat(a, { lapseSeconds: 1 })).toBe(true);
    const [row] = await rowsIn(streams);
    expect(row?.expires_at).toBeLessThanOrEqual(Date.now() + 1000);
    expect((await streams.acquire(play(1))).ok).toBe(false);
  });

  it("the lapse is capped at 120 seconds whatever the caller passes", async () => {
    const streams = privateStreams();
    const t = Date.now();
    await streams.acquire(play(1, { lapseSeconds: 86_400 }));
    const [row] = await rowsIn(streams);
    expect(row?.expires_at).toBeGreaterThanOrEqual(t + 120_000);
    expect(row?.expires_at).toBeLessThanOrEqual(Date.now() + 120_000);
  });

  it("the alarm prunes lapsed rows without any call, and re-aims at the next expiry", async () => {
    const streams = privateStreams();
    idOf(await streams.acquire(play(3, { lapseSeconds: 60 })));
    idOf(await streams.acquire(play(3, { lapseSeconds: 60 })));
    const live = idOf(await streams.acquire(play(3, { lapseSeconds: 120 })));
    const rows = await rowsIn(streams);
    const alarm = await runInDurableObject(streams, (_o, state) => state.storage.getAlarm());
    expect(alarm).toBe(Math.min(...rows.map((r) => r.expires_at)));
    // Time passes for the first two (their expiry moves into the past; the clock is the object's).
    await runInDurableObject(streams, (_o, state) => {
      state.storage.sql.exec("UPDATE streams SET expires_at = ? WHERE id != ?", Date.now() - 1, live);
    });
    expect(await runDurableObjectAlarm(streams)).toBe(true);
    const left = await rowsIn(streams);
    expect(left.map((r) => r.id)).toEqual([live]);
    expect(await runInDurableObject(streams, (_o, state) => state.storage.getAlarm())).toBe(
      left[0]?.expires_at,
    );
    await streams.end(live);
    expect(await runInDurableObject(streams, (_o, state) => state.storage.getAlarm())).toBeNull();
  });

  it("after the limit is lowered, the oldest streams keep their slots and a newer one's re-issue is refused", async () => {
    const streams = privateStreams();
    const [a, b, c] = [
      idOf(await streams.acquire(play(3))),
      idOf(await streams.acquire(play(3))),
      idOf(await streams.acquire(play(3))),
    ];
    const refused = await streams.acquire(play(2, { streamId: c }));
    expect(refused).toMatchObject({ ok: false });
    if (!refused.ok) expect(refused.active.map((s) => s.streamId)).toEqual([a, b]);
    expect(await streams.acquire(play(2, { streamId: a }))).toMatchObject({ ok: true, streamId: a });
    expect(await streams.acquire(play(2, { streamId: b }))).toMatchObject({ ok: true, streamId: b });
  });

  it("streams started in the same millisecond rank by the order they were taken, not by their ids", async () => {
    // workerd's clock moves only across I/O, so acquires close together can share a started_at
    // (the flake this test pins down). The three here are given one started_at by hand. Ranked by
    // their random ids, the two kept after the limit is lowered would be the first two taken one
    // time in three; ten accounts make passing by luck a 1 in 59,049 chance.
    for (let round = 0; round < 10; round++) {
      const streams = privateStreams();
      const a = idOf(await streams.acquire(play(3)));
      const b = idOf(await streams.acquire(play(3)));
      const c = idOf(await streams.acquire(play(3)));
      await runInDurableObject(streams, (_o, state) => {
        state.storage.sql.exec("UPDATE streams SET started_at = (SELECT MIN(started_at) FROM streams)");
      });
      expect(new Set((await rowsIn(streams)).map((r) => r.started_at)).size, "one millisecond").toBe(1);
      const refused = await streams.acquire(play(2, { streamId: c }));
      expect(refused).toMatchObject({ ok: false });
      if (!refused.ok) expect(refused.active.map((x) => x.streamId)).toEqual([a, b]);
    }
  });

  it("with a profile given, end only ends that profile's stream", async () => {
    const streams = privateStreams();
    const a = idOf(await streams.acquire(play(2, { profileId: "profile_parent" })));
    expect(await streams.end(a, { profileId: "profile_kid" })).toBe(false);
    expect(await streams.heartbeat(a, lapse())).toBe(true);
    expect(await streams.end(a, { profileId: "profile_parent" })).toBe(true);
  });
});
