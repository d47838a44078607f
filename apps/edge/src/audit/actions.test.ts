/**
 * The existing staff and admin actions write their audit rows (in the action's batch, sealed right
 * after): role changes, plan edits, categories, global watched words, ad reviews, comment moderation
 * and video deletion by staff on someone else's video, and the origin's payout runs (once per run
 * and state). An action that did nothing (404, a replay, the owner's own content) writes none.
 */
import type { PayoutRun } from "@marquee/shared";
import { and, asc, eq, gt } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { insertComment, insertVideo, lowerId, testDb } from "../../test/fixtures";
import { api, apiJson, seedCastBeforeAll } from "../../test/harness";
import { campaignInReview, seedAdvertiserAccount } from "../ads/campaign-fixtures";
import { auditLog, comments } from "../db/schema";
import { originJson } from "../payouts/facts-test-utils";
import { lastAuditSeq, sealAudit, verifyAudit } from "./chain";
import { staffCommentDeletion } from "./staff";

type Row = typeof auditLog.$inferSelect;

const cast = seedCastBeforeAll("auditact", {
  admin: { roles: ["admin"] },
  moderator: { roles: ["moderator"] },
  creator: { channel: true },
  viewer: {},
});

/** The rows written since `seq`, oldest first. */
const rowsAfter = (seq: number): Promise<Row[]> =>
  testDb().select().from(auditLog).where(gt(auditLog.seq, seq)).orderBy(asc(auditLog.seq));

/** Runs `act` and answers the audit rows it wrote. */
async function audited(act: () => Promise<unknown>): Promise<Row[]> {
  const from = await lastAuditSeq(testDb());
  await act();
  return rowsAfter(from);
}

const by = (who: { accountId: string; roles: string[] }) => ({
  actorAccountId: who.accountId,
  actorRoles: who.roles,
});

describe("admin actions", () => {
  it("a role change: who, before/after roles, the request id; sealed at once", async () => {
    const rows = await audited(() =>
      apiJson(`/api/v1/admin/users/${cast.viewer.accountId}/role`, 200, {
        method: "PUT",
        token: cast.admin.accessToken,
        json: { roles: ["moderator"] },
      }),
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      ...by(cast.admin),
      action: "admin.roles.set",
      targetType: "account",
      targetId: cast.viewer.accountId,
      before: { roles: ["viewer"] },
      after: { roles: ["viewer", "moderator"] },
    });
    expect(rows[0]?.requestId).toEqual(expect.any(String));
    expect(rows[0]?.hash).toMatch(/^[0-9a-f]{64}$/);

    const none = await audited(async () => {
      const res = await api("/api/v1/admin/users/acc_nosuchaccount/role", {
        method: "PUT",
        token: cast.admin.accessToken,
        json: { roles: ["moderator"] },
      });
      expect(res.status).toBe(404);
      // Refused by permission: no row either.
      const refused = await api(`/api/v1/admin/users/${cast.viewer.accountId}/role`, {
        method: "PUT",
        token: cast.moderator.accessToken,
        json: { roles: ["admin"] },
      });
      expect(refused.status).toBe(403);
    });
    expect(none).toEqual([]);
  });

  it("a plan edit records the fields it changed", async () => {
    const rows = await audited(() =>
      apiJson("/api/v1/admin/plans/standard", 200, {
        method: "PATCH",
        token: cast.admin.accessToken,
        json: { streams: 3 },
      }),
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      ...by(cast.admin),
      action: "admin.plan.update",
      targetType: "plan",
      targetId: "standard",
      after: { streams: 3 },
    });
    expect(Object.keys(rows[0]?.before as object)).toEqual(["streams"]);
  });

  it("categories: create, update and delete, each once; a second delete (404) writes nothing", async () => {
    const token = cast.admin.accessToken;
    const slug = lowerId("c", "auditcat").replace("_", "-").slice(0, 30);
    let id = "";
    const rows = await audited(async () => {
      id = (
        await apiJson<{ id: string }>("/api/v1/admin/categories", 201, {
          method: "POST",
          token,
          json: { slug, name: "Audited" },
        })
      ).id;
      await apiJson(`/api/v1/admin/categories/${id}`, 200, {
        method: "PATCH",
        token,
        json: { name: "Renamed" },
      });
      expect((await api(`/api/v1/admin/categories/${id}`, { method: "DELETE", token })).status).toBe(204);
      expect((await api(`/api/v1/admin/categories/${id}`, { method: "DELETE", token })).status).toBe(404);
    });
    expect(rows.map((r) => [r.action, r.targetId])).toEqual([
      ["admin.category.create", id],
      ["admin.category.update", id],
      ["admin.category.delete", id],
    ]);
    expect(rows[1]).toMatchObject({ before: { name: "Audited" }, after: { name: "Renamed" } });
    expect(rows[2]).toMatchObject({ before: { slug, name: "Renamed" }, after: null });
  });

  it("two admins deleting one category at once: one 204, one 404, one audit row", async () => {
    const token = cast.admin.accessToken;
    const slug = lowerId("c", "auditrace").replace("_", "-").slice(0, 30);
    const { id } = await apiJson<{ id: string }>("/api/v1/admin/categories", 201, {
      method: "POST",
      token,
      json: { slug, name: "Raced" },
    });
    const rows = await audited(async () => {
      const statuses = await Promise.all(
        [1, 2].map(() =>
          api(`/api/v1/admin/categories/${id}`, { method: "DELETE", token }).then((r) => r.status),
        ),
      );
      expect(statuses.sort()).toEqual([204, 404]);
    });
    expect(rows.map((r) => [r.action, r.targetId])).toEqual([["admin.category.delete", id]]);
  });

  it("the global watched words, the whole list before and after", async () => {
    const put = (words: string[]) =>
      apiJson("/api/v1/admin/watched-words", 200, {
        method: "PUT",
        token: cast.admin.accessToken,
        json: { words },
      });
    await put(["alpha"]);
    const rows = await audited(() => put(["gamma", "beta", "beta"]));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      action: "admin.watched_words.set",
      targetId: "global",
      before: { words: ["alpha"] },
      after: { words: ["beta", "gamma"] },
    });
  });
});

