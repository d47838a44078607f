import { env } from "cloudflare:test";
import { and, eq, isNull } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { insertVideo, testDb } from "../../test/fixtures";
import { api, apiJson, type SeededAccount, seedAccount, storeReadyVideo } from "../../test/harness";
import { auditLog, channels, sessions, videos } from "../db/schema";
import { currentGeneration } from "../playback/revocation";

let admin: SeededAccount;
let otherAdmin: SeededAccount;

beforeAll(async () => {
  [admin, otherAdmin] = await Promise.all([
    seedAccount({ tag: "susadmin", roles: ["admin"] }),
    seedAccount({ tag: "susadmin2", roles: ["admin"] }),
  ]);
});

const suspend = (userId: string, suspended: boolean, reason: string, token = admin.accessToken) =>
  api(`/api/v1/admin/users/${userId}/suspension`, { method: "PUT", token, json: { suspended, reason } });

const login = (who: SeededAccount, password = who.password) =>
  api("/api/v1/auth/login", { method: "POST", json: { email: who.email, password } });

const refresh = (refreshToken: string) =>
  api("/api/v1/auth/refresh", { method: "POST", json: { refreshToken } });

const hidden = async (videoId: string) =>
  (await testDb().select({ h: videos.channelHidden }).from(videos).where(eq(videos.id, videoId)).get())?.h;

const audits = (userId: string) =>
  testDb()
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.targetType, "account"), eq(auditLog.targetId, userId)))
    .orderBy(auditLog.seq);

async function problem(res: Response) {
  return { status: res.status, ...((await res.json()) as { code: string; detail?: string }) };
}

