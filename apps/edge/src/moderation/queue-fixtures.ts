/**
 * Helpers for the queue, strikes and appeals tests: cases written as rows (so these tests do not
 * depend on how reports are filed), moderators, and the staff routes called through the real API.
 */
import { env } from "cloudflare:test";
import type { ReportReason, ReportTargetType } from "@marquee/shared";
import { asc, desc, eq, gt } from "drizzle-orm";
import { insertVideo, testDb } from "../../test/fixtures";
import { api, apiJson, type SeededAccount, seedAccount } from "../../test/harness";
import { appeals, auditLog, moderationCases, reports, strikes } from "../db/schema";
import { newId } from "../lib/ids";
import { generationKey } from "../playback/revocation";

export interface CaseJson {
  id: string;
  state: string;
  claimedBy: string | null;
  claimExpiresAt: number | null;
  decision: string | null;
  decidedBy: string | null;
}

export interface StrikeJson {
  id: string;
  kind: "warning" | "strike";
  ordinal: number;
  active: boolean;
  freezeUntil: number | null;
  liftedAt: number | null;
  appeal: { id: string; state: string } | null;
  appealable: boolean;
}

/** Each video's media generation in KV (0: never revoked): a bump ends every link handed out before. */
export const generationsOf = (videoIds: string[]) =>
  Promise.all(videoIds.map(async (id) => Number((await env.SETTINGS.get(generationKey(id))) ?? 0)));

export const seedModerator = (tag = "mod") => seedAccount({ tag, roles: ["moderator"] });

/**
 * An open case on a target owned by `ownerAccountId`, with one open report per reporter (rows, as
 * the report route writes them). `firstReportedAt` lets a test order cases.
 */
export async function insertCase(
  target: { targetType: ReportTargetType; targetId: string; ownerAccountId: string },
  reporters: Pick<SeededAccount, "accountId" | "profileId">[] = [],
  options: { reason?: ReportReason; firstReportedAt?: number; hiddenAt?: number | null } = {},
): Promise<string> {
  const id = newId("case");
  const at = options.firstReportedAt ?? Date.now();
  await testDb()
    .insert(moderationCases)
    .values({
      id,
      ...target,
      state: "open",
      openReports: reporters.length,
      weight: reporters.length,
      firstReportedAt: at,
      lastReportedAt: at,
      hiddenAt: options.hiddenAt ?? null,
    });
  for (const r of reporters) {
    await testDb()
      .insert(reports)
      .values({
        id: newId("rep"),
        caseId: id,
        reporterAccountId: r.accountId,
        reporterProfileId: r.profileId,
        ...target,
        reason: options.reason ?? "spam_or_misleading",
        createdAt: at,
      });
  }
  return id;
}

/** A new public video of `creator` and an open case on it. */
export async function videoCase(creator: SeededAccount, reporters: SeededAccount[] = []) {
  const videoId = await insertVideo(creator, {});
  const caseId = await insertCase(
    { targetType: "video", targetId: videoId, ownerAccountId: creator.accountId },
    reporters,
  );
  return { videoId, caseId };
}

export const claim = (who: SeededAccount, caseId: string) =>
  api(`/api/v1/moderation/cases/${caseId}/claim`, { method: "POST", token: who.accessToken });

export const decide = (who: SeededAccount, caseId: string, json: Record<string, unknown>) =>
  api(`/api/v1/moderation/cases/${caseId}/decision`, { method: "POST", token: who.accessToken, json });

/** Claims and decides `caseId` as `moderator` (asserting 200 each); the decision's answer. */
export async function claimAndDecide(
  moderator: SeededAccount,
  caseId: string,
  json: Record<string, unknown>,
) {
  await apiJson(`/api/v1/moderation/cases/${caseId}/claim`, 200, {
    method: "POST",
    token: moderator.accessToken,
  });
  return apiJson<{ case: CaseJson; strike: StrikeJson | null }>(
    `/api/v1/moderation/cases/${caseId}/decision`,
    200,
    {
      method: "POST",
      token: moderator.accessToken,
      json,
    },
  );
}

