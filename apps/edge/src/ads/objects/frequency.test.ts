import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { unique } from "../../../test/harness";
import { newId } from "../../lib/ids";
import { frequencyObject } from "../test-utils";

const viewer = () => frequencyObject(`profile:${unique("fq")}`);
const slot = (campaignId: string, capPerDay = 3) => ({
  sessionId: newId("ads"),
  campaignId,
  capPerDay,
  lapseSeconds: 120,
});
/** Every unconfirmed slot lapses now (as if the lapse and its grace passed). */
const lapseAll = (stub: ReturnType<typeof viewer>) =>
  runInDurableObject(stub, (_o, state) => {
    state.storage.sql.exec("UPDATE slots SET expires_at = ? WHERE confirmed = 0", Date.now() - 1);
  });

describe("AdFrequency", () => {
  it("50 concurrent reservations against a cap of 3: exactly 3 are granted", async () => {
    const v = viewer();
    const granted = await Promise.all(Array.from({ length: 50 }, () => v.reserve(slot("cmp_a"))));
    expect(granted.filter(Boolean)).toHaveLength(3);
  });

  it("caps are per campaign; a cap of 0 grants nothing", async () => {
    const v = viewer();
    expect(await v.reserve(slot("cmp_a", 1))).toBe(true);
    expect(await v.reserve(slot("cmp_a", 1))).toBe(false);
    expect(await v.reserve(slot("cmp_b", 1))).toBe(true);
    expect(await v.reserve(slot("cmp_c", 0))).toBe(false);
  });

  it("reserveFirst holds a slot in the first candidate under its cap and names every capped one", async () => {
    const v = viewer();
    expect(await v.reserve(slot("cmp_a", 1))).toBe(true);
    const sessionId = newId("ads");
    const candidates = [
      { campaignId: "cmp_a", capPerDay: 1 },
      { campaignId: "cmp_b", capPerDay: 0 },
      { campaignId: "cmp_c", capPerDay: 1 },
      { campaignId: "cmp_d", capPerDay: 0 },
      { campaignId: "cmp_e", capPerDay: 5 },
    ];
    expect(await v.reserveFirst({ sessionId, candidates, lapseSeconds: 120 })).toEqual({
      campaignId: "cmp_c",
      capped: ["cmp_a", "cmp_b", "cmp_d"],
    });
    // cmp_c's slot is held: the next decision finds it capped too and takes cmp_e.
    expect(await v.reserveFirst({ sessionId: newId("ads"), candidates, lapseSeconds: 120 })).toEqual({
      campaignId: "cmp_e",
      capped: ["cmp_a", "cmp_b", "cmp_c", "cmp_d"],
    });
    const none = [{ campaignId: "cmp_a", capPerDay: 1 }];
    expect(await v.reserveFirst({ sessionId: newId("ads"), candidates: none, lapseSeconds: 120 })).toEqual({
      campaignId: null,
      capped: ["cmp_a"],
    });
  });

  it("reserveFirst under 50 concurrent calls against a cap of 3 grants exactly 3, then the next candidate", async () => {
    const v = viewer();
    const candidates = [
      { campaignId: "cmp_a", capPerDay: 3 },
      { campaignId: "cmp_b", capPerDay: 100 },
    ];
    const picks = await Promise.all(
      Array.from({ length: 50 }, () =>
        v.reserveFirst({ sessionId: newId("ads"), candidates, lapseSeconds: 120 }),
      ),
    );
    expect(picks.filter((p) => p.campaignId === "cmp_a")).toHaveLength(3);
    expect(picks.filter((p) => p.campaignId === "cmp_b")).toHaveLength(47);
  });

  it("a lapsed slot frees the cap; a confirmed one never lapses", async () => {
    const v = viewer();
    const kept = slot("cmp_a", 2);
    const lapsing = slot("cmp_a", 2);
    expect(await v.reserve(kept)).toBe(true);
    expect(await v.reserve(lapsing)).toBe(true);
    await v.confirm(kept.sessionId);
    expect(await v.reserve(slot("cmp_a", 2))).toBe(false);
    await lapseAll(v);
    expect(await v.reserve(slot("cmp_a", 2))).toBe(true);
    expect(await v.reserve(slot("cmp_a", 2))).toBe(false);
  });

  it("release frees an unconfirmed slot at once, but not a confirmed one", async () => {
    const v = viewer();
    const a = slot("cmp_a", 1);
    expect(await v.reserve(a)).toBe(true);
    await v.release(a.sessionId);
    const b = slot("cmp_a", 1);
    expect(await v.reserve(b)).toBe(true);
    await v.confirm(b.sessionId);
    await v.release(b.sessionId);
    expect(await v.reserve(slot("cmp_a", 1))).toBe(false);
  });

  it("a confirmation arriving just after the lapse still counts the impression", async () => {
    const v = viewer();
    const late = slot("cmp_a", 1);
    expect(await v.reserve(late)).toBe(true);
    await lapseAll(v);
    await v.confirm(late.sessionId);
    expect(await v.reserve(slot("cmp_a", 1))).toBe(false);
  });

  it("the alarm drops lapsed slots and old days, keeping today's confirmed ones", async () => {
    const v = viewer();
    const confirmed = slot("cmp_a");
    await v.reserve(confirmed);
    await v.confirm(confirmed.sessionId);
    await v.reserve(slot("cmp_a"));
    await runInDurableObject(v, (_o, state) => {
      state.storage.sql.exec(
        "UPDATE slots SET expires_at = ? WHERE confirmed = 0",
        Date.now() - 2 * 3_600_000,
      );
      state.storage.sql.exec(
        "INSERT INTO slots (session_id, campaign_id, day, created_at, expires_at, confirmed) VALUES ('old', 'cmp_a', '2020-01-01', 0, 0, 1)",
      );
    });
    await runDurableObjectAlarm(v);
    const left = await runInDurableObject(v, (_o, state) =>
      state.storage.sql.exec<{ session_id: string }>("SELECT session_id FROM slots").toArray(),
    );
    expect(left.map((r) => r.session_id)).toEqual([confirmed.sessionId]);
  });
});