describe("PUT /admin/users/{userId}/suspension", () => {
  it("suspends: sessions revoked, videos hidden, sign-in and refresh refused with the reason; audited once", async () => {
    const creator = await seedAccount({ tag: "suscreator", channel: true });
    // A second sign-in: a session on another device.
    const second = await apiJson<{ accessToken: string; refreshToken: string }>("/api/v1/auth/login", 200, {
      method: "POST",
      json: { email: creator.email, password: creator.password },
    });
    const videoId = await insertVideo(creator);
    expect(await hidden(videoId)).toBe(false);

    const res = await suspend(creator.accountId, true, "Repeated spam");
    expect(res.status).toBe(200);
    const view = (await res.json()) as { suspension: { reason: string }; liveSessions: number };
    expect(view.suspension.reason).toBe("Repeated spam");
    expect(view.liveSessions).toBe(0);

    const rows = await testDb().select().from(sessions).where(eq(sessions.accountId, creator.accountId));
    expect(rows.length).toBe(2);
    expect(rows.every((r) => r.revokedAt !== null && r.revokedReason === "suspended")).toBe(true);
    expect(await hidden(videoId)).toBe(true);

    // Both devices are out at once: every request checks the session.
    for (const token of [creator.accessToken, second.accessToken]) {
      expect((await api("/api/v1/me", { token })).status).toBe(401);
    }
    for (const r of [
      await refresh(creator.refreshToken),
      await refresh(second.refreshToken),
      await login(creator),
    ]) {
      const p = await problem(r);
      expect([p.status, p.code]).toEqual([403, "account_suspended"]);
      expect(p.detail).toContain("Repeated spam");
    }
    // A wrong password learns nothing about the suspension.
    expect((await problem(await login(creator, "wrong-password-1"))).code).toBe("invalid_credentials");

    // Replaying the request changes nothing and records nothing more.
    expect((await suspend(creator.accountId, true, "again")).status).toBe(200);
    const log = await audits(creator.accountId);
    expect(log.map((r) => r.action)).toEqual(["admin.user.suspend"]);
    expect(log[0]).toMatchObject({
      actorAccountId: admin.accountId,
      reason: "Repeated spam",
      before: { suspended: false },
      after: { suspended: true, reason: "Repeated spam" },
    });
    expect(log[0]?.requestId).toBeTruthy();
  });

  it("suspends: links to the account's videos handed out before stop working (media generation moved)", async () => {
    const creator = await seedAccount({ tag: "susmedia", channel: true });
    const viewer = await seedAccount({ tag: "susmediav" });
    const videoId = await storeReadyVideo(creator);
    const before = await currentGeneration(env.SETTINGS, videoId);
    const pb = await apiJson<{ manifestUrl: string; posterUrl: string }>(
      `/api/v1/videos/${videoId}/playback`,
      200,
      { token: viewer.accessToken },
    );
    const links = [new URL(pb.manifestUrl).pathname, new URL(pb.posterUrl).pathname];
    for (const link of links) expect((await api(link)).status).toBe(200);

    expect((await suspend(creator.accountId, true, "Links test")).status).toBe(200);
    expect(await currentGeneration(env.SETTINGS, videoId)).toBeGreaterThan(before);
    for (const link of links) expect((await api(link)).status).toBe(403);
  });

  it("restores: videos shown again, sign-in works, old sessions stay revoked; audited", async () => {
    const creator = await seedAccount({ tag: "susrestore", channel: true });
    const videoId = await insertVideo(creator);
    expect((await suspend(creator.accountId, true, "Mistaken identity?")).status).toBe(200);
    const res = await suspend(creator.accountId, false, "Appeal granted", otherAdmin.accessToken);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { suspension: unknown }).suspension).toBeNull();
    expect(await hidden(videoId)).toBe(false);
    expect((await login(creator)).status).toBe(200);
    const old = await problem(await refresh(creator.refreshToken));
    expect([old.status, old.code]).toEqual([401, "invalid_token"]);
    expect((await api("/api/v1/me", { token: creator.accessToken })).status).toBe(401);
    const log = await audits(creator.accountId);
    expect(log.map((r) => [r.action, r.actorAccountId, r.reason])).toEqual([
      ["admin.user.suspend", admin.accountId, "Mistaken identity?"],
      ["admin.user.restore", otherAdmin.accountId, "Appeal granted"],
    ]);
    // Restoring an account that is not suspended records nothing.
    expect((await suspend(creator.accountId, false, "again")).status).toBe(200);
    expect(await audits(creator.accountId)).toHaveLength(2);
  });

  it("a channel held by moderation stays hidden when its account is restored", async () => {
    const creator = await seedAccount({ tag: "susheld", channel: true });
    const videoId = await insertVideo(creator);
    expect((await suspend(creator.accountId, true, "x")).status).toBe(200);
    await testDb()
      .update(channels)
      .set({ moderationState: "suspended" })
      .where(eq(channels.id, creator.channelId as string));
    expect((await suspend(creator.accountId, false, "y")).status).toBe(200);
    expect(await hidden(videoId)).toBe(true);
  });

  it("refuses: suspending yourself (409), non-admins (403), unknown accounts (404), a missing reason (400)", async () => {
    const self = await problem(await suspend(admin.accountId, true, "oops"));
    expect([self.status, self.code]).toEqual([409, "conflict"]);
    expect((await login(admin)).status).toBe(200);

    const target = await seedAccount({ tag: "sustarget" });
    const moderator = await seedAccount({ tag: "susmod", roles: ["moderator"] });
    const creator = await seedAccount({ tag: "susnotadmin", channel: true });
    for (const who of [moderator, creator, target]) {
      expect((await suspend(target.accountId, true, "no", who.accessToken)).status).toBe(403);
    }
    expect(
      (
        await api(`/api/v1/admin/users/${target.accountId}/suspension`, {
          method: "PUT",
          json: { suspended: true, reason: "anonymous" },
        })
      ).status,
    ).toBe(401);
    expect((await suspend("acc_nosuchaccount", true, "no")).status).toBe(404);
    const noReason = await api(`/api/v1/admin/users/${target.accountId}/suspension`, {
      method: "PUT",
      token: admin.accessToken,
      json: { suspended: true },
    });
    expect(noReason.status).toBe(400);
    expect((await suspend(target.accountId, true, "   ")).status).toBe(400);
    // Nothing happened to the target.
    expect((await api("/api/v1/me", { token: target.accessToken })).status).toBe(200);
    expect(await audits(target.accountId)).toEqual([]);
  });

  it("sign-ins racing the suspension leave no live session behind", async () => {
    const target = await seedAccount({ tag: "susloginrace" });
    const answers = await Promise.all([
      ...Array.from({ length: 6 }, () => login(target)),
      suspend(target.accountId, true, "raced"),
    ]);
    expect(answers.every((r) => r.status === 200 || r.status === 403)).toBe(true);
    const live = await testDb()
      .select()
      .from(sessions)
      .where(and(eq(sessions.accountId, target.accountId), isNull(sessions.revokedAt)));
    expect(live).toEqual([]);
  });

  it("two admins suspending at once: the account is suspended once, with one reason", async () => {
    const target = await seedAccount({ tag: "susrace" });
    const [a, b] = await Promise.all([
      suspend(target.accountId, true, "reason A"),
      suspend(target.accountId, true, "reason B", otherAdmin.accessToken),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const p = await problem(await login(target));
    expect(p.code).toBe("account_suspended");
    const reasons = [
      (await a.json()) as { suspension: { reason: string } },
      (await b.json()) as { suspension: { reason: string } },
    ].map((v) => v.suspension.reason);
    // Both answers show the one stored reason.
    expect(new Set(reasons).size).toBe(1);
    expect(p.detail).toContain(reasons[0]);
  });
});
