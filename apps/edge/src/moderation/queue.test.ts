/**
 * The review queue (docs/moderation.md, "Queue"): staff only; oldest first with filters; a case's
 * detail; and each decision's effect on its target.
 */
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { insertComment, insertVideo, testDb } from "../../test/fixtures";
import { api, apiJson, listAll, seedAccount, seedCast } from "../../test/harness";
import { adScene } from "../ads/delivery-fixtures";
import { channels, comments, reports, videos } from "../db/schema";
import {
  type CaseJson,
  claimAndDecide,
  decide,
  generationsOf,
  insertCase,
  seedModerator,
  videoCase,
} from "./queue-fixtures";

const HOUR = 3_600_000;

describe("GET /moderation/cases", () => {
  it("is for staff only: viewers, creators and kids get 403, anonymous 401", async () => {
    const cast = await seedCast("mq", {
      viewer: {},
      creator: { channel: true },
      kid: { profiles: [{ maturity: "kids" }] },
    });
    for (const who of [cast.viewer, cast.creator]) {
      expect((await api("/api/v1/moderation/cases", { token: who.accessToken })).status).toBe(403);
    }
    expect((await api("/api/v1/moderation/cases", { token: cast.kid.profiles[1]?.token })).status).toBe(403);
    expect((await api("/api/v1/moderation/cases")).status).toBe(401);
  });

  it("lists oldest first, filtered by state, target type, reason and age, one cursor page at a time", async () => {
    const [mod, creator, r1] = await Promise.all([
      seedModerator("mql"),
      seedAccount({ tag: "mqlc", channel: true }),
      seedAccount({ tag: "mqlr" }),
    ]);
    const base = Date.now() - 400 * 24 * HOUR; // older than every case other tests make
    const v1 = await insertVideo(creator, {});
    const v2 = await insertVideo(creator, {});
    const c1 = await insertComment(v1, creator);
    const owner = creator.accountId;
    const oldest = await insertCase({ targetType: "video", targetId: v1, ownerAccountId: owner }, [r1], {
      reason: "harassment",
      firstReportedAt: base,
    });
    const middle = await insertCase({ targetType: "comment", targetId: c1, ownerAccountId: owner }, [r1], {
      reason: "spam_or_misleading",
      firstReportedAt: base + HOUR,
    });
    const newest = await insertCase({ targetType: "video", targetId: v2, ownerAccountId: owner }, [r1], {
      reason: "harassment",
      firstReportedAt: Date.now(),
    });
    const mine = new Set([oldest, middle, newest]);
    const walk = async (query: string) =>
      (await listAll<CaseJson>(`/api/v1/moderation/cases?${query}`, mod.accessToken, 5))
        .map((c) => c.id)
        .filter((id) => mine.has(id));
    expect(await walk("")).toEqual([oldest, middle, newest]);
    expect(await walk("targetType=video")).toEqual([oldest, newest]);
    expect(await walk("reason=harassment")).toEqual([oldest, newest]);
    expect(await walk("olderThanHours=24")).toEqual([oldest, middle]);
    expect(await walk("state=claimed")).toEqual([]);
    await claimAndDecide(mod, newest, { decision: "dismiss" });
    expect(await walk("")).toEqual([oldest, middle]);
    expect(await walk("state=decided")).toEqual([newest]);
    // A cursor of another list is a 400 at query.cursor.
    const bad = await api("/api/v1/moderation/cases?cursor=eyJrIjoic3RyaWtlcyJ9", { token: mod.accessToken });
    expect(bad.status).toBe(400);
  });

  it("shows a case with its reports, its target and the owner's active strikes; 404 for an unknown id", async () => {
    const [mod, creator, r1, r2] = await Promise.all([
      seedModerator("mqd"),
      seedAccount({ tag: "mqdc", channel: true }),
      seedAccount({ tag: "mqdr" }),
      seedAccount({ tag: "mqds" }),
    ]);
    const { caseId, videoId } = await videoCase(creator, [r1, r2]);
    const detail = await apiJson<{
      case: CaseJson;
      reports: { reporterAccountId: string }[];
      target: { id: string; state: string; exists: boolean };
      ownerStrikes: unknown[];
    }>(`/api/v1/moderation/cases/${caseId}`, 200, { token: mod.accessToken });
    expect(detail.case.id).toBe(caseId);
    expect(detail.reports.map((r) => r.reporterAccountId).sort()).toEqual(
      [r1.accountId, r2.accountId].sort(),
    );
    expect(detail.target).toMatchObject({ id: videoId, exists: true, state: "visible" });
    expect(detail.ownerStrikes).toEqual([]);
    expect((await api("/api/v1/moderation/cases/case_nosuchcase", { token: mod.accessToken })).status).toBe(
      404,
    );
    expect((await api(`/api/v1/moderation/cases/${caseId}`, { token: r1.accessToken })).status).toBe(403);
  });
});

