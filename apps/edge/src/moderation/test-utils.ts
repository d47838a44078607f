/**
 * Helpers for the moderation tests (reports, auto-hide, decisions, strikes): a creator with a ready
 * video, comments, reporter accounts, filing reports through the API, the settings in KV, and the
 * rows the tests look at.
 */
import { env } from "cloudflare:test";
import type { DynamicSettingsInput, ReportReason, ReportTargetType, Role } from "@marquee/shared";
import { and, eq, inArray, ne } from "drizzle-orm";
import { insertComment, testDb } from "../../test/fixtures";
import {
  api,
  apiJson,
  type SeededAccount,
  type StoredVideoSetup,
  seedAccount,
  storeReadyVideo,
} from "../../test/harness";
import { storedVideo, uniqueWord } from "../catalog/test-utils";
import { accounts, channels, comments, moderationCases, reports, videos } from "../db/schema";
import { forgetCachedSettings, SETTINGS_KEY } from "../settings/store";
import type { Report } from "./report-schemas";

/**
 * A creator (account with a channel) and one ready, public, playable ten-minute video (its media in
 * R2, so playback works) titled with a unique word (a search term only this video matches).
 */
export async function seedCreatorWithVideo(tag = "modc", setup: StoredVideoSetup = {}) {
  const creator = await seedAccount({ tag, channel: true });
  const word = uniqueWord(tag);
  const videoId = await storeReadyVideo(creator, { title: `Clip ${word}`, ...setup });
  await testDb().update(videos).set({ durationMs: 600_000 }).where(eq(videos.id, videoId));
  return { creator, videoId, word, channelId: creator.channelId as string };
}

/** Another ready, public ten-minute video of `creator` (a row only; no media). */
export const seedVideo = (creator: SeededAccount, row: Parameters<typeof storedVideo>[1] = {}) =>
  storedVideo(creator, { title: `Clip ${uniqueWord("v")}`, ...row });

/** A published comment on `videoId` by `author`'s first profile. */
export const seedComment = (videoId: string, author: Pick<SeededAccount, "profileId" | "accountId">) =>
  insertComment(videoId, author);

/**
 * `count` accounts (each its own signed-in profile), seeded in parallel; `roles` e.g. ["moderator"].
 * Their email is verified: only verified accounts' reports count towards auto-hide (weights.ts).
 * Written directly in D1 (what following the emailed link does), as the harness writes roles: the
 * verification mail round trip is auth's to test, not moderation's.
 */
export async function seedReporters(
  count: number,
  tag = "rep",
  roles: Role[] = [],
): Promise<SeededAccount[]> {
  const seeded = await Promise.all(Array.from({ length: count }, () => seedAccount({ tag, roles })));
  await verifyEmails(seeded);
  return seeded;
}

/** Marks the accounts' email addresses verified (see seedReporters). */
export async function verifyEmails(who: readonly Pick<SeededAccount, "accountId">[]): Promise<void> {
  if (who.length === 0) return;
  await testDb()
    .update(accounts)
    .set({ emailVerifiedAt: Date.now() })
    .where(
      inArray(
        accounts.id,
        who.map((w) => w.accountId),
      ),
    );
}

export interface ReportInput {
  targetType: ReportTargetType;
  targetId: string;
  reason?: ReportReason;
  text?: string;
  atSeconds?: number;
}

const body = (r: ReportInput) => ({ reason: "spam_or_misleading", ...r });

/** POST /api/v1/reports as `token` (the raw response, for refusals). */
export const postReport = (token: string, r: ReportInput) =>
  api("/api/v1/reports", { method: "POST", token, json: body(r) });

/** Files a report as `reporter` (asserting 201). */
export const fileReportAs = (reporter: Pick<SeededAccount, "accessToken">, r: ReportInput) =>
  apiJson<Report>("/api/v1/reports", 201, { method: "POST", token: reporter.accessToken, json: body(r) });

/** One report on the target from each reporter, one after the other (201 each). */
export async function reportBy(reporters: SeededAccount[], r: ReportInput): Promise<Report[]> {
  const filed: Report[] = [];
  for (const reporter of reporters) filed.push(await fileReportAs(reporter, r));
  return filed;
}

/** Writes the dynamic settings to KV (as /admin/config would) and drops this isolate's cached copy. */
export async function putSettings(value: DynamicSettingsInput, version = 1): Promise<void> {
  await env.SETTINGS.put(SETTINGS_KEY, JSON.stringify({ version, value }));
  forgetCachedSettings();
}

/** Back to the defaults (no settings in KV). */
export async function resetSettings(): Promise<void> {
  await env.SETTINGS.delete(SETTINGS_KEY);
  forgetCachedSettings();
}

/** The target's case still under review (open or claimed), if any. */
export const openCaseOf = (targetType: ReportTargetType, targetId: string) =>
  testDb()
    .select()
    .from(moderationCases)
    .where(
      and(
        eq(moderationCases.targetType, targetType),
        eq(moderationCases.targetId, targetId),
        ne(moderationCases.state, "decided"),
      ),
    )
    .get();

/** Every case of the target, decided ones included. */
export const casesOf = (targetType: ReportTargetType, targetId: string) =>
  testDb()
    .select()
    .from(moderationCases)
    .where(and(eq(moderationCases.targetType, targetType), eq(moderationCases.targetId, targetId)))
    .all();

export const reportsOfCase = (caseId: string) =>
  testDb().select().from(reports).where(eq(reports.caseId, caseId)).all();

export const videoRowOf = (id: string) => testDb().select().from(videos).where(eq(videos.id, id)).get();
export const commentRowOf = (id: string) => testDb().select().from(comments).where(eq(comments.id, id)).get();
export const channelRowOf = (id: string) => testDb().select().from(channels).where(eq(channels.id, id)).get();
