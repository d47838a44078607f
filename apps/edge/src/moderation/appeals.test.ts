/**
 * Appeals (docs/moderation.md, "Strikes"): once per active strike, by its channel's grown-up owner;
 * decided by a moderator other than the strike's issuer; a granted appeal lifts the strike, thaws
 * uploads and restores a channel the strikes suspended.
 */
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { testDb } from "../../test/fixtures";
import { api, apiJson, eventually, listAll, seedAccount } from "../../test/harness";
import { storedVideo } from "../catalog/test-utils";
import { channels, strikes, videos } from "../db/schema";
import { appealStrike, inboxOf, myStrikes, seedModerator, strikeCreator } from "./queue-fixtures";

interface AppealJson {
  id: string;
  state: string;
  strikeId: string;
  claimedBy: string | null;
  decidedBy: string | null;
}

const claimAppeal = (who: { accessToken: string }, id: string) =>
  api(`/api/v1/moderation/appeals/${id}/claim`, { method: "POST", token: who.accessToken });
const decideAppeal = (who: { accessToken: string }, id: string, json: Record<string, unknown>) =>
  api(`/api/v1/moderation/appeals/${id}/decision`, { method: "POST", token: who.accessToken, json });
const upload = (who: { accessToken: string }) =>
  api("/api/v1/videos", {
    method: "POST",
    token: who.accessToken,
    json: { title: "New one", upload: { size: 1000, contentType: "video/mp4" } },
  });

