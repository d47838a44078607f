/**
 * Strikes (docs/moderation.md, "Strikes"). A strike decision on a channel with no active strike or
 * warning issues a warning; otherwise a strike whose ordinal is the channel's active strikes + 1.
 * Ordinal 1 freezes uploads `firstFreezeDays`, 2 (and later) `secondFreezeDays`; `strikesToSuspend`
 * suspends the channel. Each expires `strikeExpiryDays` after issue; an appeal granted lifts it.
 *
 * The freeze is never stored on the channel: it is the latest `freeze_until` among the channel's
 * active strikes, read when an upload starts, so lifting or expiring a strike recomputes it for free.
 */
import type { DynamicSettings, ReportReason } from "@marquee/shared";
import {
  and,
  count,
  desc,
  eq,
  exists,
  gt,
  inArray,
  isNull,
  max,
  notExists,
  type SQL,
  sql,
} from "drizzle-orm";
import { type AuditActor, auditActorOf } from "../audit/log";
import { authorize } from "../auth/permissions";
import { appeals, channels, moderationCases, strikes } from "../db/schema";
import { AppError } from "../lib/errors";
import { newId } from "../lib/ids";
import { decodeCursor, keysetPage, type ListQuery, newestAfter, TimeKey } from "../lib/pagination";
import type { Services } from "../services";
import type { Actor } from "../types";
import { syncChannelHidden } from "./channel-hidden";
import { auditIf, insertIf } from "./queue";

export type StrikeRow = typeof strikes.$inferSelect;
const DAY_MS = 86_400_000;

/** Not lifted and not expired at `now`. */
export const activeAt = (now: number) => and(isNull(strikes.liftedAt), gt(strikes.expiresAt, now));
export const isActive = (r: StrikeRow, now: number) => r.liftedAt === null && r.expiresAt > now;

export const activeStrikesOfAccount = (s: Pick<Services, "db">, accountId: string, now: number) =>
  s.db
    .select()
    .from(strikes)
    .where(and(eq(strikes.accountId, accountId), activeAt(now)))
    .orderBy(desc(strikes.issuedAt), desc(strikes.id));

export const activeStrikesOfChannel = (s: Pick<Services, "db">, channelId: string, now: number) =>
  s.db
    .select()
    .from(strikes)
    .where(and(eq(strikes.channelId, channelId), activeAt(now)))
    .orderBy(desc(strikes.issuedAt), desc(strikes.id));

/**
 * `(active strikes and warnings of the channel) = n`: the guard of a strike's batch, so two
 * decisions striking one channel at once cannot both issue ordinal n + 1 (the second is re-planned).
 */
export const activeCountIs = (s: Pick<Services, "db">, channelId: string, n: number, now: number): SQL =>
  sql`(${s.db
    .select({ n: count() })
    .from(strikes)
    .where(and(eq(strikes.channelId, channelId), activeAt(now)))}) = ${n}`;

/**
 * Whether the channel is suspended by its strikes: suspended, and not by a decided `remove` or
 * `strike` case on the channel itself (that suspension is a moderator's removal, not the count's).
 */
export const suspendedByStrikes = (s: Pick<Services, "db">, channelId: string) =>
  and(
    exists(
      s.db
        .select({ one: sql`1` })
        .from(channels)
        .where(and(eq(channels.id, channelId), eq(channels.moderationState, "suspended"))),
    ),
    notExists(
      s.db
        .select({ one: sql`1` })
        .from(moderationCases)
        .where(
          and(
            eq(moderationCases.targetType, "channel"),
            eq(moderationCases.targetId, channelId),
            eq(moderationCases.state, "decided"),
            inArray(moderationCases.decision, ["remove", "strike"]),
          ),
        ),
    ),
  ) as SQL;

export async function isSuspendedByStrikes(s: Pick<Services, "db">, channelId: string): Promise<boolean> {
  const row = await s.db
    .select({ id: channels.id })
    .from(channels)
    .where(and(eq(channels.id, channelId), suspendedByStrikes(s, channelId)))
    .get();
  return row !== undefined;
}

/**
 * Whether a strike may be appealed (ignoring an appeal already filed): not lifted, and active — or,
 * for a strike (not a warning) that has expired, while its channel is still suspended by strikes.
 * Expiry does not restore a suspended channel (nothing runs when a strike expires), so without this
 * a channel whose strikes all expired would stay suspended forever with no recourse: appealing one
 * of them is the way back (a grant restores it, expired strikes not counting).
 */