describe("decisions", () => {
  it("dismiss un-hides what auto-hide held and dismisses every open report", async () => {
    const [mod, creator, r1] = await Promise.all([
      seedModerator("mqx"),
      seedAccount({ tag: "mqxc", channel: true }),
      seedAccount({ tag: "mqxr" }),
    ]);
    const videoId = await insertVideo(creator, { moderationState: "held" });
    const caseId = await insertCase(
      { targetType: "video", targetId: videoId, ownerAccountId: creator.accountId },
      [r1],
      {
        hiddenAt: Date.now(),
      },
    );
    await claimAndDecide(mod, caseId, { decision: "dismiss" });
    const v = await testDb().select().from(videos).where(eq(videos.id, videoId)).get();
    expect(v?.moderationState).toBe("visible");
    const rows = await testDb().select().from(reports).where(eq(reports.caseId, caseId));
    expect(rows.map((r) => [r.state, r.outcome])).toEqual([["dismissed", "dismiss"]]);
  });

  it("age_restrict raises the rating and its floor (never lowers); demonetise marks the video", async () => {
    const [mod, creator] = await Promise.all([
      seedModerator("mqa"),
      seedAccount({ tag: "mqac", channel: true }),
    ]);
    const kidsVideo = await insertVideo(creator, { maturity: "kids", moderationState: "held" });
    const adultVideo = await insertVideo(creator, { maturity: "adult" });
    const owner = creator.accountId;
    const c1 = await insertCase({ targetType: "video", targetId: kidsVideo, ownerAccountId: owner });
    const c2 = await insertCase({ targetType: "video", targetId: adultVideo, ownerAccountId: owner });
    await claimAndDecide(mod, c1, { decision: "age_restrict", maturity: "teen" });
    await claimAndDecide(mod, c2, { decision: "age_restrict", maturity: "teen" });
    const row = (id: string) => testDb().select().from(videos).where(eq(videos.id, id)).get();
    expect(await row(kidsVideo)).toMatchObject({
      maturity: "teen",
      maturityFloor: "teen",
      moderationState: "visible",
    });
    expect(await row(adultVideo)).toMatchObject({ maturity: "adult", maturityFloor: "teen" });
    const { caseId, videoId } = await videoCase(creator);
    await claimAndDecide(mod, caseId, { decision: "demonetise" });
    expect(await row(videoId)).toMatchObject({ demonetised: true, moderationState: "visible" });
  });

  it("refuses a decision that does not fit the target (400 at body.decision) and changes nothing", async () => {
    const [mod, creator] = await Promise.all([
      seedModerator("mqb"),
      seedAccount({ tag: "mqbc", channel: true }),
    ]);
    const videoId = await insertVideo(creator, {});
    const commentId = await insertComment(videoId, creator);
    const caseId = await insertCase({
      targetType: "comment",
      targetId: commentId,
      ownerAccountId: creator.accountId,
    });
    await apiJson(`/api/v1/moderation/cases/${caseId}/claim`, 200, {
      method: "POST",
      token: mod.accessToken,
    });
    for (const body of [
      { decision: "age_restrict" },
      { decision: "demonetise" },
      { decision: "remove", maturity: "teen" },
    ]) {
      const res = await decide(mod, caseId, body);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ errors: [{ path: "body.decision" }] });
    }
    expect((await decide(mod, caseId, { decision: "ban" })).status).toBe(400);
    expect((await decide(mod, caseId, { decision: "remove", note: "x".repeat(2001) })).status).toBe(400);
    expect(
      (await api(`/api/v1/moderation/cases/${caseId}`, { token: mod.accessToken }).then((r) => r.json())) as {
        case: CaseJson;
      },
    ).toMatchObject({ case: { state: "claimed" } });
  });

  it("remove takes a comment down (counts follow) and suspends a channel (its videos hidden)", async () => {
    const [mod, creator, author] = await Promise.all([
      seedModerator("mqr"),
      seedAccount({ tag: "mqrc", channel: true }),
      seedAccount({ tag: "mqra", channel: true }),
    ]);
    const videoId = await insertVideo(creator, { commentCount: 1 });
    const commentId = await insertComment(videoId, author);
    const c1 = await insertCase({
      targetType: "comment",
      targetId: commentId,
      ownerAccountId: author.accountId,
    });
    await claimAndDecide(mod, c1, { decision: "remove" });
    const comment = await testDb().select().from(comments).where(eq(comments.id, commentId)).get();
    expect(comment?.status).toBe("removed");
    const video = await testDb().select().from(videos).where(eq(videos.id, videoId)).get();
    expect(video?.commentCount).toBe(0);

    const authorVideo = await insertVideo(author, {});
    const c2 = await insertCase({
      targetType: "channel",
      targetId: author.channelId as string,
      ownerAccountId: author.accountId,
    });
    await claimAndDecide(mod, c2, { decision: "remove" });
    const channel = await testDb()
      .select()
      .from(channels)
      .where(eq(channels.id, author.channelId as string))
      .get();
    expect(channel?.moderationState).toBe("suspended");
    const hidden = await testDb().select().from(videos).where(eq(videos.id, authorVideo)).get();
    expect(hidden?.channelHidden).toBe(true);
  });

  it("remove or strike on a channel revokes the links already handed out for every one of its videos", async () => {
    const [mod, removed, struck, money, bystander] = await Promise.all([
      seedModerator("mqv"),
      seedAccount({ tag: "mqvr", channel: true }),
      seedAccount({ tag: "mqvs", channel: true }),
      seedAccount({ tag: "mqvm", channel: true }),
      seedAccount({ tag: "mqvb", channel: true }),
    ]);
    const videosOf = (who: typeof removed) => Promise.all([insertVideo(who, {}), insertVideo(who, {})]);
    const [removedVideos, struckVideos, moneyVideos, bystanderVideos] = await Promise.all(
      [removed, struck, money, bystander].map(videosOf),
    );
    const channelCase = (who: typeof removed) =>
      insertCase({ targetType: "channel", targetId: who.channelId as string, ownerAccountId: who.accountId });
    await claimAndDecide(mod, await channelCase(removed), { decision: "remove" });
    await claimAndDecide(mod, await channelCase(struck), { decision: "strike" });
    await claimAndDecide(mod, await channelCase(money), { decision: "demonetise" });
    for (const g of await generationsOf([...(removedVideos ?? []), ...(struckVideos ?? [])])) {
      expect(g).toBeGreaterThan(0);
    }
    // A decision that keeps the channel up, and a channel nobody decided on, revoke nothing.
    expect(await generationsOf([...(moneyVideos ?? []), ...(bystanderVideos ?? [])])).toEqual([0, 0, 0, 0]);
  });

  it("dismiss publishes a comment auto-hide held again, its count restored", async () => {
    const [mod, creator, author] = await Promise.all([
      seedModerator("mqh"),
      seedAccount({ tag: "mqhc", channel: true }),
      seedAccount({ tag: "mqha" }),
    ]);
    const videoId = await insertVideo(creator, { commentCount: 0 });
    const commentId = await insertComment(videoId, author);
    await testDb()
      .update(comments)
      .set({ status: "held", heldReason: "reports" })
      .where(eq(comments.id, commentId));
    const caseId = await insertCase(
      { targetType: "comment", targetId: commentId, ownerAccountId: author.accountId },
      [],
      { hiddenAt: Date.now() },
    );
    await claimAndDecide(mod, caseId, { decision: "dismiss" });
    const comment = await testDb().select().from(comments).where(eq(comments.id, commentId)).get();
    expect(comment).toMatchObject({ status: "published", heldReason: null });
    const video = await testDb().select().from(videos).where(eq(videos.id, videoId)).get();
    expect(video?.commentCount).toBe(1);
  });

  it("no ad plays before a demonetised video, nor before any video of a demonetised channel", async () => {
    const mod = await seedModerator("mqad");
    const viewer = await seedAccount({ tag: "mqadv" });
    const playbackAd = async (videoId: string) =>
      (
        await apiJson<{ ad: unknown }>(`/api/v1/videos/${videoId}/playback`, 200, {
          token: viewer.accessToken,
        })
      ).ad;
    const scene = await adScene("mqads");
    expect(await playbackAd(scene.contentId)).not.toBeNull();
    const caseId = await insertCase({
      targetType: "video",
      targetId: scene.contentId,
      ownerAccountId: scene.owner.accountId,
    });
    await claimAndDecide(mod, caseId, { decision: "demonetise" });
    expect(await playbackAd(scene.contentId)).toBeNull();

    const other = await adScene("mqadc");
    expect(await playbackAd(other.contentId)).not.toBeNull();
    const channelCase = await insertCase({
      targetType: "channel",
      targetId: other.owner.channelId as string,
      ownerAccountId: other.owner.accountId,
    });
    await claimAndDecide(mod, channelCase, { decision: "demonetise" });
    expect(await playbackAd(other.contentId)).toBeNull();
  });
});
