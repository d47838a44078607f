/**
 * The whole path, through the real API: reports from three accounts hide a video from
 * listings and search; a moderator claims it and strikes (a first violation: a warning, the video
 * removed); the reporters are told; further strikes freeze uploads and the third suspends the
 * channel (its videos leave listings, their old media links revoked); the creator appeals and is
 * told no moderator's name; the strike's issuer cannot take the appeal; another moderator grants
 * it, which lifts the strike and restores the channel. The audit log (this file's database alone)
 * holds one row per action, in order, with a valid hash chain.
 */
import { asc } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { testDb } from "../../test/fixtures";
import { api, apiJson, eventually, listAll, seedAccount } from "../../test/harness";
import type { VideoCard } from "../catalog/cards";
import { storedVideo, uniqueWord } from "../catalog/test-utils";
import { auditLog } from "../db/schema";
import {
  appealStrike,
  type CaseJson,
  claimAndDecide,
  generationsOf,
  inboxOf,
  myStrikes,
  type StrikeJson,
  seedModerator,
  videoCase,
} from "./queue-fixtures";
import {
  openCaseOf,
  putSettings,
  reportBy,
  seedCreatorWithVideo,
  seedReporters,
  videoRowOf,
} from "./test-utils";

const cardIds = async (path: string, token?: string) =>
  (await listAll<VideoCard>(path, token, 50)).map((c) => c.id);
const upload = (who: { accessToken: string }) =>
  api("/api/v1/videos", {
    method: "POST",
    token: who.accessToken,
    json: { title: "Another one", upload: { size: 1000, contentType: "video/mp4" } },
  });

