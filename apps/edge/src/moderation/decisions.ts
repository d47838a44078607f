/**
 * Deciding a case (docs/moderation.md, "Queue"): only its claimant, only while the claim holds. One
 * D1 batch (one transaction) applies the effect, issues the strike, decides every open report of the
 * case, writes the audit rows and, last, marks the case decided. Every statement before that last
 * UPDATE is guarded by the same precondition it has ("claimed by me, claim not lapsed"), so they all
 * apply or none does: a race, a replay or a lapsed claim cannot decide twice (409). A strike is
 * inserted first, guarded also by the channel's active count it was planned on; the statements after
 * it require it to exist, so of two decisions striking one channel at once the later re-plans.
 *
 * Effects: dismiss → un-hide what auto-hide hid; remove → video `removed` / comment `removed` /
 * channel `suspended`; age_restrict → the video's rating and its floor raised (videos only);
 * demonetise → the video's or the channel's `demonetised`; strike → remove + a strike on the owner's
 * channel (strikes.ts). Age-restrict and demonetise keep the content up, so they un-hide it too.
 */
import type { Maturity, ReportReason } from "@marquee/shared";
import { and, eq, exists, inArray, type SQL, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { alias } from "drizzle-orm/sqlite-core";
import { sealQuietly } from "../audit/chain";
import { auditActorOf } from "../audit/log";
import { authorize } from "../auth/permissions";
import type { Db } from "../db/client";
import { channels, comments, moderationCases, reports, strikes, videos } from "../db/schema";
import { AppError } from "../lib/errors";
import { bumpGeneration } from "../playback/revocation";
import type { Services } from "../services";
import { getSettings } from "../settings/store";
import { commentIn, moveCounts } from "../social/comments/counts";
import type { Actor } from "../types";
import { syncChannelHidden } from "./channel-hidden";
import { notifyReporters, notifyStrike } from "./notices";
import { assertNotOwn, auditIf, type CaseRow, caseView, caseWhere, heldBy, loadCase } from "./queue";
import { revokeChannelMedia } from "./revoke";
import type { DecisionBody } from "./schemas";
import {
  activeCountIs,
  activeStrikesOfChannel,
  newStrikeId,
  planStrike,
  strikeStatements,
  strikeViews,
} from "./strikes";

const bad = (message: string) =>
  new AppError("validation_failed", "Some fields are missing or invalid.", {
    errors: [{ path: "body.decision", message }],
  });

/** Whether a decision takes the content down (and so keeps no hold to release). */
const removes = (d: DecisionBody["decision"]) => d === "remove" || d === "strike";

/** A held comment's auto-hide: guarded on it, so a comment held for another reason stays held. */
const heldComment = alias(comments, "held_comment");

/** The statements of a decision's effect on its target, each guarded by `g`. */
function effectStatements(
  db: Db,
  row: CaseRow,
  body: DecisionBody,
  g: SQL,
  now: number,
  comment: CommentInfo | null,
) {
  const { targetType: type, targetId: id } = row;
  const d = body.decision;
  if (type === "video") {
    const v = videos;
    if (removes(d))
      return [
        db
          .update(v)
          .set({ moderationState: "removed", updatedAt: now })
          .where(and(eq(v.id, id), g)),
      ];
    const release = db
      .update(v)
      .set({ moderationState: "visible", updatedAt: now })
      .where(and(eq(v.id, id), eq(v.moderationState, "held"), g));
    if (d === "demonetise")
      return [
        release,
        db
          .update(v)
          .set({ demonetised: true })
          .where(and(eq(v.id, id), g)),
      ];
    if (d === "age_restrict") {
      const to: Maturity = body.maturity ?? "adult";
      // Only ever raised: a teen restriction leaves an adult video adult (and an adult floor adult).
      const raise = (col: typeof v.maturity | typeof v.maturityFloor) =>
        to === "adult" ? sql`'adult'` : sql`CASE WHEN ${col} = 'adult' THEN 'adult' ELSE 'teen' END`;
      return [
        release,
        db
          .update(v)
          .set({ maturity: raise(v.maturity), maturityFloor: raise(v.maturityFloor), updatedAt: now })
          .where(and(eq(v.id, id), g)),
      ];
    }
    return [release];
  }
  if (type === "channel") {
    const c = channels;
    const state = removes(d)
      ? db
          .update(c)
          .set({ moderationState: "suspended", updatedAt: now })
          .where(and(eq(c.id, id), g))
      : db
          .update(c)
          .set({ moderationState: "active", updatedAt: now })
          .where(and(eq(c.id, id), eq(c.moderationState, "held"), g));
    const money =
      d === "demonetise"
        ? [
            db
              .update(c)
              .set({ demonetised: true })
              .where(and(eq(c.id, id), g)),
          ]
        : [];
    return [state, ...money, syncChannelHidden(db, { channelId: id })];
  }
  // A comment: the counts move in the same batch as its status, guarded by the status it leaves.
  if (!comment) return [];
  if (removes(d)) {
    return [
      ...moveCounts(db, comment, -1, and(g, commentIn(db, id, "published")) as SQL),
      db
        .update(videos)
        .set({ pinnedCommentId: null })
        .where(and(eq(videos.id, comment.videoId), eq(videos.pinnedCommentId, id), g)),
      db
        .update(comments)
        .set({ status: "removed", heldReason: null, updatedAt: now })
        .where(and(eq(comments.id, id), inArray(comments.status, ["published", "held"]), g)),
    ];
  }
  const heldByReports = exists(
    db
      .select({ one: sql`1` })
      .from(heldComment)
      .where(
        and(eq(heldComment.id, id), eq(heldComment.status, "held"), eq(heldComment.heldReason, "reports")),
      ),
  );
  return [
    ...moveCounts(db, comment, 1, and(g, heldByReports) as SQL),
    db
      .update(comments)
      .set({ status: "published", heldReason: null, updatedAt: now })
      .where(and(eq(comments.id, id), eq(comments.status, "held"), eq(comments.heldReason, "reports"), g)),
  ];
}

/** The strike this batch inserted exists: the guard of every statement after its insert. */
const strikeExists = (db: Db, strikeId: string) =>
  exists(db.select({ one: sql`1` }).from(strikes).where(eq(strikes.id, strikeId)));

interface CommentInfo {
  videoId: string;
  parentId: string | null;
}

/** The reason a strike records: the one most reports of the case gave (ties: the oldest report's). */
async function strikeReason(s: Services, caseId: string): Promise<ReportReason> {
  const rows = await s.db
    .select({ reason: reports.reason })
    .from(reports)
    .where(eq(reports.caseId, caseId))
    .orderBy(reports.createdAt);
  const tally = new Map<ReportReason, number>();
  for (const r of rows) tally.set(r.reason, (tally.get(r.reason) ?? 0) + 1);
  let best: ReportReason = rows[0]?.reason ?? "other";
  for (const [reason, n] of tally) if (n > (tally.get(best) ?? 0)) best = reason;
  return best;
}

/** Why a decision cannot be taken now (it did not apply): 409 with what holds the case. */
function refusal(row: CaseRow, me: string, now: number): AppError | null {
  if (row.state === "decided") return new AppError("conflict", "This case is already decided");
  if (row.state !== "claimed" || row.claimedBy !== me || (row.claimExpiresAt ?? 0) <= now) {
    const other = row.state === "claimed" && row.claimedBy !== me && (row.claimExpiresAt ?? 0) > now;
    return new AppError(
      "conflict",
      other
        ? "Another moderator holds this case"
        : "Claim the case first (POST …/claim): only its claimant decides it",
      other ? { extensions: { claimExpiresAt: row.claimExpiresAt } } : {},
    );
  }
  return null;
}

/** POST /moderation/cases/{caseId}/decision. */
export async function decideCase(
  s: Services,
  actor: Actor,
  caseId: string,
  body: DecisionBody,
  now = Date.now(),
) {
  authorize(actor, "moderation.queue");
  const settings = await getSettings(s);
  // A strike planned on an active count another decision changed meanwhile applies nothing: re-plan.
  for (let attempt = 0; attempt < 3; attempt++) {
    const done = await tryDecide(s, actor, caseId, body, settings.moderation, now);
    if (done) return done;
  }
  throw new AppError("conflict", "The channel's strikes changed while deciding; try again");
}

async function tryDecide(
  s: Services,
  actor: Actor,
  caseId: string,
  body: DecisionBody,
  rules: Awaited<ReturnType<typeof getSettings>>["moderation"],
  now: number,
) {
  const me = actor.accountId;
  const row = await loadCase(s, caseId);
  assertNotOwn(actor, row);
  const refused = refusal(row, me, now);
  if (refused) throw refused;
  const d = body.decision;
  if (d === "age_restrict" && row.targetType !== "video") throw bad("age_restrict applies to videos only");
  if (d === "demonetise" && row.targetType === "comment")
    throw bad("demonetise applies to videos and channels");
  if (body.maturity !== undefined && d !== "age_restrict") throw bad("maturity goes with age_restrict only");

  let comment: CommentInfo | null = null;
  if (row.targetType === "comment") {
    comment =
      (await s.db
        .select({ videoId: comments.videoId, parentId: comments.parentId })
        .from(comments)
        .where(eq(comments.id, row.targetId))
        .get()) ?? null;
  }

  // The precondition of every statement: the case still held by me, unlapsed. A strike is inserted
  // first, on the active count it was planned with; every later statement then also requires it.
  let g: SQL = caseWhere(s, heldBy(caseId, me, now));
  let strike: { id: string; channelId: string; plan: ReturnType<typeof planStrike> } | null = null;
  const strikeParts: BatchItem<"sqlite">[] = [];
  if (d === "strike") {
    const channel = await s.db
      .select({ id: channels.id })
      .from(channels)
      .where(eq(channels.accountId, row.ownerAccountId))
      .get();
    if (!channel)
      throw new AppError("conflict", "The owner has no channel to strike; remove the content instead");
    const active = await activeStrikesOfChannel(s, channel.id, now);
    const plan = planStrike(rules, active, now);
    strike = { id: newStrikeId(), channelId: channel.id, plan };
    const issueGuard = and(g, activeCountIs(s, channel.id, active.length, now)) as SQL;
    g = and(g, strikeExists(s.db, strike.id)) as SQL;
    strikeParts.push(
      ...strikeStatements(
        s,
        actor,
        plan,
        {
          strikeId: strike.id,
          channelId: channel.id,
          accountId: row.ownerAccountId,
          caseId,
          reason: await strikeReason(s, caseId),
          note: body.note ?? null,
        },
        { issue: issueGuard, after: g },
        now,
      ),
    );
  }

  const outcome = d === "dismiss" ? "dismissed" : "upheld";
  const decided = and(heldBy(caseId, me, now), strike ? strikeExists(s.db, strike.id) : undefined);
  const statements = [
    ...strikeParts,
    ...effectStatements(s.db, row, body, g, now, comment),
    s.db
      .update(reports)
      .set({ state: outcome, outcome: d, resolvedAt: now })
      .where(and(eq(reports.caseId, caseId), eq(reports.state, "open"), g))
      .returning({ id: reports.id, profileId: reports.reporterProfileId }),
    auditIf(
      s,
      auditActorOf(actor),
      {
        action: "moderation.case.decide",
        targetType: row.targetType,
        targetId: row.targetId,
        before: { caseId, state: row.state, hiddenAt: row.hiddenAt },
        after: {
          caseId,
          decision: d,
          maturity: d === "age_restrict" ? (body.maturity ?? "adult") : undefined,
          strikeId: strike?.id,
        },
        reason: body.note ?? null,
      },
      g,
      now,
    ),
    s.db
      .update(moderationCases)
      .set({
        state: "decided",
        decision: d,
        decidedBy: me,
        decidedAt: now,
        note: body.note ?? null,
        openReports: 0,
        updatedAt: now,
      })
      .where(decided)
      .returning(),
  ];
  const results = await s.db.batch(statements as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  const updated = (results[results.length - 1] as CaseRow[])[0];
  if (!updated) {
    const again = refusal(await loadCase(s, caseId), me, Date.now());
    if (again) throw again;
    return null; // the strike count moved: plan again
  }
  const resolved = results[results.length - 3] as { id: string; profileId: string | null }[];
  await sealQuietly(s, "moderation.case.decide");
  if (row.targetType === "video" && (removes(d) || d === "age_restrict")) {
    // Links handed out before stop working (playback/revocation.ts); the decision stands either way.
    await bumpGeneration(s.env.SETTINGS, row.targetId).catch((error) =>
      s.log("error", { event: "media-revoke-failed", videoId: row.targetId, error: String(error) }),
    );
  }
  // A channel taken down (removed, or struck as a target; or suspended by this strike): every link
  // handed out before to any of its videos stops too, not only listings and new playback.
  const suspended =
    row.targetType === "channel" && removes(d)
      ? row.targetId
      : strike?.plan.suspends
        ? strike.channelId
        : null;
  if (suspended) await revokeChannelMedia(s, { channelId: suspended });
  await notifyReporters(
    s,
    resolved,
    { caseId, targetType: row.targetType, targetId: row.targetId, decision: d },
    now,
  );
  let strikeView = null;
  if (strike) {
    const issued = {
      id: strike.id,
      accountId: row.ownerAccountId,
      channelId: strike.channelId,
      kind: strike.plan.kind,
      ordinal: strike.plan.ordinal,
      freezeUntil: strike.plan.freezeUntil,
    };
    await notifyStrike(s, issued, { targetType: row.targetType, targetId: row.targetId }, now);
    const [stored] = await s.db.select().from(strikes).where(eq(strikes.id, strike.id));
    strikeView = stored ? ((await strikeViews(s, [stored], now))[0] ?? null) : null;
  }
  return { case: caseView(updated), strike: strikeView };
}

/**
 * Whether a video earns nothing: it or its channel is demonetised. Ads are not served before it
 * (ads/delivery.ts) and its plays carry no premium share (history/beacons.ts).
 */
export async function isDemonetised(
  db: Db,
  video: { demonetised: boolean; channelId: string },
): Promise<boolean> {
  if (video.demonetised) return true;
  const channel = await db
    .select({ demonetised: channels.demonetised })
    .from(channels)
    .where(eq(channels.id, video.channelId))
    .get();
  return channel?.demonetised ?? false;
}
