/**
 * Advertisers' campaigns (docs/ads.md, "The API"): create, list, read and change them. D1 holds what
 * the advertiser set; the campaign's Durable Object (objects/campaign.ts) holds its money. Every
 * change is pushed to the object (`configure`) before the answer, so a pause or an end is in force
 * for the very next ad decision, and every read merges the object's spend (the object is the truth).
 */
import { AD_MAX_HEIGHT } from "@marquee/shared";
import { and, desc, eq, inArray } from "drizzle-orm";
import { authorize } from "../auth/permissions";
import { adCampaigns, type CampaignStatus, categories, videos } from "../db/schema";
import { AppError, type FieldError } from "../lib/errors";
import { newId } from "../lib/ids";
import { decodeCursor, keysetPage, type ListQuery, newestAfter, TimeKey } from "../lib/pagination";
import { currentGenerations } from "../playback/revocation";
import { issuePlaybackToken } from "../playback/token";
import { mediaUrl } from "../playback/urls";
import type { Services } from "../services";
import type { Actor } from "../types";
import type { VideoRow } from "../videos/view";
import { platformProblem } from "./click-through";
import { campaignStub } from "./decision";
import type { CampaignCreate, CampaignPatch } from "./schemas";
import type { CampaignConfig, CampaignSpend } from "./types";

export type CampaignRow = typeof adCampaigns.$inferSelect;

/** What the object needs of a row to decide alone. */
export const configOf = (row: CampaignRow): CampaignConfig => ({
  campaignId: row.id,
  advertiserAccountId: row.accountId,
  status: row.status,
  totalBudgetCents: row.totalBudgetCents,
  dailyBudgetCents: row.dailyBudgetCents,
  cpmBidCents: row.cpmBidCents,
  pacing: row.pacing,
  startsAt: row.startsAt,
  endsAt: row.endsAt,
  // The object keeps the newest version it was given: two racing pushes cannot leave the older one.
  updatedAt: row.updatedAt,
});

/**
 * Pushes the row as it is now to the object and answers its spend. A failure is the request's
 * failure (500) after the row is written; it is repaired by retrying the same decision (reviews.ts
 * re-pushes a decision already made) or by the next read of the campaign (`getCampaign` re-pushes
 * when the object's status disagrees). Two changes racing may push in either order: the config
 * carries the row's `updatedAt` and the object ignores one older than what it has.
 */
export const pushConfig = (s: Services, row: CampaignRow): Promise<CampaignSpend> =>
  campaignStub(s.env, row.id).configure(configOf(row));

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * What the campaign is now: the row's status, except that a running campaign the object found
 * spent or past its end shows that (the object decides both; the row keeps "active", so raising
 * the budget or moving the end lets it serve again without anyone changing the status).
 */
export function effectiveStatus(row: CampaignRow, spend: CampaignSpend | null): CampaignStatus {
  if (row.status === "active" && spend && (spend.status === "budget_spent" || spend.status === "ended")) {
    return spend.status;
  }
  return row.status;
}

/** Signed media URLs of a creative (poster, and for moderators the master playlist), or null. */
export async function creativeUrls(s: Services, video: VideoRow, generation: number) {
  if (!video.playable || video.status === "deleted") return null;
  const expires = Math.floor(Date.now() / 1000) + s.config.playback.tokenTtlSeconds;
  const token = await issuePlaybackToken(s.config.mediaSigningKey, {
    videoId: video.id,
    expires,
    maxHeight: AD_MAX_HEIGHT,
    generation,
  });
  return {
    manifestUrl: mediaUrl(s.config, video.id, token, "hls/master.m3u8"),
    posterUrl: mediaUrl(s.config, video.id, token, "thumbs/poster.jpg"),
  };
}

export interface CampaignParts {
  spend: CampaignSpend | null;
  creative: VideoRow | null;
  urls: { manifestUrl: string; posterUrl: string } | null;
}

