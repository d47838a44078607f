import type { ReportTargetType } from "@marquee/shared";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { insertCategory, lowerId, testDb } from "../../test/fixtures";
import { api, listAll, seedAccount } from "../../test/harness";
import type { VideoCard } from "../catalog/cards";
import { accounts, auditLog, reports, videos } from "../db/schema";
import { syncChannelHidden } from "./channel-hidden";
import { claimAndDecide, seedModerator } from "./queue-fixtures";
import {
  casesOf,
  channelRowOf,
  commentRowOf,
  fileReportAs,
  openCaseOf,
  putSettings,
  reportBy,
  resetSettings,
  seedComment,
  seedCreatorWithVideo,
  seedReporters,
  videoRowOf,
} from "./test-utils";

const autoHideRows = (targetType: ReportTargetType, targetId: string) =>
  testDb()
    .select()
    .from(auditLog)
    .where(
      and(
        eq(auditLog.action, "moderation.auto_hide"),
        eq(auditLog.targetType, targetType),
        eq(auditLog.targetId, targetId),
      ),
    )
    .all();

/** Past decided reports of the account (on other videos): `upheld` upheld, `dismissed` dismissed. */
const decided = (accountId: string, upheld: number, dismissed: number) =>
  testDb()
    .insert(reports)
    .values(
      [...Array(upheld).fill("upheld"), ...Array(dismissed).fill("dismissed")].map((state) => ({
        id: lowerId("rpt", "past"),
        caseId: lowerId("case", "past"),
        reporterAccountId: accountId,
        targetType: "video" as const,
        targetId: lowerId("vid", "past"),
        reason: "spam_or_misleading" as const,
        state,
        outcome: state === "upheld" ? ("remove" as const) : ("dismiss" as const),
        resolvedAt: Date.now(),
      })),
    );

/** A stranger's playback manifest path, handed out now (it works until the media generation moves). */
async function manifestOf(videoId: string, token: string): Promise<string> {
  const res = await api(`/api/v1/videos/${videoId}/playback`, { token });
  expect(res.status).toBe(200);
  const manifest = new URL(((await res.json()) as { manifestUrl: string }).manifestUrl).pathname;
  expect((await api(manifest)).status).toBe(200);
  return manifest;
}

const cardIds = async (path: string, token?: string) =>
  (await listAll<VideoCard>(path, token, 50)).map((c) => c.id);
const status = async (path: string, token?: string) => (await api(path, token ? { token } : {})).status;