export function appealableAt(r: StrikeRow, now: number, channelSuspendedByStrikes: boolean): boolean {
  if (r.liftedAt !== null) return false;
  return isActive(r, now) || (r.kind === "strike" && channelSuspendedByStrikes);
}

/** Strikes as the API shows them, each with its appeal's state and whether it may be appealed now. */
export async function strikeViews(s: Pick<Services, "db">, rows: StrikeRow[], now: number) {
  const ids = rows.map((r) => r.id);
  const appealRows =
    ids.length === 0
      ? []
      : await s.db
          .select({ id: appeals.id, strikeId: appeals.strikeId, state: appeals.state })
          .from(appeals)
          .where(inArray(appeals.strikeId, ids));
  const byStrike = new Map(appealRows.map((a) => [a.strikeId, { id: a.id, state: a.state }]));
  // Only an expired strike's appealability depends on its channel (still suspended by strikes?).
  const lapsed = [
    ...new Set(
      rows
        .filter((r) => r.kind === "strike" && r.liftedAt === null && !isActive(r, now))
        .map((r) => r.channelId),
    ),
  ];
  const suspended = new Set<string>();
  for (const channelId of lapsed) if (await isSuspendedByStrikes(s, channelId)) suspended.add(channelId);
  return rows.map((r) => ({
    id: r.id,
    channelId: r.channelId,
    caseId: r.caseId,
    kind: r.kind,
    ordinal: r.ordinal,
    reason: r.reason,
    note: r.note,
    issuedAt: r.issuedAt,
    expiresAt: r.expiresAt,
    freezeUntil: r.freezeUntil,
    liftedAt: r.liftedAt,
    active: isActive(r, now),
    appeal: byStrike.get(r.id) ?? null,
    appealable: !byStrike.has(r.id) && appealableAt(r, now, suspended.has(r.channelId)),
  }));
}

export interface StrikePlan {
  kind: "warning" | "strike";
  ordinal: number;
  expiresAt: number;
  freezeUntil: number | null;
  suspends: boolean;
}

/** What a strike decision issues on a channel whose active strikes and warnings are `active`. */
export function planStrike(
  rules: DynamicSettings["moderation"],
  active: StrikeRow[],
  now: number,
): StrikePlan {
  const expiresAt = now + rules.strikeExpiryDays * DAY_MS;
  if (active.length === 0)
    return { kind: "warning", ordinal: 0, expiresAt, freezeUntil: null, suspends: false };
  const ordinal = active.filter((r) => r.kind === "strike").length + 1;
  const days = ordinal === 1 ? rules.firstFreezeDays : rules.secondFreezeDays;
  return {
    kind: "strike",
    ordinal,
    expiresAt,
    freezeUntil: days > 0 ? now + days * DAY_MS : null,
    suspends: ordinal >= rules.strikesToSuspend,
  };
}

export interface StrikeTarget {
  strikeId: string;
  channelId: string;
  accountId: string;
  caseId: string | null;
  reason: ReportReason;
  note: string | null;
}

/**
 * The statements that issue `plan`: the strike, inserted while `guard.issue` holds (the decision's
 * precondition and the active count it was planned on), then, while `guard.after` holds (the same,
 * and the strike inserted), its audit row and for a suspending strike the channel's suspension, its
 * audit row and `channel_hidden` of its videos. The insert goes first in the batch.
 */
export function strikeStatements(
  s: Pick<Services, "db" | "requestId">,
  actor: Actor,
  plan: StrikePlan,
  t: StrikeTarget,
  guard: { issue: SQL; after: SQL },
  now: number,
) {
  const by: AuditActor = auditActorOf(actor);
  const issued = insertIf(
    s.db,
    strikes,
    {
      id: t.strikeId,
      channelId: t.channelId,
      accountId: t.accountId,
      caseId: t.caseId,
      kind: plan.kind,
      ordinal: plan.ordinal,
      reason: t.reason,
      note: t.note,
      decidedBy: actor.accountId,
      issuedAt: now,
      expiresAt: plan.expiresAt,
      freezeUntil: plan.freezeUntil,
    },
    guard.issue,
  );
  const after = {
    kind: plan.kind,
    ordinal: plan.ordinal,
    freezeUntil: plan.freezeUntil,
    channelId: t.channelId,
  };
  const statements = [
    issued,
    auditIf(
      s,
      by,
      {
        action: "moderation.strike.issue",
        targetType: "strike",
        targetId: t.strikeId,
        after,
        reason: t.note,
      },
      guard.after,
      now,
    ),
  ];
  if (!plan.suspends) return statements;
  return [
    ...statements,
    auditIf(
      s,
      by,
      {
        action: "moderation.channel.suspend",
        targetType: "channel",
        targetId: t.channelId,
        after: { moderationState: "suspended", byStrike: t.strikeId },
        reason: t.note,
      },
      guard.after,
      now,
    ),
    s.db
      .update(channels)
      .set({ moderationState: "suspended", updatedAt: now })
      .where(and(eq(channels.id, t.channelId), guard.after)),
    syncChannelHidden(s.db, { channelId: t.channelId }),
  ];
}