describe("moderators' actions on someone else's content", () => {
  let videoId: string;
  beforeAll(async () => {
    videoId = await insertVideo(cast.creator);
  });

  it("approving a held comment: audited for a moderator, not for the video's owner", async () => {
    const theirs = await insertComment(videoId, cast.viewer, { status: "held", heldReason: "words" });
    const rows = await audited(() =>
      apiJson(`/api/v1/comments/${theirs}/approve`, 200, {
        method: "POST",
        token: cast.moderator.accessToken,
      }),
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      ...by(cast.moderator),
      action: "moderation.comment",
      targetType: "comment",
      targetId: theirs,
      before: { status: "held", heldReason: "words", videoId },
      after: { status: "published" },
    });
    // Approving it again changes nothing and records nothing; the owner's own approval is not a staff action.
    const again = await audited(async () => {
      await apiJson(`/api/v1/comments/${theirs}/approve`, 200, {
        method: "POST",
        token: cast.moderator.accessToken,
      });
      const mine = await insertComment(videoId, cast.viewer, { status: "held" });
      await apiJson(`/api/v1/comments/${mine}/approve`, 200, {
        method: "POST",
        token: cast.creator.accessToken,
      });
    });
    expect(again).toEqual([]);
  });

  it("pinning and the comments mode by a moderator", async () => {
    const top = await insertComment(videoId, cast.viewer);
    const rows = await audited(async () => {
      await apiJson(`/api/v1/videos/${videoId}/pinned-comment`, 200, {
        method: "PUT",
        token: cast.moderator.accessToken,
        json: { commentId: top },
      });
      await apiJson(`/api/v1/videos/${videoId}/comment-settings`, 200, {
        method: "PUT",
        token: cast.moderator.accessToken,
        json: { mode: "hold" },
      });
    });
    expect(rows.map((r) => [r.action, r.targetType, r.after])).toEqual([
      ["moderation.comment", "video", { pinnedCommentId: top }],
      ["moderation.comment", "video", { commentsMode: "hold" }],
    ]);
  });

  it("deleting someone else's video: audited once; the owner's own deletion is not", async () => {
    const rows = await audited(async () => {
      expect(
        (await api(`/api/v1/videos/${videoId}`, { method: "DELETE", token: cast.moderator.accessToken }))
          .status,
      ).toBe(204);
      expect(
        (await api(`/api/v1/videos/${videoId}`, { method: "DELETE", token: cast.moderator.accessToken }))
          .status,
      ).toBe(404);
      const own = await insertVideo(cast.creator);
      expect(
        (await api(`/api/v1/videos/${own}`, { method: "DELETE", token: cast.creator.accessToken })).status,
      ).toBe(204);
    });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      ...by(cast.moderator),
      action: "moderation.video.delete",
      targetId: videoId,
      before: { status: "ready", ownerAccountId: cast.creator.accountId },
      after: { status: "deleted" },
    });
  });

  it("staffCommentDeletion (for social/comments/deletion.ts): one row for staff, none for the author or a repeat", async () => {
    const db = testDb();
    const live = await insertVideo(cast.creator);
    const id = await insertComment(live, cast.viewer);
    const comment = { id, accountId: cast.viewer.accountId, status: "published", videoId: live };
    const video = { id: live, accountId: cast.creator.accountId };
    const moderator = {
      ...cast.moderator,
      sessionId: "s",
      email: "m@x",
      emailVerified: true,
      profileId: null,
      profileMaturity: null,
    };
    const remove = () => db.update(comments).set({ status: "removed" }).where(eq(comments.id, id));
    const rows = await audited(async () => {
      await db.batch([...staffCommentDeletion({ db }, moderator, comment, video), remove()]);
      // Already removed: a second deletion records nothing; the author's own is not a staff action.
      await db.batch([...staffCommentDeletion({ db }, moderator, comment, video), remove()]);
      expect(
        staffCommentDeletion({ db }, { ...moderator, accountId: cast.viewer.accountId }, comment, video),
      ).toEqual([]);
    });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      ...by(cast.moderator),
      action: "moderation.comment",
      targetId: id,
      after: { status: "removed" },
    });
    await sealAudit(db);
  });

  it("an ad review, with the moderator's note", async () => {
    const advertiser = await seedAdvertiserAccount("auditadv");
    const { campaign } = await campaignInReview(advertiser);
    const rows = await audited(() =>
      apiJson(`/api/v1/moderation/ad-reviews/${campaign.id}`, 200, {
        method: "POST",
        token: cast.moderator.accessToken,
        json: { decision: "reject", note: "Misleading claim", updatedAt: campaign.updatedAt },
      }),
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      ...by(cast.moderator),
      action: "ads.review",
      targetType: "ad_campaign",
      targetId: campaign.id,
      before: { status: "in_review" },
      after: { status: "rejected", decision: "reject" },
      reason: "Misleading claim",
    });
  });
});

