import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { DAY, testDb } from "../../test/fixtures";
import { api, apiJson, type SeededAccount, seedAccount, unique } from "../../test/harness";
import { accounts, channels, strikes } from "../db/schema";

interface AdminUser {
  id: string;
  email: string;
  displayName: string;
  roles: string[];
  suspension: { at: string; reason: string | null } | null;
  channel: { id: string; handle: string; moderationState: string; demonetised: boolean } | null;
  activeStrikes?: number;
  activeWarnings?: number;
  liveSessions?: number;
}
interface Page {
  items: AdminUser[];
  nextCursor: string | null;
}

let admin: SeededAccount;
let creator: SeededAccount;
let viewer: SeededAccount;
let moderator: SeededAccount;
/** A word only this file's accounts carry in their display name. */
const word = unique("Zq").replace(/[^A-Za-z0-9]/g, "");
let handle: string;

beforeAll(async () => {
  [admin, creator, viewer, moderator] = await Promise.all([
    seedAccount({ tag: "usradmin", roles: ["admin"] }),
    seedAccount({ tag: "usrcreator", channel: true }),
    seedAccount({ tag: "usrviewer" }),
    seedAccount({ tag: "usrmod", roles: ["moderator"] }),
  ]);
  await apiJson("/api/v1/me", 200, {
    method: "PATCH",
    token: viewer.accessToken,
    json: { displayName: `Ada ${word} Lovelace` },
  });
  const ch = await testDb()
    .select({ handle: channels.handle })
    .from(channels)
    .where(eq(channels.id, creator.channelId as string))
    .get();
  handle = ch?.handle as string;
});

const search = (query: string, token = admin.accessToken) =>
  apiJson<Page>(`/api/v1/admin/users?${query}`, 200, { token });
const ids = (page: Page) => page.items.map((u) => u.id);