/** The `Campaign` JSON. */
export function campaignView(row: CampaignRow, parts: CampaignParts) {
  const { spend, creative, urls } = parts;
  const spent = spend?.spentMillicents ?? row.spentMillicents;
  return {
    id: row.id,
    name: row.name,
    status: effectiveStatus(row, spend),
    clickThroughUrl: row.clickThroughUrl,
    totalBudgetCents: row.totalBudgetCents,
    dailyBudgetCents: row.dailyBudgetCents,
    cpmBidCents: row.cpmBidCents,
    pacing: row.pacing,
    startsAt: new Date(row.startsAt).toISOString(),
    endsAt: iso(row.endsAt),
    targeting: row.targeting,
    frequencyCapPerDay: row.frequencyCapPerDay,
    kidsSafe: row.kidsSafe,
    reviewNote: row.reviewNote,
    creative: creative
      ? {
          videoId: creative.id,
          status: creative.status,
          progress: creative.progress,
          durationMs: creative.durationMs,
          posterUrl: urls?.posterUrl ?? null,
        }
      : null,
    spend: {
      impressions: spend?.impressions ?? 0,
      spentMillicents: spent,
      spentCents: Math.floor(spent / 1000),
      todayMillicents: spend?.todayMillicents ?? 0,
    },
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}

/** The parts of many rows at once: their objects' spend, their creatives and signed URLs. */
export async function partsOf(
  s: Services,
  rows: CampaignRow[],
  known: Map<string, CampaignSpend> = new Map(),
): Promise<CampaignParts[]> {
  const creativeIds = rows.map((r) => r.creativeVideoId).filter((id): id is string => id !== null);
  const [spends, creatives, generations] = await Promise.all([
    // An unreachable object costs the read its live figures, not the read: the D1 mirror stands in.
    Promise.all(
      rows.map(
        (r) =>
          known.get(r.id) ??
          campaignStub(s.env, r.id)
            .spend()
            .catch((error: unknown) => {
              s.log("warn", { msg: "campaign spend unavailable", campaignId: r.id, error: String(error) });
              return null;
            }),
      ),
    ),
    creativeIds.length ? s.db.select().from(videos).where(inArray(videos.id, creativeIds)) : [],
    creativeIds.length ? currentGenerations(s.env.SETTINGS, creativeIds) : new Map<string, number>(),
  ]);
  const byId = new Map(creatives.map((v) => [v.id, v]));
  return Promise.all(
    rows.map(async (row, i) => {
      const creative = row.creativeVideoId ? (byId.get(row.creativeVideoId) ?? null) : null;
      const urls = creative ? await creativeUrls(s, creative, generations.get(creative.id) ?? 0) : null;
      return { spend: spends[i] ?? null, creative, urls };
    }),
  );
}

export async function viewOf(s: Services, row: CampaignRow, spend?: CampaignSpend) {
  const [parts] = await partsOf(s, [row], spend ? new Map([[row.id, spend]]) : undefined);
  return campaignView(row, parts as CampaignParts);
}

/**
 * The campaign `campaignId` for its owner or an admin. Callers without the role get 403 whatever
 * the id; another advertiser's campaign is 404, exactly like one that does not exist.
 */
export async function loadOwnCampaign(s: Services, actor: Actor, campaignId: string): Promise<CampaignRow> {
  authorize(actor, "ads.campaigns.manage");
  const row = await s.db.select().from(adCampaigns).where(eq(adCampaigns.id, campaignId)).get();
  if (!row) throw new AppError("not_found", "No such campaign");
  authorize(actor, "ads.campaigns.manage", { ownerAccountId: row.accountId }, { hideExistence: true });
  return row;
}

const invalid = (errors: FieldError[]) =>
  new AppError("validation_failed", "Some fields are missing or invalid.", { errors });

/** The checks that need the configuration or D1 (the schema did the rest). */
async function checkFields(
  s: Services,
  input: { clickThroughUrl?: string; targeting?: { categories?: string[] } },
): Promise<void> {
  const errors: FieldError[] = [];
  if (input.clickThroughUrl !== undefined) {
    const problem = platformProblem(input.clickThroughUrl, s.config.publicUrl);
    if (problem) errors.push({ path: "body.clickThroughUrl", message: problem });
  }
  const wanted = input.targeting?.categories ?? [];
  if (wanted.length > 0) {
    const found = await s.db
      .select({ id: categories.id })
      .from(categories)
      .where(inArray(categories.id, wanted));
    const known = new Set(found.map((c) => c.id));
    wanted.forEach((id, i) => {
      if (!known.has(id))
        errors.push({ path: `body.targeting.categories.${i}`, message: "No such category" });
    });
  }
  if (errors.length > 0) throw invalid(errors);
}

/** POST /ads/campaigns: a draft, configured in its object. */
export async function createCampaign(s: Services, actor: Actor, input: CampaignCreate) {
  authorize(actor, "ads.campaigns.manage");
  await checkFields(s, input);
  const now = Date.now();
  const [row] = await s.db
    .insert(adCampaigns)
    .values({
      id: newId("cmp"),
      accountId: actor.accountId,
      name: input.name,
      status: "draft",
      clickThroughUrl: input.clickThroughUrl,
      totalBudgetCents: input.totalBudgetCents,
      dailyBudgetCents: input.dailyBudgetCents,
      cpmBidCents: input.cpmBidCents,
      pacing: input.pacing,
      startsAt: input.startsAt ? Date.parse(input.startsAt) : now,
      endsAt: input.endsAt ? Date.parse(input.endsAt) : null,
      targeting: input.targeting,
      frequencyCapPerDay: input.frequencyCapPerDay,
      kidsSafe: input.kidsSafe,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  if (!row) throw new AppError("internal", "The campaign was not stored");
  return viewOf(s, row, await pushConfig(s, row));
}

/** GET /ads/campaigns: the caller's own campaigns, newest first (admins too see only their own). */
export async function listCampaigns(s: Services, actor: Actor, query: ListQuery) {
  authorize(actor, "ads.campaigns.manage");
  const after = query.cursor ? decodeCursor(query.cursor, "ad-campaigns", TimeKey) : null;
  const t = adCampaigns;
  const rows = await s.db
    .select()
    .from(t)
    .where(and(eq(t.accountId, actor.accountId), after ? newestAfter(t.createdAt, t.id, after) : undefined))
    .orderBy(desc(t.createdAt), desc(t.id))
    .limit(query.limit + 1);
  const page = keysetPage(
    rows,
    query.limit,
    "ad-campaigns",
    (last): TimeKey => ({ t: last.createdAt, i: last.id }),
  );
  const parts = await partsOf(s, page.items);
  return {
    items: page.items.map((row, i) => campaignView(row, parts[i] as CampaignParts)),
    nextCursor: page.nextCursor,
  };
}

/**
 * Does the object's status contradict the row's? Not when the object found a running campaign spent
 * or past its end (its own findings, `effectiveStatus`); otherwise a difference means a push after
 * a D1 write failed (or a flush is pending), and pushing the row again is cheap and idempotent.
 */
export const objectStale = (row: CampaignRow, spend: CampaignSpend | null): boolean =>
  spend !== null && spend.status !== row.status && effectiveStatus(row, spend) === row.status;

/** GET /ads/campaigns/{id}: the campaign, re-pushed to its object when the two disagree (self-repair). */
export async function getCampaign(s: Services, actor: Actor, campaignId: string) {
  const row = await loadOwnCampaign(s, actor, campaignId);
  const [parts] = await partsOf(s, [row]);
  const p = parts as CampaignParts;
  if (!objectStale(row, p.spend)) return campaignView(row, p);
  s.log("warn", { msg: "campaign object stale; pushing again", campaignId, object: p.spend?.status });
  return campaignView(row, { ...p, spend: await pushConfig(s, row) });
}

/** Statuses a moderator approved: a change of what the viewer sees sends them back to review. */
export const APPROVED: readonly CampaignStatus[] = ["active", "paused", "budget_spent"];

/**
 * The owner's status machine: draft|rejected → in_review (with a ready creative), active ⇄ paused,
 * anything but ended → ended (final). Approval and rejection are the moderators' (reviews.ts).
 */
export function nextStatus(
  from: CampaignStatus,
  to: CampaignPatch["status"],
  creativeReady: boolean,
): CampaignStatus {
  if (to === undefined || to === from) return from;
  if (from === "ended") throw new AppError("conflict", "The campaign has ended; it cannot change");
  const allowed =
    (to === "in_review" && (from === "draft" || from === "rejected")) ||
    (to === "paused" && from === "active") ||
    (to === "active" && from === "paused") ||
    to === "ended";
  if (!allowed) throw new AppError("conflict", `A ${from} campaign cannot become ${to}`);
  if (to === "in_review" && !creativeReady) {
    throw new AppError("conflict", "Upload a creative and wait until it is ready before asking for review");
  }
  return to;
}

export async function creativeReady(s: Services, row: CampaignRow): Promise<boolean> {
  if (!row.creativeVideoId) return false;
  const video = await s.db
    .select({ status: videos.status, kind: videos.kind })
    .from(videos)
    .where(eq(videos.id, row.creativeVideoId))
    .get();
  return video?.status === "ready" && video.kind === "ad";
}

/** The `updatedAt` of the next write after `row`: now, but strictly later than the row's. */
export const nextVersion = (row: CampaignRow) => Math.max(Date.now(), row.updatedAt + 1);

/**
 * Writes `change` only if the campaign is still as it was read (status and last change): a
 * moderator's decision or another edit in between makes this a 409 (read again, retry), never a
 * silent overwrite, and a moderator never approves a version of the campaign they did not read.
 */
export async function writeIfUnchanged(
  s: Services,
  before: CampaignRow,
  change: Partial<typeof adCampaigns.$inferInsert>,
  // Strictly later than the version read, so the guard below tells every write apart.
  at: number = nextVersion(before),
): Promise<CampaignRow> {
  const [row] = await s.db
    .update(adCampaigns)
    .set({ ...change, updatedAt: at })
    .where(
      and(
        eq(adCampaigns.id, before.id),
        eq(adCampaigns.status, before.status),
        eq(adCampaigns.updatedAt, before.updatedAt),
      ),
    )
    .returning();
  if (!row) throw new AppError("conflict", "The campaign changed meanwhile; read it again and retry");
  return row;
}

/** PATCH /ads/campaigns/{id}: any field and a status change, checked on the merged campaign. */
export async function updateCampaign(s: Services, actor: Actor, campaignId: string, patch: CampaignPatch) {
  const before = await loadOwnCampaign(s, actor, campaignId);
  const { status: wanted, startsAt, endsAt, targeting, ...fields } = patch;
  if (before.status === "ended") throw new AppError("conflict", "The campaign has ended; it cannot change");
  await checkFields(s, patch);
  const merged = {
    totalBudgetCents: patch.totalBudgetCents ?? before.totalBudgetCents,
    dailyBudgetCents: patch.dailyBudgetCents ?? before.dailyBudgetCents,
    startsAt: startsAt !== undefined ? Date.parse(startsAt) : before.startsAt,
    endsAt: endsAt !== undefined ? (endsAt === null ? null : Date.parse(endsAt)) : before.endsAt,
  };
  const errors: FieldError[] = [];
  if (merged.dailyBudgetCents > merged.totalBudgetCents) {
    errors.push({ path: "body.dailyBudgetCents", message: "The daily budget is at most the total budget" });
  }
  if (merged.endsAt !== null && merged.endsAt <= merged.startsAt) {
    errors.push({ path: "body.endsAt", message: "The end is after the start" });
  }
  if (errors.length > 0) throw invalid(errors);

  let status = nextStatus(before.status, wanted, wanted === "in_review" && (await creativeReady(s, before)));
  // A spent campaign whose budget grew runs again (the object says budget_spent again if the
  // new budget is still spent: it checks on configure).
  if (status === "budget_spent" && merged.totalBudgetCents > before.totalBudgetCents) status = "active";
  // What a viewer sees or who may see it changed after approval: a moderator looks again.
  const reviewed =
    (patch.clickThroughUrl !== undefined && patch.clickThroughUrl !== before.clickThroughUrl) ||
    (patch.kidsSafe === true && !before.kidsSafe);
  // Remembered so approval returns a campaign its owner had paused to `paused`, not `active`.
  const pausedBeforeReview = reviewed && APPROVED.includes(status) ? status === "paused" : undefined;
  if (pausedBeforeReview !== undefined) status = "in_review";
  const row = await writeIfUnchanged(s, before, {
    ...fields,
    // Only the dimensions the patch names change (TargetingPatch has no defaults).
    ...(targeting ? { targeting: { ...before.targeting, ...targeting } } : {}),
    startsAt: merged.startsAt,
    endsAt: merged.endsAt,
    status,
    ...(pausedBeforeReview !== undefined ? { pausedBeforeReview } : {}),
  });
  return viewOf(s, row, await pushConfig(s, row));
}
