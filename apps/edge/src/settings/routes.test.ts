import { env } from "cloudflare:test";
import { type DynamicSettingsInput, DynamicSettingsSchema } from "@marquee/shared";
import { desc, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DAY, insertBillingSubscription, insertVideo, testDb } from "../../test/fixtures";
import { api, apiJson, type SeededAccount, seedAccount } from "../../test/harness";
import { floorOf } from "../ads/decision";
import { loadConfig } from "../config";
import { auditLog, settingsVersions, videos } from "../db/schema";
import { verifyEmails } from "../moderation/test-utils";
import { forgetCachedSettings, readStoredSettings, SETTINGS_KEY } from "./store";

interface ConfigView {
  version: number;
  value: ReturnType<typeof DynamicSettingsSchema.parse>;
  updatedAt: string | null;
}

let admin: SeededAccount;
let viewer: SeededAccount;
const defaults = DynamicSettingsSchema.parse({});

beforeAll(async () => {
  [admin, viewer] = await Promise.all([
    seedAccount({ tag: "cfgadmin", roles: ["admin"] }),
    seedAccount({ tag: "cfgviewer" }),
  ]);
});

afterAll(async () => {
  // Leave the defaults behind for anything else reading this storage.
  const now = await current();
  await api("/api/v1/admin/config", {
    method: "PUT",
    token: admin.accessToken,
    json: { value: {}, ifVersion: now.version, reason: "test cleanup" },
  });
});

const current = () => apiJson<ConfigView>("/api/v1/admin/config", 200, { token: admin.accessToken });

/** Saves `value` from the current version (an omitted field takes its default). */
async function save(value: DynamicSettingsInput, reason = "test"): Promise<ConfigView> {
  const { version } = await current();
  return apiJson<ConfigView>("/api/v1/admin/config", 200, {
    method: "PUT",
    token: admin.accessToken,
    json: { value, reason, ifVersion: version },
  });
}

const periodRules = async () =>
  (
    await apiJson<{ rules: { creatorAdSharePct: number; premiumPoolPct: number } }>(
      "/internal/payouts/periods/2020-01",
      200,
      { token: env.PAYOUTS_TOKEN },
    )
  ).rules;

describe("PUT /admin/config", () => {
  it("a bad value is refused with the field named, and nothing is recorded", async () => {
    const before = await current();
    const cases: [unknown, string][] = [
      [{ reports: { autoHideThreshold: 0 } }, "json.value.reports.autoHideThreshold"],
      [{ flags: { reports: { enabled: true, rolloutPct: 101 } } }, "json.value.flags.reports.rolloutPct"],
      [{ payouts: { creatorAdSharePct: "50" } }, "json.value.payouts.creatorAdSharePct"],
      [{ billing: { pastDueGraceSeconds: -1 } }, "json.value.billing.pastDueGraceSeconds"],
      [{ reports: { surprise: 1 } }, "json.value.reports"],
    ];
    for (const [value, path] of cases) {
      const res = await api("/api/v1/admin/config", {
        method: "PUT",
        token: admin.accessToken,
        json: { value, ifVersion: before.version },
      });
      const body = (await res.json()) as { code: string; errors: { path: string }[] };
      expect([res.status, body.code]).toEqual([400, "validation_failed"]);
      expect(
        body.errors.map((e) => e.path),
        JSON.stringify(body),
      ).toContain(path);
    }
    expect((await current()).version).toBe(before.version);
  });

  it("saves a version with its audit row; a stale ifVersion is 409", async () => {
    const before = await current();
    const saved = await save({ reports: { autoHideThreshold: 5 } }, "raise the bar");
    expect(saved.version).toBe(before.version + 1);
    expect(saved.value.reports).toEqual({ ...defaults.reports, autoHideThreshold: 5 });
    expect(saved.value.flags).toEqual(defaults.flags);
    expect(await current()).toEqual(saved);
    expect((await readStoredSettings(env.SETTINGS)).version).toBe(saved.version);

    const stale = await api("/api/v1/admin/config", {
      method: "PUT",
      token: admin.accessToken,
      json: { value: {}, ifVersion: before.version },
    });
    expect(stale.status).toBe(409);
    expect(((await stale.json()) as { detail: string }).detail).toContain(`version ${saved.version}`);

    const [row] = await testDb()
      .select()
      .from(auditLog)
      .where(eq(auditLog.targetId, String(saved.version)))
      .orderBy(desc(auditLog.seq));
    expect(row).toMatchObject({
      action: "config.update",
      actorAccountId: admin.accountId,
      actorRoles: ["viewer", "admin"],
      targetType: "settings",
      reason: "raise the bar",
      before: { version: before.version },
      after: { version: saved.version, value: { reports: { autoHideThreshold: 5 } } },
    });
    expect(row?.requestId).toBeTruthy();
  });

  it("two admins saving from the same version at once: one wins, the other gets 409", async () => {
    const { version } = await current();
    const put = (threshold: number) =>
      api("/api/v1/admin/config", {
        method: "PUT",
        token: admin.accessToken,
        json: { value: { reports: { autoHideThreshold: threshold } }, ifVersion: version },
      });
    const statuses = (await Promise.all([put(6), put(7)])).map((r) => r.status).sort();
    expect(statuses).toEqual([200, 409]);
    const rows = await testDb()
      .select()
      .from(settingsVersions)
      .where(eq(settingsVersions.version, version + 1));
    expect(rows).toHaveLength(1);
    expect((await current()).version).toBe(version + 1);
  });

  it("only admins read or change the configuration", async () => {
    for (const [method, path, json] of [
      ["GET", "/api/v1/admin/config", undefined],
      ["PUT", "/api/v1/admin/config", { value: {}, ifVersion: 0 }],
      ["GET", "/api/v1/admin/config/versions", undefined],
      ["POST", "/api/v1/admin/config/rollback", { version: 0 }],
    ] as const) {
      expect((await api(path, { method, token: viewer.accessToken, json })).status).toBe(403);
      expect((await api(path, { method, json })).status).toBe(401);
    }
  });
});

