/**
 * Appeals (docs/moderation.md, "Strikes"): a creator appeals each active strike or warning once (or
 * an expired strike while its channel is still suspended by strikes: the only way back); a
 * moderator other than the strike's issuer claims and decides it. A granted appeal lifts the strike
 * (the upload freeze is read from the active strikes, so it is recomputed with it) and restores a
 * channel the strikes suspended once its active strikes fall below `strikesToSuspend` — not one a
 * moderator removed outright (a decided `remove`/`strike` case on the channel itself).
 *
 * Claims and decisions are conditional UPDATEs with their audit rows guarded the same way (queue.ts).
 */
import { and, asc, count, eq, exists, gt, inArray, lte, ne, or, type SQL, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { sealQuietly } from "../audit/chain";
import { auditActorOf } from "../audit/log";
import { authorize } from "../auth/permissions";
import { appeals, channels, strikes } from "../db/schema";
import { AppError } from "../lib/errors";
import { newId } from "../lib/ids";
import { decodeCursor, keysetPage, keysetWhere, TimeKey } from "../lib/pagination";
import type { Services } from "../services";
import { flagOn, getSettings } from "../settings/store";
import type { Actor } from "../types";
import { syncChannelHidden } from "./channel-hidden";
import { notifyAppeal } from "./notices";
import { auditIf } from "./queue";
import type { AppealDecisionBody, AppealQuery } from "./schemas";
import { activeAt, appealableAt, isSuspendedByStrikes, suspendedByStrikes } from "./strikes";

type AppealRow = typeof appeals.$inferSelect;
const MINUTE_MS = 60_000;

export function appealView(a: AppealRow) {
  return {
    id: a.id,
    strikeId: a.strikeId,
    accountId: a.accountId,
    text: a.text,
    state: a.state,
    strikeDecidedBy: a.strikeDecidedBy,
    claimedBy: a.claimedBy,
    claimExpiresAt: a.claimExpiresAt,
    decidedBy: a.decidedBy,
    decidedAt: a.decidedAt,
    note: a.note,
    createdAt: a.createdAt,
  };
}

/**
 * What the creator reads of their own appeal: never who issued the strike, who holds the appeal or
 * who decided it (a moderator's identity is staff business; the creator could single them out).
 */
export function myAppealView(a: AppealRow) {
  return {
    id: a.id,
    strikeId: a.strikeId,
    accountId: a.accountId,
    text: a.text,
    state: a.state,
    decidedAt: a.decidedAt,
    note: a.note,
    createdAt: a.createdAt,
  };
}

/** Whether `strike` may be appealed now (see `appealableAt`: an expired strike of a channel still suspended by strikes may). */
async function appealable(s: Services, strike: typeof strikes.$inferSelect, now: number) {
  return appealableAt(strike, now, await isSuspendedByStrikes(s, strike.channelId));
}

/**
 * POST /me/strikes/{strikeId}/appeal: once per strike, while it is active (or expired while its
 * channel is still suspended by strikes: see `appealable`). The creator's view of the appeal.
 */
export async function createAppeal(
  s: Services,
  actor: Actor,
  strikeId: string,
  text: string,
  now = Date.now(),
) {
  const strike = await s.db.select().from(strikes).where(eq(strikes.id, strikeId)).get();
  if (!strike) throw new AppError("not_found", "No such strike");
  authorize(actor, "strikes.own", { ownerAccountId: strike.accountId }, { hideExistence: true });
  if (!(await flagOn(await getSettings(s), "appeals", actor.accountId))) {
    throw new AppError("forbidden", "Appeals are not available to this account yet");
  }
  if (!(await appealable(s, strike, now)))
    throw new AppError("conflict", "This strike is lifted or expired: nothing to appeal");
  const [row] = await s.db
    .insert(appeals)
    .values({
      id: newId("appeal"),
      strikeId,
      accountId: strike.accountId,
      text,
      state: "open",
      strikeDecidedBy: strike.decidedBy,
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing({ target: appeals.strikeId })
    .returning();
  if (!row) throw new AppError("conflict", "This strike is already appealed (one appeal per strike)");
  return myAppealView(row);
}

/** GET /moderation/appeals: oldest first; without `state`, those still to decide. */
export async function listAppeals(s: Services, actor: Actor, query: AppealQuery) {
  authorize(actor, "moderation.queue");
  const after = query.cursor ? decodeCursor(query.cursor, "moderation-appeals", TimeKey) : null;
  const rows = await s.db
    .select()
    .from(appeals)
    .where(
      and(
        query.state ? eq(appeals.state, query.state) : inArray(appeals.state, ["open", "claimed"]),
        after
          ? keysetWhere([
              { column: appeals.createdAt, value: after.t, order: "asc" },
              { column: appeals.id, value: after.i, order: "asc" },
            ])
          : undefined,
      ),
    )
    .orderBy(asc(appeals.createdAt), asc(appeals.id))
    .limit(query.limit + 1);
  const page = keysetPage(rows, query.limit, "moderation-appeals", (last) => ({
    t: last.createdAt,
    i: last.id,
  }));
  return { items: page.items.map(appealView), nextCursor: page.nextCursor };
}

async function loadAppeal(s: Services, actor: Actor, appealId: string): Promise<AppealRow> {
  authorize(actor, "moderation.queue");
  const row = await s.db.select().from(appeals).where(eq(appeals.id, appealId)).get();
  if (!row) throw new AppError("not_found", "No such appeal");
  if (row.strikeDecidedBy === actor.accountId) {
    throw new AppError("forbidden", "You issued this strike: another moderator decides its appeal");
  }
  if (row.accountId === actor.accountId) {
    throw new AppError("forbidden", "This is your own appeal: another moderator decides it");
  }
  return row;
}

const appealWhere = (s: Services, where: SQL | undefined) =>
  exists(s.db.select({ one: sql`1` }).from(appeals).where(where));

function conflictOf(row: AppealRow, me: string, now: number): AppError {
  if (row.state === "granted" || row.state === "denied")
    return new AppError("conflict", "This appeal is already decided");
  if (row.state === "claimed" && row.claimedBy !== me && (row.claimExpiresAt ?? 0) > now) {
    return new AppError(
      "conflict",
      `Another moderator holds this appeal until ${new Date(row.claimExpiresAt ?? 0).toISOString()}`,
      {
        extensions: { claimExpiresAt: row.claimExpiresAt },
      },
    );
  }
  return new AppError("conflict", "Claim the appeal first (POST …/claim): only its claimant decides it");
}

/** POST /moderation/appeals/{appealId}/claim: 403 for the strike's issuer; 409 while someone else holds it. */
export async function claimAppeal(s: Services, actor: Actor, appealId: string, now = Date.now()) {
  await loadAppeal(s, actor, appealId);
  const me = actor.accountId;
  const expires = now + (await getSettings(s)).moderation.claimMinutes * MINUTE_MS;
  const where = and(
    eq(appeals.id, appealId),
    ne(appeals.strikeDecidedBy, me),
    or(
      eq(appeals.state, "open"),
      and(eq(appeals.state, "claimed"), or(lte(appeals.claimExpiresAt, now), eq(appeals.claimedBy, me))),
    ),
  );
  const [, claimed] = await s.db.batch([
    auditIf(
      s,
      auditActorOf(actor),
      {
        action: "moderation.appeal.claim",
        targetType: "appeal",
        targetId: appealId,
        after: { claimExpiresAt: expires },
      },
      appealWhere(s, where),
      now,
    ),
    s.db
      .update(appeals)
      .set({ state: "claimed", claimedBy: me, claimedAt: now, claimExpiresAt: expires, updatedAt: now })
      .where(where)
      .returning(),
  ]);
  const row = claimed[0];
  if (!row) throw conflictOf(await loadAppeal(s, actor, appealId), me, now);
  await sealQuietly(s, "moderation.appeal.claim");
  return appealView(row);
}

/** POST /moderation/appeals/{appealId}/decision: only the claimant (never the strike's issuer). */
export async function decideAppeal(
  s: Services,
  actor: Actor,
  appealId: string,
  body: AppealDecisionBody,
  now = Date.now(),
) {
  const appeal = await loadAppeal(s, actor, appealId);
  const me = actor.accountId;
  const settings = await getSettings(s);
  const strike = await s.db.select().from(strikes).where(eq(strikes.id, appeal.strikeId)).get();
  if (!strike) throw new AppError("not_found", "No such appeal");
  const held = and(
    eq(appeals.id, appealId),
    eq(appeals.state, "claimed"),
    eq(appeals.claimedBy, me),
    gt(appeals.claimExpiresAt, now),
    ne(appeals.strikeDecidedBy, me),
  );
  const g = appealWhere(s, held);
  const by = auditActorOf(actor);
  const ch = strike.channelId;
  // Restore only a channel the strikes suspended: its active strikes (after this lift; expired ones
  // never count) below the threshold, and no decided case that removed the channel itself.
  const restorable = and(
    g,
    suspendedByStrikes(s, ch),
    sql`(${s.db
      .select({ n: count() })
      .from(strikes)
      .where(
        and(eq(strikes.channelId, ch), eq(strikes.kind, "strike"), activeAt(now)),
      )}) < ${settings.moderation.strikesToSuspend}`,
  ) as SQL;
  const grant: BatchItem<"sqlite">[] = body.grant
    ? [
        s.db
          .update(strikes)
          .set({ liftedAt: now, liftedBy: me })
          .where(and(eq(strikes.id, strike.id), sql`${strikes.liftedAt} IS NULL`, g)),
        auditIf(
          s,
          by,
          {
            action: "moderation.channel.restore",
            targetType: "channel",
            targetId: ch,
            before: { moderationState: "suspended" },
            after: { moderationState: "active", byAppeal: appealId },
          },
          restorable,
          now,
        ),
        s.db
          .update(channels)
          .set({ moderationState: "active", updatedAt: now })
          .where(and(eq(channels.id, ch), restorable)),
        syncChannelHidden(s.db, { channelId: ch }),
      ]
    : [];
  const state = body.grant ? "granted" : "denied";
  const results = await s.db.batch([
    ...grant,
    auditIf(
      s,
      by,
      {
        action: "moderation.appeal.decide",
        targetType: "appeal",
        targetId: appealId,
        after: { state, strikeId: strike.id },
        reason: body.note ?? null,
      },
      g,
      now,
    ),
    s.db
      .update(appeals)
      .set({ state, decidedBy: me, decidedAt: now, note: body.note ?? null, updatedAt: now })
      .where(held)
      .returning(),
  ] as unknown as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  const row = (results[results.length - 1] as AppealRow[])[0];
  if (!row) throw conflictOf(await loadAppeal(s, actor, appealId), me, Date.now());
  await sealQuietly(s, "moderation.appeal.decide");
  await notifyAppeal(s, { id: row.id, strikeId: row.strikeId, accountId: row.accountId }, body.grant, now);
  return appealView(row);
}