export const newStrikeId = () => newId("strike");

/** Until when the channel's uploads are frozen (null: not frozen); `suspended` when it cannot upload at all. */
export async function uploadFreezeOf(s: Pick<Services, "db">, channelId: string, now = Date.now()) {
  const [channelRows, freezeRows] = await s.db.batch([
    s.db.select({ state: channels.moderationState }).from(channels).where(eq(channels.id, channelId)),
    s.db
      .select({ until: max(strikes.freezeUntil) })
      .from(strikes)
      .where(and(eq(strikes.channelId, channelId), activeAt(now), gt(strikes.freezeUntil, now))),
  ]);
  return { suspended: channelRows[0]?.state === "suspended", frozenUntil: freezeRows[0]?.until ?? null };
}

/**
 * Refuses an upload to a frozen or suspended channel: 403 `uploads_frozen` with `frozenUntil` (an ISO
 * time; null for a suspended channel, whose freeze has no end until an appeal restores it).
 */
export async function assertCanUpload(
  s: Pick<Services, "db">,
  channelId: string,
  now = Date.now(),
): Promise<void> {
  const { suspended, frozenUntil } = await uploadFreezeOf(s, channelId, now);
  if (suspended) {
    throw new AppError("uploads_frozen", "This channel is suspended: it cannot upload", {
      extensions: { frozenUntil: null },
    });
  }
  if (frozenUntil !== null) {
    const iso = new Date(frozenUntil).toISOString();
    throw new AppError("uploads_frozen", `Strikes froze this channel's uploads until ${iso}`, {
      extensions: { frozenUntil: iso },
    });
  }
}

/** The caller's channel, as `strikes.own` sees it: kids profiles 403; no channel 409. */
export async function ownStrikeChannel(s: Pick<Services, "db">, actor: Actor) {
  const channel = await s.db
    .select({ id: channels.id, accountId: channels.accountId, state: channels.moderationState })
    .from(channels)
    .where(eq(channels.accountId, actor.accountId))
    .get();
  authorize(actor, "strikes.own", { ownerAccountId: channel?.accountId ?? actor.accountId });
  if (!channel) throw new AppError("conflict", "You have no channel, so no strikes");
  return channel;
}

/** GET /me/strikes: the channel's strikes and warnings, newest first, with the freeze and the channel's state. */
export async function listMyStrikes(s: Services, actor: Actor, query: ListQuery, now = Date.now()) {
  const channel = await ownStrikeChannel(s, actor);
  const after = query.cursor ? decodeCursor(query.cursor, "strikes", TimeKey) : null;
  const [rows, freeze, [active]] = await Promise.all([
    s.db
      .select()
      .from(strikes)
      .where(
        and(
          eq(strikes.channelId, channel.id),
          after ? newestAfter(strikes.issuedAt, strikes.id, after) : undefined,
        ),
      )
      .orderBy(desc(strikes.issuedAt), desc(strikes.id))
      .limit(query.limit + 1),
    uploadFreezeOf(s, channel.id, now),
    s.db
      .select({ n: count() })
      .from(strikes)
      .where(and(eq(strikes.channelId, channel.id), eq(strikes.kind, "strike"), activeAt(now))),
  ]);
  const page = keysetPage(rows, query.limit, "strikes", (last) => ({ t: last.issuedAt, i: last.id }));
  return {
    items: await strikeViews(s, page.items, now),
    nextCursor: page.nextCursor,
    frozenUntil: freeze.frozenUntil,
    channelState: channel.state,
    activeStrikes: active?.n ?? 0,
  };
}