describe("GET /admin/users", () => {
  it("finds an account by email prefix (any case), part of its display name, or its channel handle", async () => {
    const byEmail = await search(`q=${encodeURIComponent(creator.email.slice(0, 14).toUpperCase())}`);
    expect(ids(byEmail)).toContain(creator.accountId);
    expect(ids(byEmail)).not.toContain(viewer.accountId);
    // Not a prefix: the middle of an email matches nothing.
    expect(ids(await search(`q=${encodeURIComponent(creator.email.slice(3, 14))}`))).not.toContain(
      creator.accountId,
    );
    expect(ids(await search(`q=${word.toLowerCase()}`))).toEqual([viewer.accountId]);
    const byHandle = await search(`q=${encodeURIComponent(`@${handle}`)}`);
    expect(ids(byHandle)).toEqual([creator.accountId]);
    expect(byHandle.items[0]?.channel).toMatchObject({
      id: creator.channelId,
      handle,
      moderationState: "active",
    });
    // LIKE's wildcards typed by the admin are literal: "%" matches no email.
    expect((await search("q=%25")).items).toEqual([]);
    expect(
      (await search("q=_")).items.every((u) => u.email.startsWith("_") || u.displayName.includes("_")),
    ).toBe(true);
  });

  it("filters by role and by suspension, newest first, page by page", async () => {
    const mods = await search("role=moderator&limit=100");
    expect(ids(mods)).toContain(moderator.accountId);
    expect(mods.items.every((u) => u.roles.includes("moderator"))).toBe(true);
    expect(ids(mods)).not.toContain(viewer.accountId);

    await testDb()
      .update(accounts)
      .set({ suspendedAt: Date.now(), suspendedReason: "spam" })
      .where(eq(accounts.id, moderator.accountId));
    const suspended = await search("suspended=true&limit=100");
    expect(ids(suspended)).toContain(moderator.accountId);
    expect(suspended.items.every((u) => u.suspension !== null)).toBe(true);
    expect(suspended.items.find((u) => u.id === moderator.accountId)?.suspension?.reason).toBe("spam");
    expect(ids(await search("suspended=false&limit=100"))).not.toContain(moderator.accountId);
    await testDb()
      .update(accounts)
      .set({ suspendedAt: null, suspendedReason: null })
      .where(eq(accounts.id, moderator.accountId));

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await search(`limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...ids(page));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    for (const a of [admin, creator, viewer, moderator]) expect(seen).toContain(a.accountId);
    expect((await api("/api/v1/admin/users?cursor=abc", { token: admin.accessToken })).status).toBe(400);
    expect((await api("/api/v1/admin/users?role=pope", { token: admin.accessToken })).status).toBe(400);
  });

  it("is for admins only: moderators, viewers and creators get 403", async () => {
    for (const who of [moderator, viewer, creator]) {
      expect((await api("/api/v1/admin/users", { token: who.accessToken })).status).toBe(403);
      expect((await api(`/api/v1/admin/users/${admin.accountId}`, { token: who.accessToken })).status).toBe(
        403,
      );
    }
    expect((await api("/api/v1/admin/users")).status).toBe(401);
  });
});

describe("GET /admin/users/{userId}", () => {
  it("shows roles, suspension, the channel and its moderation, active strikes and warnings", async () => {
    const now = Date.now();
    const strike = (id: string, row: Partial<typeof strikes.$inferInsert>) => ({
      id: `${id}${unique("k").toLowerCase()}`,
      channelId: creator.channelId as string,
      accountId: creator.accountId,
      kind: "strike" as const,
      ordinal: 1,
      reason: "spam_or_misleading" as const,
      decidedBy: moderator.accountId,
      issuedAt: now - DAY,
      expiresAt: now + 89 * DAY,
      ...row,
    });
    await testDb()
      .insert(strikes)
      .values([
        strike("strike_a", {}),
        strike("strike_b", { ordinal: 2 }),
        strike("strike_lifted", { liftedAt: now, liftedBy: admin.accountId }),
        strike("strike_expired", { issuedAt: now - 100 * DAY, expiresAt: now - 10 * DAY }),
        strike("strike_w", { kind: "warning", ordinal: 0 }),
      ]);
    await testDb()
      .update(channels)
      .set({ moderationState: "held" })
      .where(eq(channels.id, creator.channelId as string));
    const user = await apiJson<AdminUser>(`/api/v1/admin/users/${creator.accountId}`, 200, {
      token: admin.accessToken,
    });
    expect(user).toMatchObject({
      id: creator.accountId,
      email: creator.email,
      roles: ["viewer", "creator"],
      suspension: null,
      channel: { id: creator.channelId, handle, moderationState: "held", demonetised: false },
      activeStrikes: 2,
      activeWarnings: 1,
    });
    expect(user.liveSessions).toBeGreaterThanOrEqual(1);
    await testDb()
      .update(channels)
      .set({ moderationState: "active" })
      .where(eq(channels.id, creator.channelId as string));
  });

  it("an unknown account is 404, a malformed id 400", async () => {
    expect((await api("/api/v1/admin/users/acc_nosuchone", { token: admin.accessToken })).status).toBe(404);
    expect((await api("/api/v1/admin/users/NOT-AN-ID", { token: admin.accessToken })).status).toBe(400);
  });
});

describe("GET /admin/users: the search term fits D1's LIKE limit", () => {
  it("answers a 24-byte term made only of escaped characters, and refuses a longer one naming q", async () => {
    // Each % is escaped to two bytes: 24 of them plus two wildcards is D1's 50-byte maximum.
    const widest = await api(`/api/v1/admin/users?q=${encodeURIComponent("%".repeat(24))}`, {
      token: admin.accessToken,
    });
    expect(widest.status).toBe(200);
    for (const q of ["x".repeat(25), "é".repeat(13)]) {
      const res = await api(`/api/v1/admin/users?q=${encodeURIComponent(q)}`, { token: admin.accessToken });
      expect(res.status).toBe(400);
      const problem = (await res.json()) as { errors: { path: string }[] };
      expect(problem.errors.map((e) => e.path)).toContain("query.q");
    }
  });
});
