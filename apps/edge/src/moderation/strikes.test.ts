/**
 * Strikes (docs/moderation.md, "Strikes"): a first violation is a warning; then strikes freeze
 * uploads (7 days, then 14); the third active strike suspends the channel; expired strikes count
 * for nothing. Uploads (POST /api/v1/videos) answer 403 uploads_frozen while frozen.
 */
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { insertBillingSubscription, testDb } from "../../test/fixtures";
import { api, seedAccount } from "../../test/harness";
import { storedVideo } from "../catalog/test-utils";
import { channels, playbackEvents, strikes, videos } from "../db/schema";
import { sendBeacons, watchSession } from "../history/test-utils";
import {
  claimAndDecide,
  generationsOf,
  insertCase,
  myStrikes,
  seedModerator,
  strikeCreator,
  videoCase,
} from "./queue-fixtures";

const DAY = 86_400_000;
const upload = (who: { accessToken: string }) =>
  api("/api/v1/videos", {
    method: "POST",
    token: who.accessToken,
    json: { title: "New one", upload: { size: 1000, contentType: "video/mp4" } },
  });

describe("strikes", () => {
  it("warning, then strikes 1 and 2 freeze uploads 7 and 14 days, and the third suspends the channel", async () => {
    const [mod, creator] = await Promise.all([
      seedModerator("stk"),
      seedAccount({ tag: "stkc", channel: true }),
    ]);
    expect((await upload(creator)).status).toBe(201);

    const warning = await strikeCreator(mod, creator);
    expect(warning).toMatchObject({
      kind: "warning",
      ordinal: 0,
      freezeUntil: null,
      active: true,
      appealable: true,
    });
    expect((await upload(creator)).status).toBe(201); // a warning freezes nothing

    const before = Date.now();
    const first = await strikeCreator(mod, creator);
    expect(first).toMatchObject({ kind: "strike", ordinal: 1 });
    expect((first.freezeUntil as number) - before).toBeGreaterThanOrEqual(7 * DAY - 60_000);
    expect((first.freezeUntil as number) - before).toBeLessThanOrEqual(7 * DAY + 60_000);
    const frozen = await upload(creator);
    expect(frozen.status).toBe(403);
    expect(await frozen.json()).toMatchObject({
      code: "uploads_frozen",
      frozenUntil: new Date(first.freezeUntil as number).toISOString(),
    });

    const second = await strikeCreator(mod, creator);
    expect(second).toMatchObject({ kind: "strike", ordinal: 2 });
    expect((second.freezeUntil as number) - before).toBeGreaterThanOrEqual(14 * DAY - 60_000);
    let mine = await myStrikes(creator);
    expect(mine.items.map((s) => s.id)).toEqual([second.id, first.id, warning.id]);
    expect(mine).toMatchObject({ frozenUntil: second.freezeUntil, channelState: "active", activeStrikes: 2 });

    const kept = await storedVideo(creator, {});
    expect(await generationsOf([kept])).toEqual([0]);
    const third = await strikeCreator(mod, creator);
    // The suspension also ends every link to the channel's videos handed out before it.
    expect((await generationsOf([kept]))[0]).toBeGreaterThan(0);
    expect(third).toMatchObject({ kind: "strike", ordinal: 3 });
    mine = await myStrikes(creator);
    expect(mine).toMatchObject({ channelState: "suspended", activeStrikes: 3 });
    const channel = await testDb()
      .select()
      .from(channels)
      .where(eq(channels.id, creator.channelId as string))
      .get();
    expect(channel?.moderationState).toBe("suspended");
    const video = await testDb().select().from(videos).where(eq(videos.id, kept)).get();
    expect(video?.channelHidden).toBe(true);
    const refused = await upload(creator);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ code: "uploads_frozen", frozenUntil: null });
  });

  it("expired strikes count for nothing: the next violation is a warning again and uploads thaw", async () => {
    const [mod, creator] = await Promise.all([
      seedModerator("stx"),
      seedAccount({ tag: "stxc", channel: true }),
    ]);
    await strikeCreator(mod, creator); // warning
    const first = await strikeCreator(mod, creator);
    expect((await upload(creator)).status).toBe(403);
    // 90 days pass.
    await testDb()
      .update(strikes)
      .set({ expiresAt: Date.now() - 1 })
      .where(eq(strikes.channelId, creator.channelId as string));
    expect((await upload(creator)).status).toBe(201);
    const again = await strikeCreator(mod, creator);
    expect(again).toMatchObject({ kind: "warning", ordinal: 0 });
    const mine = await myStrikes(creator);
    expect(mine.items.find((s) => s.id === first.id)).toMatchObject({ active: false });
    expect(mine).toMatchObject({ frozenUntil: null, activeStrikes: 0 });
  });

  it("two strike decisions on one channel at once issue a warning and strike 1, never two of one", async () => {
    const [a, b, creator] = await Promise.all([
      seedModerator("sta"),
      seedModerator("stb"),
      seedAccount({ tag: "stac", channel: true }),
    ]);
    const [one, two] = await Promise.all([videoCase(creator), videoCase(creator)]);
    const decisions = await Promise.all([
      claimAndDecide(a, one.caseId, { decision: "strike" }),
      claimAndDecide(b, two.caseId, { decision: "strike" }),
    ]);
    const issued = decisions.map((d) => `${d.strike?.kind}:${d.strike?.ordinal}`).sort();
    expect(issued).toEqual(["strike:1", "warning:0"]);
  });

  it("GET /me/strikes: kids profiles 403, an account without a channel 409", async () => {
    const [family, viewer] = await Promise.all([
      seedAccount({ tag: "stfk", channel: true, profiles: [{ maturity: "kids" }] }),
      seedAccount({ tag: "stfv" }),
    ]);
    expect((await api("/api/v1/me/strikes", { token: family.profiles[1]?.token })).status).toBe(403);
    expect((await api("/api/v1/me/strikes", { token: viewer.accessToken })).status).toBe(409);
    expect((await api("/api/v1/me/strikes")).status).toBe(401);
  });
});