describe("appeals", () => {
  it("once per strike; the issuer can neither claim nor decide it; another moderator's grant lifts it and thaws uploads", async () => {
    const [issuer, other, third, creator] = await Promise.all([
      seedModerator("apa"),
      seedModerator("apb"),
      seedModerator("apc"),
      seedAccount({ tag: "apcr", channel: true }),
    ]);
    await strikeCreator(issuer, creator); // warning
    const strike = await strikeCreator(issuer, creator);
    expect((await upload(creator)).status).toBe(403);

    const filed = await appealStrike(creator, strike.id);
    expect(filed.status).toBe(201);
    const appeal = (await filed.json()) as AppealJson;
    expect(appeal).toMatchObject({ state: "open", strikeId: strike.id });
    expect((await appealStrike(creator, strike.id)).status).toBe(409);

    const queued = await listAll<AppealJson>("/api/v1/moderation/appeals?state=open", other.accessToken, 50);
    expect(queued.map((a) => a.id)).toContain(appeal.id);
    expect((await api("/api/v1/moderation/appeals", { token: creator.accessToken })).status).toBe(403);

    const own = await claimAppeal(issuer, appeal.id);
    expect(own.status).toBe(403);
    expect((await decideAppeal(issuer, appeal.id, { grant: true })).status).toBe(403);
    expect((await decideAppeal(other, appeal.id, { grant: true })).status).toBe(409); // not claimed yet
    const both = await Promise.all([claimAppeal(other, appeal.id), claimAppeal(third, appeal.id)]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
    const holder = both[0]?.status === 200 ? other : third;
    const loser = holder === other ? third : other;
    expect((await decideAppeal(loser, appeal.id, { grant: true })).status).toBe(409);

    const decided = await apiJson<AppealJson>(`/api/v1/moderation/appeals/${appeal.id}/decision`, 200, {
      method: "POST",
      token: holder.accessToken,
      json: { grant: true, note: "context shows it was satire" },
    });
    expect(decided).toMatchObject({ state: "granted", decidedBy: holder.accountId });
    expect((await decideAppeal(holder, appeal.id, { grant: false })).status).toBe(409);
    const row = await testDb().select().from(strikes).where(eq(strikes.id, strike.id)).get();
    expect(row?.liftedBy).toBe(holder.accountId);
    const mine = await myStrikes(creator);
    expect(mine.items.find((s) => s.id === strike.id)).toMatchObject({
      active: false,
      appeal: { id: appeal.id, state: "granted" },
    });
    expect(mine).toMatchObject({ frozenUntil: null, activeStrikes: 0 });
    expect((await upload(creator)).status).toBe(201);
    // A lifted strike cannot be appealed again; the creator is told the outcome.
    expect((await appealStrike(creator, strike.id)).status).toBe(409);
    const notice = await eventually(async () =>
      (await inboxOf(creator.accessToken)).find((n) => n.type === "appeal.decided"),
    );
    expect(notice?.data).toMatchObject({ appealId: appeal.id, outcome: "granted", maturity: "kids" });
    expect(notice?.data).not.toHaveProperty("videoId");
  });

  it("granting an appeal of one of three strikes restores the suspended channel; denying keeps it", async () => {
    const [issuer, other, creator] = await Promise.all([
      seedModerator("apd"),
      seedModerator("ape"),
      seedAccount({ tag: "apdc", channel: true }),
    ]);
    const kept = await storedVideo(creator, {});
    await strikeCreator(issuer, creator); // warning
    const s1 = await strikeCreator(issuer, creator);
    const s2 = await strikeCreator(issuer, creator);
    await strikeCreator(issuer, creator);
    const state = async () =>
      (
        await testDb()
          .select()
          .from(channels)
          .where(eq(channels.id, creator.channelId as string))
          .get()
      )?.moderationState;
    expect(await state()).toBe("suspended");

    const denied = (await (await appealStrike(creator, s1.id)).json()) as AppealJson;
    await apiJson(`/api/v1/moderation/appeals/${denied.id}/claim`, 200, {
      method: "POST",
      token: other.accessToken,
    });
    await apiJson(`/api/v1/moderation/appeals/${denied.id}/decision`, 200, {
      method: "POST",
      token: other.accessToken,
      json: { grant: false },
    });
    expect(await state()).toBe("suspended");

    const granted = (await (await appealStrike(creator, s2.id)).json()) as AppealJson;
    await apiJson(`/api/v1/moderation/appeals/${granted.id}/claim`, 200, {
      method: "POST",
      token: other.accessToken,
    });
    await apiJson(`/api/v1/moderation/appeals/${granted.id}/decision`, 200, {
      method: "POST",
      token: other.accessToken,
      json: { grant: true },
    });
    expect(await state()).toBe("active");
    const video = await testDb().select().from(videos).where(eq(videos.id, kept)).get();
    expect(video?.channelHidden).toBe(false);
    expect(await myStrikes(creator)).toMatchObject({ channelState: "active", activeStrikes: 2 });
  });

  it("refuses others' strikes (404), kids profiles (403), expired strikes and bad text (409, 400)", async () => {
    const [issuer, creator, stranger] = await Promise.all([
      seedModerator("apf"),
      seedAccount({ tag: "apfc", channel: true, profiles: [{ maturity: "kids" }] }),
      seedAccount({ tag: "apfs", channel: true }),
    ]);
    const warning = await strikeCreator(issuer, creator);
    expect((await appealStrike(stranger, warning.id)).status).toBe(404);
    const kids = await api(`/api/v1/me/strikes/${warning.id}/appeal`, {
      method: "POST",
      token: creator.profiles[1]?.token,
      json: { text: "please" },
    });
    expect(kids.status).toBe(403);
    expect((await appealStrike(creator, warning.id, "")).status).toBe(400);
    expect((await appealStrike(creator, warning.id, "x".repeat(2001))).status).toBe(400);
    expect((await appealStrike(creator, "strike_nosuchstrike")).status).toBe(404);
    await testDb()
      .update(strikes)
      .set({ expiresAt: Date.now() - 1 })
      .where(eq(strikes.id, warning.id));
    expect((await appealStrike(creator, warning.id)).status).toBe(409);
  });

  it("the creator's views name no moderator: not the strike's issuer, the appeal's holder nor its decider", async () => {
    const [issuer, other, creator] = await Promise.all([
      seedModerator("apg"),
      seedModerator("aph"),
      seedAccount({ tag: "apgc", channel: true }),
    ]);
    const warning = await strikeCreator(issuer, creator);
    const filed = await appealStrike(creator, warning.id);
    expect(filed.status).toBe(201);
    const mine = (await filed.json()) as Record<string, unknown>;
    expect(mine).toMatchObject({ strikeId: warning.id, state: "open" });
    for (const key of ["strikeDecidedBy", "claimedBy", "claimExpiresAt", "decidedBy"]) {
      expect(mine).not.toHaveProperty(key);
    }
    await apiJson(`/api/v1/moderation/appeals/${mine.id}/claim`, 200, {
      method: "POST",
      token: other.accessToken,
    });
    await apiJson(`/api/v1/moderation/appeals/${mine.id}/decision`, 200, {
      method: "POST",
      token: other.accessToken,
      json: { grant: false, note: "the rules apply" },
    });
    const page = await api("/api/v1/me/strikes", { token: creator.accessToken });
    const text = await page.text();
    expect(text).not.toContain(issuer.accountId);
    expect(text).not.toContain(other.accountId);
    const item = (JSON.parse(text) as { items: Record<string, unknown>[] }).items[0];
    expect(item?.appeal).toEqual({ id: mine.id, state: "denied" });
  });

  it("an expired strike may be appealed while the strikes keep its channel suspended; granting it restores the channel", async () => {
    const [issuer, other, creator, active] = await Promise.all([
      seedModerator("api"),
      seedModerator("apj"),
      seedAccount({ tag: "apic", channel: true }),
      seedAccount({ tag: "apia", channel: true }),
    ]);
    const kept = await storedVideo(creator, {});
    const warning = await strikeCreator(issuer, creator);
    const s1 = await strikeCreator(issuer, creator);
    await strikeCreator(issuer, creator);
    await strikeCreator(issuer, creator);
    const channelOf = async (who: typeof creator) =>
      testDb()
        .select()
        .from(channels)
        .where(eq(channels.id, who.channelId as string))
        .get();
    expect((await channelOf(creator))?.moderationState).toBe("suspended");
    // Every strike expires (strikeExpiryDays later): expiry alone restores nothing.
    await testDb()
      .update(strikes)
      .set({ expiresAt: Date.now() - 1 })
      .where(eq(strikes.channelId, creator.channelId as string));
    const lapsed = await myStrikes(creator);
    expect(lapsed).toMatchObject({ channelState: "suspended", activeStrikes: 0 });
    // The creator is told which ones may still be appealed: the expired strikes, not the warning.
    expect(lapsed.items.find((s) => s.id === s1.id)).toMatchObject({ active: false, appealable: true });
    expect(lapsed.items.find((s) => s.id === warning.id)).toMatchObject({ appealable: false });
    // A warning never suspended anything: still nothing to appeal.
    expect((await appealStrike(creator, warning.id)).status).toBe(409);
    const filed = await appealStrike(creator, s1.id);
    expect(filed.status).toBe(201);
    const appeal = (await filed.json()) as AppealJson;
    await apiJson(`/api/v1/moderation/appeals/${appeal.id}/claim`, 200, {
      method: "POST",
      token: other.accessToken,
    });
    await apiJson(`/api/v1/moderation/appeals/${appeal.id}/decision`, 200, {
      method: "POST",
      token: other.accessToken,
      json: { grant: true },
    });
    expect((await channelOf(creator))?.moderationState).toBe("active");
    const video = await testDb().select().from(videos).where(eq(videos.id, kept)).get();
    expect(video?.channelHidden).toBe(false);
    expect((await upload(creator)).status).toBe(201);
    expect((await appealStrike(creator, s1.id)).status).toBe(409); // once per strike
    const after = await myStrikes(creator);
    expect(after.items.every((s) => !s.appealable)).toBe(true); // restored: the others lapsed for good

    // An expired strike of a channel that is not suspended stays unappealable.
    await strikeCreator(issuer, active);
    const lone = await strikeCreator(issuer, active);
    await testDb()
      .update(strikes)
      .set({ expiresAt: Date.now() - 1 })
      .where(eq(strikes.id, lone.id));
    expect((await appealStrike(active, lone.id)).status).toBe(409);
  });
});
