import { MAX_PROFILES_PER_ACCOUNT, type Maturity } from "@marquee/shared";
import { and, eq, sql } from "drizzle-orm";
import { assertPassword } from "../auth/service";
import { closeSessionSockets } from "../auth/sessions";
import { signAccessToken } from "../auth/tokens";
import { entitlementsFor } from "../billing/entitlements";
import { cancelAllForDeletion } from "../billing/service";
import { accounts, channels, type ProfileTheme, profiles, sessions, videos } from "../db/schema";
import { chunksOf } from "../events/erasure";
import { publishEvent } from "../events/publish";
import { AppError } from "../lib/errors";
import { newId } from "../lib/ids";
import { revokeDeletedVideo } from "../playback/revocation";
import type { Services } from "../services";
import type { Actor } from "../types";

export async function getAccount(s: Services, accountId: string) {
  const [row, entitlements] = await Promise.all([accountRow(s, accountId), entitlementsFor(s, accountId)]);
  if (!row) throw new AppError("not_found", "The account no longer exists");
  return {
    id: row.id,
    email: row.email,
    emailVerified: row.emailVerifiedAt !== null,
    phone: row.phone,
    phoneVerified: row.phoneVerifiedAt !== null,
    displayName: row.displayName,
    roles: row.roles,
    // The plan whose limits apply now (billing/entitlements.ts), not a stored field.
    plan: entitlements.plan,
    channelId: row.channelId,
    createdAt: new Date(row.createdAt).toISOString(),
  };
}

const accountRow = (s: Services, accountId: string) =>
  s.db
    .select({
      id: accounts.id,
      email: accounts.email,
      emailVerifiedAt: accounts.emailVerifiedAt,
      phone: accounts.phone,
      phoneVerifiedAt: accounts.phoneVerifiedAt,
      displayName: accounts.displayName,
      roles: accounts.roles,
      createdAt: accounts.createdAt,
      channelId: channels.id,
    })
    .from(accounts)
    .leftJoin(channels, eq(channels.accountId, accounts.id))
    .where(eq(accounts.id, accountId))
    .get();

/** Changes what needs no re-authentication; the email has its own route (email-change.ts). */
export async function updateAccount(s: Services, actor: Actor, patch: { displayName?: string }) {
  await s.db
    .update(accounts)
    .set({
      ...(patch.displayName !== undefined ? { displayName: patch.displayName } : {}),
      updatedAt: Date.now(),
    })
    .where(eq(accounts.id, actor.accountId));
  return getAccount(s, actor.accountId);
}

/**
 * Erases the account. Credentials, sessions, refresh tokens, profiles, channel and codes go with
 * it through ON DELETE CASCADE in one statement; other domains hear `account.deleted` on the
 * events queue and erase or anonymise their own rows (docs/events.md).
 */
export async function deleteAccount(s: Services, actor: Actor, password: string): Promise<void> {
  await assertPassword(s, actor, password);
  // First: no provider may charge a deleted account. If one cannot be reached this throws (503)
  // and nothing is erased; the user retries. A checkout finishing after this point is cancelled
  // by the webhook pipeline, which finds the account gone (billing/webhooks.ts).
  await cancelAllForDeletion(s, actor.accountId);
  const profileRows = await s.db
    .select({ id: profiles.id })
    .from(profiles)
    .where(eq(profiles.accountId, actor.accountId));
  const videoRows = await s.db
    .select({ id: videos.id })
    .from(videos)
    .where(eq(videos.accountId, actor.accountId));
  await s.db.delete(accounts).where(eq(accounts.id, actor.accountId));
  // The videos went with the account (ON DELETE CASCADE) without a video.deleted event: revoke
  // their media links now rather than at the next orphan sweep (docs/security.md, finding 7).
  await revokeAllMedia(
    s,
    videoRows.map((v) => v.id),
  );
  // The session and profile rows are gone now, so the inboxes are named explicitly.
  await closeSessionSockets(s, {
    accountId: actor.accountId,
    profileIds: profileRows.map((p) => p.id),
    sessionIds: "all",
  });
  await publishEvent(s.env, "account.deleted", {
    accountId: actor.accountId,
    profileIds: profileRows.map((p) => p.id),
  });
}