describe("demonetise", () => {
  it("plays of a demonetised video, or of a demonetised channel's video, are stored without premium", async () => {
    const [mod, creator, paid] = await Promise.all([
      seedModerator("stm"),
      seedAccount({ tag: "stmc", channel: true }),
      seedAccount({ tag: "stmp" }),
    ]);
    await insertBillingSubscription(paid.accountId, { planId: "standard" });
    const earning = await storedVideo(creator, { durationMs: 600_000 });
    const { videoId: demonetised, caseId } = await videoCase(creator);
    await testDb()
      .update(videos)
      .set({ durationMs: 600_000, status: "ready" })
      .where(eq(videos.id, demonetised));
    await claimAndDecide(mod, caseId, { decision: "demonetise" });
    const premiumOf = async (videoId: string) =>
      (
        await testDb()
          .select({ premium: playbackEvents.premium, videoId: playbackEvents.videoId })
          .from(playbackEvents)
          .where(eq(playbackEvents.profileId, paid.profileId))
      )
        .filter((r) => r.videoId === videoId)
        .map((r) => r.premium);
    await sendBeacons(paid.accessToken, [
      ...watchSession(earning, 30_000),
      ...watchSession(demonetised, 30_000),
    ]);
    expect(new Set(await premiumOf(earning))).toEqual(new Set([true]));
    expect(new Set(await premiumOf(demonetised))).toEqual(new Set([false]));

    // The whole channel demonetised: its other video's later plays earn nothing either.
    const channelCase = await insertCase({
      targetType: "channel",
      targetId: creator.channelId as string,
      ownerAccountId: creator.accountId,
    });
    await claimAndDecide(mod, channelCase, { decision: "demonetise" });
    const later = await storedVideo(creator, { durationMs: 600_000 });
    await sendBeacons(paid.accessToken, watchSession(later, 30_000));
    expect(new Set(await premiumOf(later))).toEqual(new Set([false]));
    // Plays stored before the decision keep what they were.
    expect(new Set(await premiumOf(earning))).toEqual(new Set([true]));
  });
});
