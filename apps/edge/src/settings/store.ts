/**
 * The dynamic settings (docs/moderation.md, "Configuration"): one JSON document in KV, validated by
 * `DynamicSettingsSchema`, cached per isolate for at most `SETTINGS_CACHE_MS`. Every route that reads
 * a setting calls `getSettings` on each request, so a change reaches every isolate within 30 s.
 */
import { type DynamicSettings, DynamicSettingsSchema, type FlagName } from "@marquee/shared";
import { sha256Hex } from "../lib/ids";
import type { Services } from "../services";

/** The KV key of the current settings: `{ version, value }`. */
export const SETTINGS_KEY = "settings:dynamic";
/** The longest an isolate serves settings it read earlier (the bound). */
export const SETTINGS_CACHE_MS = 30_000;

export interface StoredSettings {
  version: number;
  value: DynamicSettings;
}

const DEFAULTS: StoredSettings = { version: 0, value: DynamicSettingsSchema.parse({}) };

let cached: { stored: StoredSettings; readAt: number } | null = null;

/** The current settings and their version, read from KV (no cache). A malformed document yields the defaults. */
export async function readStoredSettings(kv: KVNamespace): Promise<StoredSettings> {
  const text = await kv.get(SETTINGS_KEY, "text");
  if (text === null) return DEFAULTS;
  let raw: { version?: unknown; value?: unknown } | null;
  try {
    raw = JSON.parse(text);
  } catch {
    // A hand-edited key that is not JSON must not take down every route that reads a setting.
    return DEFAULTS;
  }
  if (typeof raw !== "object" || raw === null) return DEFAULTS;
  const parsed = DynamicSettingsSchema.safeParse(raw.value ?? {});
  const version = typeof raw.version === "number" && Number.isInteger(raw.version) ? raw.version : 0;
  return parsed.success ? { version, value: parsed.data } : { version, value: DEFAULTS.value };
}

/** The settings, from this isolate's cache when read less than 30 s ago. */
export async function getSettings(s: Pick<Services, "env">, now = Date.now()): Promise<DynamicSettings> {
  return (await getStoredSettings(s, now)).value;
}

export async function getStoredSettings(s: Pick<Services, "env">, now = Date.now()): Promise<StoredSettings> {
  if (cached && now - cached.readAt < SETTINGS_CACHE_MS && now >= cached.readAt) return cached.stored;
  const stored = await readStoredSettings(s.env.SETTINGS);
  cached = { stored, readAt: now };
  return stored;
}

/** Drops this isolate's copy (after this isolate wrote new settings; others catch up within 30 s). */
export function forgetCachedSettings(): void {
  cached = null;
}

/**
 * Whether `flag` is on for `accountId`: enabled, and the account's stable bucket (0–99, a hash of
 * flag and account) below the rollout percentage. Raising the percentage only adds accounts.
 */
export async function flagOn(
  settings: DynamicSettings,
  flag: FlagName,
  accountId: string | null,
): Promise<boolean> {
  const f = settings.flags[flag];
  if (!f.enabled || f.rolloutPct <= 0) return false;
  if (f.rolloutPct >= 100) return true;
  if (accountId === null) return false;
  return (await rolloutBucket(flag, accountId)) < f.rolloutPct;
}

export async function rolloutBucket(flag: FlagName, accountId: string): Promise<number> {
  return Number.parseInt((await sha256Hex(`${flag}\n${accountId}`)).slice(0, 8), 16) % 100;
}