/** A failure is logged, not thrown: the account is already gone, and the orphan sweep revokes again. */
async function revokeAllMedia(s: Services, videoIds: string[]): Promise<void> {
  const ttl = s.config.playback.tokenTtlSeconds;
  for (const ids of chunksOf(videoIds, 10)) {
    await Promise.all(
      ids.map((id) =>
        revokeDeletedVideo(s.env.SETTINGS, id, ttl).catch((error) =>
          s.log("error", { event: "media-revoke-failed", videoId: id, error: String(error) }),
        ),
      ),
    );
  }
}

export interface ProfileInput {
  name: string;
  avatarUrl?: string | null;
  language?: string;
  maturity?: Maturity;
  theme?: ProfileTheme;
}

const profileView = (p: typeof profiles.$inferSelect) => ({
  id: p.id,
  name: p.name,
  avatarUrl: p.avatarUrl,
  language: p.language,
  maturity: p.maturity,
  theme: p.theme,
  createdAt: new Date(p.createdAt).toISOString(),
});
export type ProfileView = ReturnType<typeof profileView>;

export async function listProfiles(s: Services, accountId: string) {
  const rows = await s.db
    .select()
    .from(profiles)
    .where(eq(profiles.accountId, accountId))
    .orderBy(profiles.createdAt);
  return rows.map(profileView);
}

export async function createProfile(s: Services, actor: Actor, input: ProfileInput) {
  const id = newId("prf");
  // One statement decides, so two concurrent creates cannot both pass a count check and make six.
  // INSERT … SELECT … WHERE: drizzle's insert cannot carry a condition, and the count check must
  // be in the same statement as the insert.
  const { meta } = await s.db.run(sql`
    INSERT INTO ${profiles} (id, account_id, name, avatar_url, language, maturity, theme)
    SELECT ${id}, ${actor.accountId}, ${input.name}, ${input.avatarUrl ?? null}, ${input.language ?? "en"},
           ${input.maturity ?? "adult"}, ${input.theme ?? "system"}
     WHERE (SELECT COUNT(*) FROM ${profiles} WHERE ${profiles.accountId} = ${actor.accountId}) < ${MAX_PROFILES_PER_ACCOUNT}`);
  if (meta.changes === 0) {
    throw new AppError("limit_reached", `An account can have at most ${MAX_PROFILES_PER_ACCOUNT} profiles`);
  }
  return getProfile(s, actor.accountId, id);
}

async function getProfile(s: Services, accountId: string, profileId: string) {
  const row = await s.db
    .select()
    .from(profiles)
    .where(and(eq(profiles.id, profileId), eq(profiles.accountId, accountId)))
    .get();
  if (!row) throw new AppError("not_found", "No such profile on this account");
  return profileView(row);
}

export async function updateProfile(
  s: Services,
  actor: Actor,
  profileId: string,
  patch: Partial<ProfileInput>,
) {
  await getProfile(s, actor.accountId, profileId);
  await s.db
    .update(profiles)
    .set({ ...patch, updatedAt: Date.now() })
    .where(and(eq(profiles.id, profileId), eq(profiles.accountId, actor.accountId)));
  return getProfile(s, actor.accountId, profileId);
}

export async function deleteProfile(s: Services, actor: Actor, profileId: string): Promise<void> {
  await getProfile(s, actor.accountId, profileId);
  // Keep at least one profile: the account must always have someone to watch as.
  const deleted = await s.db
    .delete(profiles)
    .where(
      and(
        eq(profiles.id, profileId),
        eq(profiles.accountId, actor.accountId),
        sql`(SELECT COUNT(*) FROM profiles WHERE account_id = ${actor.accountId}) > 1`,
      ),
    )
    .returning({ id: profiles.id });
  if (deleted.length === 0) throw new AppError("conflict", "An account keeps at least one profile");
  // Every session's socket on this profile's inbox ends with the profile.
  await closeSessionSockets(s, { accountId: actor.accountId, profileIds: [profileId], sessionIds: "all" });
  // Its subscriptions, history and affinities cascaded away; reactions and inbox are erased by
  // their domains' handlers.
  await publishEvent(s.env, "profile.deleted", { accountId: actor.accountId, profileId });
}

export async function switchProfile(s: Services, actor: Actor, profileId: string) {
  const profile = await getProfile(s, actor.accountId, profileId);
  // The session remembers the profile so a refreshed token keeps it.
  await s.db.update(sessions).set({ profileId }).where(eq(sessions.id, actor.sessionId));
  const accessToken = await signAccessToken(s.config, {
    accountId: actor.accountId,
    sessionId: actor.sessionId,
    profileId,
  });
  return { accessToken, tokenType: "Bearer" as const, expiresIn: s.config.accessTokenTtl, profile };
}