describe("trust and safety, end to end", () => {
  it("reports hide, a moderator removes and strikes, uploads freeze, three strikes suspend, an appeal restores", async () => {
    await putSettings({ reports: { autoHideThreshold: 3, windowHours: 24 } });
    const { creator, videoId, word, channelId } = await seedCreatorWithVideo("flow");
    const [issuer, reviewer, admin, reporters] = await Promise.all([
      seedModerator("flowm"),
      seedModerator("flown"),
      seedAccount({ tag: "flowa", roles: ["admin"] }),
      seedReporters(3, "flowr"),
    ]);
    const listing = `/api/v1/channels/${channelId}/videos`;
    const search = `/api/v1/search?q=${word}`;
    expect(await cardIds(listing)).toContain(videoId);
    expect(await cardIds(search)).toContain(videoId);

    // 1. Three reports from distinct accounts: the video is held, out of listings and search.
    const filed = await reportBy(reporters, { targetType: "video", targetId: videoId });
    expect((await videoRowOf(videoId))?.moderationState).toBe("held");
    expect(await cardIds(listing)).not.toContain(videoId);
    expect(await cardIds(search)).not.toContain(videoId);
    const kase = await openCaseOf("video", videoId);
    if (!kase) throw new Error("no case");
    const queue = await listAll<CaseJson>(
      "/api/v1/moderation/cases?targetType=video",
      issuer.accessToken,
      10,
    );
    expect(queue.map((c) => c.id)).toContain(kase.id);

    // 2. A moderator claims it and decides a strike: the video is removed; a first violation is a warning.
    const first = await claimAndDecide(issuer, kase.id, { decision: "strike", note: "spam" });
    expect(first.case).toMatchObject({ state: "decided", decision: "strike", decidedBy: issuer.accountId });
    expect(first.strike).toMatchObject({ kind: "warning", ordinal: 0 });
    expect((await videoRowOf(videoId))?.moderationState).toBe("removed");
    expect(await cardIds(search)).not.toContain(videoId);

    // 3. Each reporter's inbox says so; their reports are upheld.
    for (const [i, reporter] of reporters.entries()) {
      const notice = await eventually(async () =>
        (await inboxOf(reporter.accessToken)).find((n) => n.type === "report.resolved"),
      );
      expect(notice?.data).toMatchObject({
        reportId: filed[i]?.id,
        targetType: "video",
        targetId: videoId,
        outcome: "upheld",
        maturity: "kids",
      });
      expect(notice?.data).not.toHaveProperty("videoId");
    }
    const mine = await listAll<{ id: string; state: string }>(
      "/api/v1/me/reports",
      reporters[0]?.accessToken,
      10,
    );
    expect(mine.find((r) => r.id === filed[0]?.id)?.state).toBe("upheld");
    const warned = await eventually(async () =>
      (await inboxOf(creator.accessToken)).find((n) => n.type === "strike.issued"),
    );
    expect(warned?.data).toMatchObject({ kind: "warning", strikeId: first.strike?.id });

    // 4. Strikes: the first freezes uploads (403 uploads_frozen), the third suspends the channel.
    expect((await upload(creator)).status).toBe(201);
    const keptWord = uniqueWord("flowk");
    const keptVideo = await storedVideo(creator, { title: `Kept ${keptWord}` });
    const keptSearch = `/api/v1/search?q=${keptWord}`;
    expect(await cardIds(keptSearch)).toContain(keptVideo);
    expect(await generationsOf([keptVideo])).toEqual([0]);
    const strikes: StrikeJson[] = [];
    const cases: string[] = [];
    const videos: string[] = [];
    for (let n = 1; n <= 3; n++) {
      const c = await videoCase(creator);
      cases.push(c.caseId);
      videos.push(c.videoId);
      const { strike } = await claimAndDecide(issuer, c.caseId, { decision: "strike" });
      strikes.push(strike as StrikeJson);
      expect(strike).toMatchObject({ kind: "strike", ordinal: n });
      if (n === 1) {
        const frozen = await upload(creator);
        expect(frozen.status).toBe(403);
        expect(await frozen.json()).toMatchObject({
          code: "uploads_frozen",
          frozenUntil: new Date(strike?.freezeUntil as number).toISOString(),
        });
      }
    }
    const other = await seedCreatorWithVideo("flowo"); // a bystander channel stays listed
    expect(await myStrikes(creator)).toMatchObject({ channelState: "suspended", activeStrikes: 3 });
    // A bystander's upload still goes through.
    expect((await upload(other.creator)).status).toBe(201);
    expect((await api(`/api/v1/channels/${channelId}`)).status).toBe(404);
    expect(await cardIds(keptSearch)).not.toContain(keptVideo);
    // The channel's video list is gone with its page (404 to everyone but its owner and staff).
    expect((await api(listing)).status).toBe(404);
    // The suspension also ended every link to the channel's videos handed out before it.
    expect((await generationsOf([keptVideo]))[0]).toBeGreaterThan(0);
    expect(await cardIds(`/api/v1/search?q=${other.word}`)).toContain(other.videoId);

    // 5. The creator appeals the third strike: its issuer may not take it; another moderator grants it.
    const third = strikes[2] as StrikeJson;
    const appealed = await appealStrike(creator, third.id, "It was a parody");
    expect(appealed.status).toBe(201);
    const appeal = (await appealed.json()) as { id: string };
    // The creator's answer names no moderator (not even the strike's issuer).
    expect(JSON.stringify(appeal)).not.toContain(issuer.accountId);
    const own = await api(`/api/v1/moderation/appeals/${appeal.id}/claim`, {
      method: "POST",
      token: issuer.accessToken,
    });
    expect(own.status).toBe(403);
    const ownDecision = await api(`/api/v1/moderation/appeals/${appeal.id}/decision`, {
      method: "POST",
      token: issuer.accessToken,
      json: { grant: true },
    });
    expect(ownDecision.status).toBe(403);
    await apiJson(`/api/v1/moderation/appeals/${appeal.id}/claim`, 200, {
      method: "POST",
      token: reviewer.accessToken,
    });
    await apiJson(`/api/v1/moderation/appeals/${appeal.id}/decision`, 200, {
      method: "POST",
      token: reviewer.accessToken,
      json: { grant: true, note: "parody" },
    });
    const after = await myStrikes(creator);
    expect(after).toMatchObject({ channelState: "active", activeStrikes: 2 });
    expect(after.items.find((s) => s.id === third.id)).toMatchObject({
      active: false,
      appeal: { state: "granted" },
    });
    expect((await api(`/api/v1/channels/${channelId}`)).status).toBe(200);
    expect(await cardIds(keptSearch)).toContain(keptVideo);
    expect(await cardIds(listing)).toContain(keptVideo);
    const decided = await eventually(async () =>
      (await inboxOf(creator.accessToken)).find((n) => n.type === "appeal.decided"),
    );
    expect(decided?.data).toMatchObject({ appealId: appeal.id, outcome: "granted" });
    // Still frozen by the second strike (14 days), which the appeal did not touch.
    expect((await upload(creator)).status).toBe(403);
    expect(JSON.stringify(await myStrikes(creator))).not.toContain(issuer.accountId);

    // 6. The audit log: one row per action, in order, every one sealed into a valid chain.
    const verify = await apiJson<{ ok: boolean; firstBrokenSeq: number | null }>(
      "/api/v1/admin/audit/verify",
      200,
      {
        token: admin.accessToken,
      },
    );
    expect(verify).toMatchObject({ ok: true, firstBrokenSeq: null });
    const rows = await testDb().select().from(auditLog).orderBy(asc(auditLog.seq)).all();
    const ours = rows
      .filter((r) => r.action.startsWith("moderation."))
      .map((r) => [r.action, r.actorAccountId, r.targetId]);
    const A = issuer.accountId;
    const B = reviewer.accountId;
    const strikeRounds = strikes.flatMap((s, i) => [
      ["moderation.case.claim", A, cases[i]],
      ["moderation.strike.issue", A, s.id],
      ...(i === 2 ? [["moderation.channel.suspend", A, channelId]] : []),
      ["moderation.case.decide", A, videos[i]],
    ]);
    expect(ours).toEqual([
      ["moderation.auto_hide", null, videoId],
      ["moderation.case.claim", A, kase.id],
      ["moderation.strike.issue", A, first.strike?.id],
      ["moderation.case.decide", A, videoId],
      ...strikeRounds,
      ["moderation.appeal.claim", B, appeal.id],
      ["moderation.channel.restore", B, channelId],
      ["moderation.appeal.decide", B, appeal.id],
    ]);
    expect(rows.every((r) => r.hash !== null)).toBe(true);
  });
});