describe("payout runs (the origin's statements)", () => {
  const run = (row: Partial<PayoutRun>): PayoutRun => ({
    id: "run_auditrun",
    period: "2026-10",
    startedAt: 1_000,
    finishedAt: null,
    state: "running",
    paidCount: 0,
    paidCents: 0,
    failedCount: 0,
    skipped: [],
    trialBalanceCents: 0,
    balances: {},
    error: null,
    ...row,
  });
  const publish = (r: PayoutRun) =>
    originJson("/payouts/statements", 200, { method: "POST", json: { earnings: [], payouts: [], run: r } });

  it("records each state of a run once, by the origin; replays and a late 'running' record nothing", async () => {
    const rows = await audited(async () => {
      await publish(run({}));
      await publish(run({}));
      await publish(run({ state: "finished", finishedAt: 2_000, paidCount: 2, paidCents: 5000 }));
      await publish(run({ state: "finished", finishedAt: 2_000, paidCount: 2, paidCents: 5000 }));
      await publish(run({}));
    });
    expect(
      rows.map((r) => [
        r.action,
        r.targetId,
        r.actorAccountId,
        r.actorRoles,
        r.before,
        (r.after as { state: string }).state,
      ]),
    ).toEqual([
      ["payouts.run", "run_auditrun", null, ["origin"], null, "running"],
      ["payouts.run", "run_auditrun", null, ["origin"], { state: "running" }, "finished"],
    ]);
    expect(rows[1]?.after).toMatchObject({ paidCount: 2, paidCents: 5000 });
  });
});

it("every row written by these actions is in one valid chain", async () => {
  expect(await verifyAudit(testDb())).toMatchObject({ ok: true, pending: 0, firstBrokenSeq: null });
  const roles = await testDb()
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, "admin.roles.set"), eq(auditLog.targetId, cast.viewer.accountId)));
  expect(roles).toHaveLength(1);
});