describe("versions and rollback", () => {
  it("lists versions newest first, page by page, and rolls back to one as a new version", async () => {
    const a = await save({ ads: { floorCpmCents: 250 } }, "a");
    const b = await save({ ads: { floorCpmCents: 300 } }, "b");
    const first = await apiJson<{ items: { version: number; reason: string }[]; nextCursor: string }>(
      "/api/v1/admin/config/versions?limit=1",
      200,
      { token: admin.accessToken },
    );
    expect(first.items.map((v) => [v.version, v.reason])).toEqual([[b.version, "b"]]);
    const second = await apiJson<{ items: { version: number; value: { ads: unknown } }[] }>(
      `/api/v1/admin/config/versions?limit=1&cursor=${first.nextCursor}`,
      200,
      { token: admin.accessToken },
    );
    expect(second.items.map((v) => [v.version, v.value.ads])).toEqual([[a.version, { floorCpmCents: 250 }]]);

    const rolled = await apiJson<ConfigView>("/api/v1/admin/config/rollback", 200, {
      method: "POST",
      token: admin.accessToken,
      json: { version: a.version, reason: "b was a mistake" },
    });
    expect(rolled.version).toBe(b.version + 1);
    expect(rolled.value).toEqual(a.value);
    const [row] = await testDb()
      .select()
      .from(auditLog)
      .where(eq(auditLog.targetId, String(rolled.version)))
      .orderBy(desc(auditLog.seq));
    expect(row).toMatchObject({
      action: "config.rollback",
      reason: "b was a mistake",
      before: { version: b.version, value: { ads: { floorCpmCents: 300 } } },
      after: { version: rolled.version, rolledBackTo: a.version },
    });
    // Version 0 is the defaults; an unknown version is 404; the current one is 409.
    const toDefaults = await apiJson<ConfigView>("/api/v1/admin/config/rollback", 200, {
      method: "POST",
      token: admin.accessToken,
      json: { version: 0 },
    });
    expect(toDefaults.value).toEqual(defaults);
    const roll = (version: number) =>
      api("/api/v1/admin/config/rollback", { method: "POST", token: admin.accessToken, json: { version } });
    expect((await roll(toDefaults.version + 50)).status).toBe(404);
    expect((await roll(toDefaults.version)).status).toBe(409);
  });

  it("a write that reached D1 but not KV (a crash between them) is republished by the next read", async () => {
    const { version, value } = await current();
    const lost = { ...value, ads: { floorCpmCents: 777 } };
    await testDb()
      .insert(settingsVersions)
      .values({ version: version + 1, value: lost, changedBy: admin.accountId, reason: "crashed" });
    expect((await readStoredSettings(env.SETTINGS)).version).toBe(version);
    const read = await current();
    expect([read.version, read.value.ads]).toEqual([version + 1, { floorCpmCents: 777 }]);
    expect(await readStoredSettings(env.SETTINGS)).toEqual({ version: version + 1, value: lost });
  });
});