/** A strike decision on a fresh video of `creator`: the strike (or warning) it issued. */
export async function strikeCreator(moderator: SeededAccount, creator: SeededAccount): Promise<StrikeJson> {
  const { caseId } = await videoCase(creator);
  const { strike } = await claimAndDecide(moderator, caseId, { decision: "strike", note: "rules" });
  if (!strike) throw new Error("strikeCreator: no strike issued");
  return strike;
}

export const myStrikes = (who: SeededAccount) =>
  apiJson<{
    items: StrikeJson[];
    frozenUntil: number | null;
    channelState: string;
    activeStrikes: number;
  }>("/api/v1/me/strikes", 200, { token: who.accessToken });

export const strikeRow = (id: string) => testDb().select().from(strikes).where(eq(strikes.id, id)).get();

/** The highest audit seq now (rows after it are the test's). */
export async function auditMark(): Promise<number> {
  const last = await testDb()
    .select({ seq: auditLog.seq })
    .from(auditLog)
    .orderBy(desc(auditLog.seq))
    .limit(1)
    .get();
  return last?.seq ?? 0;
}

/** Audit rows after `mark`, in order. */
export const auditSince = (mark: number) =>
  testDb().select().from(auditLog).where(gt(auditLog.seq, mark)).orderBy(asc(auditLog.seq)).all();

export interface NoticeJson {
  id: string;
  type: string;
  data: Record<string, string>;
}

/** The profile's inbox (newest first). */
export const inboxOf = async (token: string) =>
  (await apiJson<{ items: NoticeJson[] }>("/api/v1/me/notifications?limit=100", 200, { token })).items;

export const appealStrike = (who: SeededAccount, strikeId: string, text = "I did not break the rules") =>
  api(`/api/v1/me/strikes/${strikeId}/appeal`, { method: "POST", token: who.accessToken, json: { text } });

/** An active strike row on `owner`'s channel, issued by `decidedBy` (as a strike decision writes it). */
export async function insertStrike(
  owner: Pick<SeededAccount, "accountId" | "channelId">,
  decidedBy: string,
  kind: "warning" | "strike" = "warning",
): Promise<string> {
  const id = newId("strike");
  const now = Date.now();
  await testDb()
    .insert(strikes)
    .values({
      id,
      channelId: owner.channelId as string,
      accountId: owner.accountId,
      kind,
      ordinal: kind === "warning" ? 0 : 1,
      reason: "spam_or_misleading",
      decidedBy,
      issuedAt: now,
      expiresAt: now + 90 * 86_400_000,
    });
  return id;
}

/** An open appeal of a fresh strike on `owner`'s channel issued by `decidedBy`. */
export async function insertAppeal(
  owner: Pick<SeededAccount, "accountId" | "channelId">,
  decidedBy: string,
): Promise<string> {
  const strikeId = await insertStrike(owner, decidedBy);
  const id = newId("appeal");
  await testDb()
    .insert(appeals)
    .values({ id, strikeId, accountId: owner.accountId, text: "Please", strikeDecidedBy: decidedBy });
  return id;
}

/**
 * For test/pagination/lists.ts: three open cases (two first reported at the same time, so the id
 * breaks the tie), three strikes on `creator`'s channel (two issued at the same time) and an open
 * appeal of each, so GET /moderation/cases, /moderation/appeals and /me/strikes each have pages.
 */
export async function seedModerationPaging(creator: SeededAccount, moderator: SeededAccount): Promise<void> {
  const now = Date.now();
  for (let i = 0; i < 3; i++) {
    const at = now - (i >> 1) * 1000;
    const videoId = await insertVideo(creator, {});
    await insertCase({ targetType: "video", targetId: videoId, ownerAccountId: creator.accountId }, [], {
      firstReportedAt: at,
    });
    const strikeId = newId("strike");
    await testDb()
      .insert(strikes)
      .values({
        id: strikeId,
        channelId: creator.channelId as string,
        accountId: creator.accountId,
        kind: "warning",
        ordinal: 0,
        reason: "spam_or_misleading",
        decidedBy: moderator.accountId,
        issuedAt: at,
        expiresAt: at + 90 * 86_400_000,
      });
    await testDb()
      .insert(appeals)
      .values({
        id: newId("appeal"),
        strikeId,
        accountId: creator.accountId,
        text: "Paging",
        strikeDecidedBy: moderator.accountId,
        createdAt: at,
        updatedAt: at,
      });
  }
}
