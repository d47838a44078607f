import { env } from "cloudflare:test";
import { DynamicSettingsSchema, FLAG_NAMES } from "@marquee/shared";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import {
  flagOn,
  forgetCachedSettings,
  getSettings,
  getStoredSettings,
  readStoredSettings,
  rolloutBucket,
  SETTINGS_CACHE_MS,
  SETTINGS_KEY,
} from "./store";

const s = { env };
const defaults = DynamicSettingsSchema.parse({});

/** What another isolate (or an admin's PUT elsewhere) leaves in KV. */
const putDirectly = (version: number, value: unknown) =>
  env.SETTINGS.put(SETTINGS_KEY, JSON.stringify({ version, value }));

const withThreshold = (autoHideThreshold: number) =>
  DynamicSettingsSchema.parse({ reports: { ...defaults.reports, autoHideThreshold } });

beforeEach(() => forgetCachedSettings());
afterAll(async () => {
  await env.SETTINGS.delete(SETTINGS_KEY);
  forgetCachedSettings();
});

describe("the per-isolate cache", () => {
  it("serves a value written to KV elsewhere stale for less than 30 s, and fresh at 30 s", async () => {
    const t0 = 1_000_000;
    await putDirectly(1, withThreshold(4));
    expect((await getSettings(s, t0)).reports.autoHideThreshold).toBe(4);
    // Another isolate writes version 2.
    await putDirectly(2, withThreshold(9));
    for (const dt of [0, 1, 10_000, SETTINGS_CACHE_MS - 1]) {
      const stored = await getStoredSettings(s, t0 + dt);
      expect([dt, stored.version, stored.value.reports.autoHideThreshold]).toEqual([dt, 1, 4]);
    }
    const fresh = await getStoredSettings(s, t0 + SETTINGS_CACHE_MS);
    expect([fresh.version, fresh.value.reports.autoHideThreshold]).toEqual([2, 9]);
    expect(SETTINGS_CACHE_MS).toBe(30_000);
  });

  it("a clock that went backwards rereads rather than trusting the copy", async () => {
    await putDirectly(3, withThreshold(5));
    expect((await getSettings(s, 2_000_000)).reports.autoHideThreshold).toBe(5);
    await putDirectly(4, withThreshold(6));
    expect((await getSettings(s, 1_999_000)).reports.autoHideThreshold).toBe(6);
  });

  it("forgetCachedSettings makes this isolate's next read come from KV", async () => {
    await putDirectly(5, withThreshold(7));
    expect((await getSettings(s, 3_000_000)).reports.autoHideThreshold).toBe(7);
    await putDirectly(6, withThreshold(8));
    forgetCachedSettings();
    expect((await getSettings(s, 3_000_001)).reports.autoHideThreshold).toBe(8);
  });

  it("no document, or a malformed one, reads as the defaults (never a half-valid value)", async () => {
    await env.SETTINGS.delete(SETTINGS_KEY);
    expect(await readStoredSettings(env.SETTINGS)).toEqual({ version: 0, value: defaults });
    await putDirectly(7, { reports: { autoHideThreshold: 0 } });
    expect(await readStoredSettings(env.SETTINGS)).toEqual({ version: 7, value: defaults });
    await env.SETTINGS.put(SETTINGS_KEY, "not json");
    expect(await readStoredSettings(env.SETTINGS)).toEqual({ version: 0, value: defaults });
  });
});

describe("percentage rollout", () => {
  const accounts = Array.from({ length: 400 }, (_, n) => `acct_${n.toString(36)}x${(n * 7919).toString(36)}`);
  const at = (rolloutPct: number, enabled = true) =>
    DynamicSettingsSchema.parse({ flags: { reports: { enabled, rolloutPct } } });

  it("an account's bucket is stable, 0–99, and differs between flags", async () => {
    const first = await Promise.all(accounts.map((a) => rolloutBucket("reports", a)));
    const again = await Promise.all(accounts.map((a) => rolloutBucket("reports", a)));
    expect(again).toEqual(first);
    expect(first.every((b) => Number.isInteger(b) && b >= 0 && b < 100)).toBe(true);
    const other = await Promise.all(accounts.map((a) => rolloutBucket("appeals", a)));
    expect(other).not.toEqual(first);
  });

  it("raising the percentage only adds accounts, and about that share is on", async () => {
    let previous = new Set<string>();
    for (const pct of [0, 1, 5, 10, 25, 50, 75, 90, 99, 100]) {
      const on = new Set<string>();
      for (const a of accounts) if (await flagOn(at(pct), "reports", a)) on.add(a);
      for (const a of previous) expect(on.has(a)).toBe(true);
      // 400 accounts: the share on stays within a generous band of the percentage.
      expect(Math.abs(on.size / accounts.length - pct / 100)).toBeLessThan(0.1);
      previous = on;
    }
    expect(previous.size).toBe(accounts.length);
  });

  it("a disabled flag is off for everyone; anonymous callers get only flags at 100 %", async () => {
    for (const a of accounts.slice(0, 50)) expect(await flagOn(at(100, false), "reports", a)).toBe(false);
    expect(await flagOn(at(100), "reports", null)).toBe(true);
    expect(await flagOn(at(99), "reports", null)).toBe(false);
    for (const f of FLAG_NAMES) expect(await flagOn(defaults, f, null)).toBe(true);
  });
});