describe("a change takes effect on the routes that read it", () => {
  it("payout percentages on /internal/payouts/periods/{period}: the setting overrides the env default only when set", async () => {
    const config = loadConfig(env);
    await save({});
    expect(await periodRules()).toEqual({
      creatorAdSharePct: config.payouts.creatorAdSharePct,
      premiumPoolPct: config.payouts.premiumPoolPct,
    });
    await save({ payouts: { creatorAdSharePct: 61 } });
    expect(await periodRules()).toEqual({
      creatorAdSharePct: 61,
      premiumPoolPct: config.payouts.premiumPoolPct,
    });
  });

  it("the billing grace: a past-due plan lapses when the grace is shortened", async () => {
    const member = await seedAccount({ tag: "cfggrace" });
    const pastDueSince = Date.now() - 2 * 3_600_000;
    await insertBillingSubscription(member.accountId, { status: "past_due", pastDueSince });
    type Billing = { entitlements: { plan: string }; subscription: { graceEndsAt: string } };
    const billing = () => apiJson<Billing>("/api/v1/me/billing", 200, { token: member.accessToken });
    await save({});
    const envGrace = loadConfig(env).billing.pastDueGraceSeconds * 1000;
    expect(envGrace).toBeGreaterThan(2 * 3_600_000);
    let seen = await billing();
    expect([seen.entitlements.plan, seen.subscription.graceEndsAt]).toEqual([
      "premium",
      new Date(pastDueSince + envGrace).toISOString(),
    ]);
    await save({ billing: { pastDueGraceSeconds: 3_600 } });
    seen = await billing();
    expect([seen.entitlements.plan, seen.subscription.graceEndsAt]).toEqual([
      "free",
      new Date(pastDueSince + 3_600_000).toISOString(),
    ]);
    await save({ billing: { pastDueGraceSeconds: (30 * DAY) / 1000 } });
    expect((await billing()).entitlements.plan).toBe("premium");
  });

  it("the ads floor CPM the decision uses", async () => {
    const s = { env, config: loadConfig(env), db: testDb() };
    await save({ ads: { floorCpmCents: 4_321 } });
    forgetCachedSettings(); // this test's isolate reads KV afresh, as another isolate would within 30 s
    expect(await floorOf(s)).toBe(4_321);
    await save({});
    forgetCachedSettings();
    expect(await floorOf(s)).toBe(s.config.ads.floorCpmCents);
  });

  it("the report thresholds and the reports flag POST /reports reads", async () => {
    const [creator, reporter] = await Promise.all([
      seedAccount({ tag: "cfgrepcreator", channel: true }),
      seedAccount({ tag: "cfgreporter" }),
    ]);
    // Only an email-verified reporter's report weighs anything towards auto-hide (moderation/weights.ts).
    await verifyEmails([reporter]);
    const [tolerated, hiddenAtOne] = await Promise.all([insertVideo(creator), insertVideo(creator)]);
    const state = async (id: string) =>
      (await testDb().select({ m: videos.moderationState }).from(videos).where(eq(videos.id, id)).get())?.m;
    const report = (targetId: string) =>
      api("/api/v1/reports", {
        method: "POST",
        token: reporter.accessToken,
        json: { targetType: "video", targetId, reason: "spam_or_misleading" },
      });
    await save({ reports: { autoHideThreshold: 2 } });
    expect((await report(tolerated)).status).toBe(201);
    expect(await state(tolerated)).toBe("visible");
    await save({ reports: { autoHideThreshold: 1 } });
    expect((await report(hiddenAtOne)).status).toBe(201);
    expect(await state(hiddenAtOne)).toBe("held");
    await save({ flags: { reports: { enabled: false, rolloutPct: 100 } } });
    const off = await api("/api/v1/reports", {
      method: "POST",
      token: creator.accessToken,
      json: { targetType: "channel", targetId: reporter.accountId, reason: "other" },
    });
    expect(off.status).toBe(403);
    await save({});
  });

  it("a value written to KV directly (as another isolate's write) reaches the route within 30 s", async () => {
    const { version, value } = await current();
    // The route's isolate holds a copy (read now), which it may serve for up to 30 s.
    await periodRules();
    const started = Date.now();
    await env.SETTINGS.put(
      SETTINGS_KEY,
      JSON.stringify({ version: version + 1000, value: { ...value, payouts: { creatorAdSharePct: 37 } } }),
    );
    // Polled every second; what counts is when the request that saw it was sent.
    let askedAt = Date.now();
    let seen = await periodRules();
    while (seen.creatorAdSharePct !== 37 && Date.now() - started < 31_000) {
      await new Promise((r) => setTimeout(r, 1_000));
      askedAt = Date.now();
      seen = await periodRules();
    }
    expect(seen.creatorAdSharePct).toBe(37);
    expect(askedAt - started).toBeLessThan(31_000);
  }, 40_000);
});

describe("GET /me/flags", () => {
  it("evaluates every flag for the caller's account; anonymous callers get only flags at 100 %", async () => {
    await save({
      flags: { reports: { enabled: true, rolloutPct: 50 }, appeals: { enabled: true, rolloutPct: 100 } },
    });
    const anonymous = await apiJson<{ flags: Record<string, boolean> }>("/api/v1/me/flags", 200);
    expect(anonymous.flags).toEqual({ reports: false, appeals: true });
    const { rolloutBucket } = await import("./store");
    const mine = await apiJson<{ flags: Record<string, boolean> }>("/api/v1/me/flags", 200, {
      token: viewer.accessToken,
    });
    expect(mine.flags).toEqual({
      reports: (await rolloutBucket("reports", viewer.accountId)) < 50,
      appeals: true,
    });
    await save({ flags: { reports: { enabled: false, rolloutPct: 100 } } });
    expect((await apiJson<{ flags: Record<string, boolean> }>("/api/v1/me/flags", 200)).flags.reports).toBe(
      false,
    );
    const audits = await testDb()
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(inArray(auditLog.action, ["config.update", "config.rollback"]));
    expect(audits.length).toBeGreaterThan(5);
  });
});