describe("auto-hide", () => {
  it("three reports from distinct accounts hide a video from listings, search, trending and others' playback; its owner still reads and plays it", async () => {
    const { creator, videoId, word, channelId } = await seedCreatorWithVideo("ahv");
    const category = await insertCategory("Hide tests");
    await testDb().update(videos).set({ categoryId: category.id }).where(eq(videos.id, videoId));
    const [a, b, c, stranger] = await seedReporters(4, "ahvr");
    const moderator = await seedAccount({ tag: "ahvm", roles: ["moderator"] });
    if (!a || !b || !c || !stranger) throw new Error("no reporters");
    const where = {
      channel: `/api/v1/channels/${channelId}/videos`,
      search: `/api/v1/search?q=${word}`,
      trending: `/api/v1/trending?category=${category.slug}`,
    };
    for (const path of Object.values(where)) expect(await cardIds(path), path).toContain(videoId);

    // A stranger's playback handed out before the hide.
    const before = (await (
      await api(`/api/v1/videos/${videoId}/playback`, { token: stranger.accessToken })
    ).json()) as {
      manifestUrl: string;
    };
    const manifest = new URL(before.manifestUrl).pathname;
    expect((await api(manifest)).status).toBe(200);
    await reportBy([a, b], { targetType: "video", targetId: videoId });
    expect(await openCaseOf("video", videoId)).toMatchObject({ openReports: 2, weight: 2, hiddenAt: null });
    expect(await cardIds(where.search)).toContain(videoId);
    expect(await autoHideRows("video", videoId)).toHaveLength(0);

    await fileReportAs(c, { targetType: "video", targetId: videoId, reason: "harassment" });
    const kase = await openCaseOf("video", videoId);
    expect(kase).toMatchObject({
      openReports: 3,
      weight: 3,
      state: "open",
      ownerAccountId: creator.accountId,
    });
    expect(kase?.hiddenAt).not.toBeNull();
    expect((await videoRowOf(videoId))?.moderationState).toBe("held");
    for (const path of Object.values(where)) {
      expect(await cardIds(path), path).not.toContain(videoId);
      expect(await cardIds(path, stranger.accessToken), path).not.toContain(videoId);
    }
    // Others: 404, as for a video that does not exist. Its owner and staff still read it.
    const video = `/api/v1/videos/${videoId}`;
    expect(await status(video)).toBe(404);
    expect(await status(video, stranger.accessToken)).toBe(404);
    expect(await status(`${video}/playback`, stranger.accessToken)).toBe(404);
    expect(await status(`${video}/comments`, stranger.accessToken)).toBe(404);
    expect(await status(video, creator.accessToken)).toBe(200);
    expect(await status(`${video}/playback`, creator.accessToken)).toBe(200);
    expect(await status(video, moderator.accessToken)).toBe(200);
    // Links handed out before the hide stop working (the media generation moved).
    expect((await api(manifest)).status).not.toBe(200);
    // A report of a video one cannot see any more is a 404 too.
    expect(
      (
        await api("/api/v1/reports", {
          method: "POST",
          token: stranger.accessToken,
          json: { targetType: "video", targetId: videoId, reason: "other" },
        })
      ).status,
    ).toBe(404);

    // One audit row, by the system, naming the case; sealed into the chain.
    const [row, ...more] = await autoHideRows("video", videoId);
    expect(more).toHaveLength(0);
    expect(row).toMatchObject({
      actorAccountId: null,
      actorRoles: ["system"],
      before: { state: "visible" },
      after: { caseId: kase?.id, state: "held", weight: 3, threshold: 3, windowHours: 24 },
    });
    expect(row?.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row?.requestId).toBeTruthy();
  });

  it("a moderator's report counts double, and so does a reporter whose past reports were mostly upheld", async () => {
    const moderator = await seedAccount({ tag: "ahwm", roles: ["moderator"] });
    const [viewer, reputable, unreliable] = await seedReporters(3, "ahwr");
    if (!viewer || !reputable || !unreliable) throw new Error("no reporters");
    const one = await seedCreatorWithVideo("ahw1");
    const moderatorReport = await fileReportAs(moderator, { targetType: "video", targetId: one.videoId });
    expect(await openCaseOf("video", one.videoId)).toMatchObject({ weight: 2, hiddenAt: null });
    await fileReportAs(viewer, { targetType: "video", targetId: one.videoId });
    expect((await videoRowOf(one.videoId))?.moderationState).toBe("held");
    expect(
      (await testDb().select().from(reports).where(eq(reports.id, moderatorReport.id)).get())?.weight,
    ).toBe(2);

    // Reputation: at least 5 decided reports, at least 80% upheld (defaults).
    await decided(reputable.accountId, 4, 1);
    await decided(unreliable.accountId, 3, 2);
    const two = await seedCreatorWithVideo("ahw2");
    await fileReportAs(unreliable, { targetType: "video", targetId: two.videoId });
    expect(await openCaseOf("video", two.videoId)).toMatchObject({ weight: 1 });
    await fileReportAs(reputable, { targetType: "video", targetId: two.videoId });
    expect(await openCaseOf("video", two.videoId)).toMatchObject({ weight: 3 });
    expect((await videoRowOf(two.videoId))?.moderationState).toBe("held");
  });

  it("concurrent reports make exactly one case and hide once", async () => {
    const { videoId } = await seedCreatorWithVideo("ahcc");
    const reporters = await seedReporters(6, "ahccr");
    const filed = await Promise.all(
      reporters.map((r) => fileReportAs(r, { targetType: "video", targetId: videoId })),
    );
    expect(filed).toHaveLength(6);
    const cases = await casesOf("video", videoId);
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({ openReports: 6, weight: 6 });
    expect(cases[0]?.hiddenAt).not.toBeNull();
    expect(await autoHideRows("video", videoId)).toHaveLength(1);
    expect((await videoRowOf(videoId))?.moderationState).toBe("held");
  });

  it("counts only reports within the window, and takes the threshold from the settings", async () => {
    const { videoId } = await seedCreatorWithVideo("ahwin");
    const [a, b, c] = await seedReporters(3, "ahwinr");
    if (!a || !b || !c) throw new Error("no reporters");
    const old = await fileReportAs(a, { targetType: "video", targetId: videoId });
    // Filed 25 hours ago: outside the default 24-hour window.
    await testDb()
      .update(reports)
      .set({ createdAt: Date.now() - 25 * 3_600_000 })
      .where(eq(reports.id, old.id));
    await reportBy([b, c], { targetType: "video", targetId: videoId });
    expect(await openCaseOf("video", videoId)).toMatchObject({ openReports: 3, weight: 3, hiddenAt: null });
    expect((await videoRowOf(videoId))?.moderationState).toBe("visible");

    await putSettings({ reports: { autoHideThreshold: 1 } });
    try {
      const other = await seedCreatorWithVideo("ahwin2");
      await fileReportAs(a, { targetType: "video", targetId: other.videoId });
      expect((await videoRowOf(other.videoId))?.moderationState).toBe("held");
    } finally {
      await resetSettings();
    }
  });

  it("hides a comment: held by reports, out of the counts, seen only by its author, the owner and staff", async () => {
    const { creator, videoId } = await seedCreatorWithVideo("ahcm");
    const [author, x, y, z] = await seedReporters(4, "ahcmr");
    if (!author || !x || !y || !z) throw new Error("no reporters");
    const commentId = await seedComment(videoId, author);
    await testDb()
      .update(videos)
      .set({ commentCount: 1, pinnedCommentId: commentId })
      .where(eq(videos.id, videoId));
    await reportBy([x, y, z], { targetType: "comment", targetId: commentId });
    expect(await commentRowOf(commentId)).toMatchObject({ status: "held", heldReason: "reports" });
    expect(await videoRowOf(videoId)).toMatchObject({
      commentCount: 0,
      pinnedCommentId: null,
      moderationState: "visible",
    });
    const listed = async (token: string) =>
      (
        (await (await api(`/api/v1/videos/${videoId}/comments`, { token })).json()) as {
          items: { id: string }[];
        }
      ).items.map((i) => i.id);
    expect(await listed(x.accessToken)).not.toContain(commentId);
    expect(await listed(author.accessToken)).toContain(commentId);
    expect(await listed(creator.accessToken)).toContain(commentId);
    expect(await autoHideRows("comment", commentId)).toHaveLength(1);
  });

  it("hides a channel: its page is 404 to others, its videos leave listings, its owner and staff still see both", async () => {
    const { creator, videoId, channelId, word } = await seedCreatorWithVideo("ahch");
    const [x, y, z] = await seedReporters(3, "ahchr");
    const moderator = await seedAccount({ tag: "ahchm", roles: ["moderator"] });
    if (!x || !y || !z) throw new Error("no reporters");
    await reportBy([x, y, z], { targetType: "channel", targetId: channelId });
    expect((await channelRowOf(channelId))?.moderationState).toBe("held");
    expect(await videoRowOf(videoId)).toMatchObject({ channelHidden: true, moderationState: "visible" });
    const page = `/api/v1/channels/${channelId}`;
    expect(await status(page)).toBe(404);
    expect(await status(page, x.accessToken)).toBe(404);
    expect(await status(page, creator.accessToken)).toBe(200);
    expect(await status(page, moderator.accessToken)).toBe(200);
    expect(await cardIds(`/api/v1/search?q=${word}`)).not.toContain(videoId);
    // Its video list: 404 like the page (channels/service.ts), or at least without the video.
    const listing = await api(`${page}/videos?limit=50`);
    if (listing.status === 200) {
      expect(((await listing.json()) as { items: { id: string }[] }).items.map((i) => i.id)).not.toContain(
        videoId,
      );
    } else expect(listing.status).toBe(404);
    expect(await status(`/api/v1/videos/${videoId}`, x.accessToken)).toBe(404);
    expect(await status(`/api/v1/videos/${videoId}`, creator.accessToken)).toBe(200);
    expect(await autoHideRows("channel", channelId)).toHaveLength(1);
  });

  it("a suspended account's channel page and videos are hidden from all but its owner and staff", async () => {
    const { creator, videoId, channelId, word } = await seedCreatorWithVideo("ahsus");
    const moderator = await seedAccount({ tag: "ahsusm", roles: ["moderator"] });
    const db = testDb();
    await db.batch([
      db.update(accounts).set({ suspendedAt: Date.now() }).where(eq(accounts.id, creator.accountId)),
      syncChannelHidden(db, { accountId: creator.accountId }),
    ]);
    expect(await status(`/api/v1/channels/${channelId}`)).toBe(404);
    expect(await status(`/api/v1/channels/${channelId}`, moderator.accessToken)).toBe(200);
    expect(await status(`/api/v1/videos/${videoId}`)).toBe(404);
    expect(await status(`/api/v1/videos/${videoId}`, moderator.accessToken)).toBe(200);
    expect(await cardIds(`/api/v1/search?q=${word}`)).not.toContain(videoId);
  });

  it("holding a channel revokes the links its videos handed out before", async () => {
    const { videoId, channelId } = await seedCreatorWithVideo("ahchr");
    const [x, y, z, watcher] = await seedReporters(4, "ahchrr");
    if (!x || !y || !z || !watcher) throw new Error("no reporters");
    const manifest = await manifestOf(videoId, watcher.accessToken);
    await reportBy([x, y, z], { targetType: "channel", targetId: channelId });
    expect((await channelRowOf(channelId))?.moderationState).toBe("held");
    expect((await api(manifest)).status).not.toBe(200);
  });

  it("reports from accounts whose email is not verified are filed and queued but weigh 0", async () => {
    const { videoId } = await seedCreatorWithVideo("ahunv");
    const unverified = await Promise.all([1, 2, 3, 4].map(() => seedAccount({ tag: "ahunvr" })));
    const filed = await reportBy(unverified, { targetType: "video", targetId: videoId });
    expect(filed.every((r) => r.state === "open")).toBe(true);
    expect(await openCaseOf("video", videoId)).toMatchObject({ openReports: 4, weight: 0, hiddenAt: null });
    expect((await videoRowOf(videoId))?.moderationState).toBe("visible");
    expect(await autoHideRows("video", videoId)).toHaveLength(0);
  });

  it("accounts whose reports of a target were dismissed cannot hide it again; others still count", async () => {
    const { videoId } = await seedCreatorWithVideo("ahdis");
    const moderator = await seedModerator("ahdism");
    const reporters = await seedReporters(3, "ahdisr");
    const [fresh] = await seedReporters(1, "ahdisf");
    if (!fresh) throw new Error("no reporters");
    await reportBy(reporters, { targetType: "video", targetId: videoId });
    const first = await openCaseOf("video", videoId);
    expect((await videoRowOf(videoId))?.moderationState).toBe("held");
    await claimAndDecide(moderator, first?.id ?? "", { decision: "dismiss" });
    expect((await videoRowOf(videoId))?.moderationState).toBe("visible");

    await reportBy(reporters, { targetType: "video", targetId: videoId });
    const second = await openCaseOf("video", videoId);
    expect(second?.id).not.toBe(first?.id);
    expect(second).toMatchObject({ openReports: 3, weight: 0, hiddenAt: null });
    expect((await videoRowOf(videoId))?.moderationState).toBe("visible");
    await fileReportAs(fresh, { targetType: "video", targetId: videoId });
    expect(await openCaseOf("video", videoId)).toMatchObject({ openReports: 4, weight: 1, hiddenAt: null });
  });

  it("an account with enough decided reports and under 20% upheld weighs 0; at 20% it weighs 1", async () => {
    const [poor, borderline] = await seedReporters(2, "ahpoor");
    if (!poor || !borderline) throw new Error("no reporters");
    await decided(poor.accountId, 0, 5);
    await decided(borderline.accountId, 1, 4);
    const { videoId } = await seedCreatorWithVideo("ahpoorv");
    await fileReportAs(poor, { targetType: "video", targetId: videoId });
    expect(await openCaseOf("video", videoId)).toMatchObject({ openReports: 1, weight: 0 });
    await fileReportAs(borderline, { targetType: "video", targetId: videoId });
    expect(await openCaseOf("video", videoId)).toMatchObject({ openReports: 2, weight: 1 });
  });

  it("a case hidden before does not hold its target again on a later report", async () => {
    const { videoId } = await seedCreatorWithVideo("ahre");
    const [a, b, c, d] = await seedReporters(4, "ahrer");
    if (!a || !b || !c || !d) throw new Error("no reporters");
    await reportBy([a, b, c], { targetType: "video", targetId: videoId });
    expect((await videoRowOf(videoId))?.moderationState).toBe("held");
    // Released while the case stays under review (e.g. by staff outside the decision).
    await testDb().update(videos).set({ moderationState: "visible" }).where(eq(videos.id, videoId));
    await fileReportAs(d, { targetType: "video", targetId: videoId });
    expect(await openCaseOf("video", videoId)).toMatchObject({ openReports: 4, weight: 4 });
    expect((await videoRowOf(videoId))?.moderationState).toBe("visible");
    expect(await autoHideRows("video", videoId)).toHaveLength(1);
  });
});
