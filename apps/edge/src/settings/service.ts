/**
 * Changing the dynamic settings (docs/moderation.md, "Configuration"). D1's `settings_versions` is
 * the record: every version ever written, numbered 1, 2, 3… (0 is the schema's defaults). KV holds a
 * copy of the newest one, which `getSettings` reads (store.ts).
 *
 * A write is: the version row and its audit row in one D1 batch, then the KV copy, then this
 * isolate's cache dropped. The version number is the race arbiter: a write of version N+1 made from
 * version N inserts primary key N+1, so of two admins saving from the same version one wins and the
 * other gets 409, as does anyone whose `ifVersion` is stale.
 *
 * A crash (or a KV failure) between the D1 batch and the KV put leaves KV one version behind D1.
 * We chose D1 as the truth and repair on read: GET /admin/config compares the two and republishes
 * D1's newest version when KV is behind, and the failed write answers 502 saying so. Until an admin
 * reads the configuration the platform keeps serving the previous (valid, audited) version; it never
 * serves a value that has no version row or audit row. (The other order, KV first, could serve a
 * value that was never recorded.)
 */

import { z } from "@hono/zod-openapi";
import { DynamicSettingsSchema, FLAG_NAMES } from "@marquee/shared";
import { desc, eq, lt } from "drizzle-orm";
import { sealQuietly } from "../audit/chain";
import { auditActorOf, auditInsert } from "../audit/log";
import { authorize } from "../auth/permissions";
import { settingsVersions } from "../db/schema";
import { uniqueViolation } from "../lib/db-errors";
import { AppError } from "../lib/errors";
import { decodeCursor, keysetPage, type ListQuery } from "../lib/pagination";
import type { Services } from "../services";
import type { Actor } from "../types";
import {
  flagOn,
  forgetCachedSettings,
  getSettings,
  readStoredSettings,
  SETTINGS_KEY,
  type StoredSettings,
} from "./store";

type Value = StoredSettings["value"];
interface VersionRow {
  version: number;
  value: Value;
  createdAt: number | null;
}

const DEFAULTS: VersionRow = { version: 0, value: DynamicSettingsSchema.parse({}), createdAt: null };

const view = (row: VersionRow) => ({
  version: row.version,
  value: row.value,
  updatedAt: row.createdAt === null ? null : new Date(row.createdAt).toISOString(),
});

/**
 * A stored value read back through today's schema (a field added since gets its default). A value
 * the schema now refuses cannot become current again.
 */
function revalidated(version: number, raw: unknown): Value {
  const parsed = DynamicSettingsSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const at = parsed.error.issues[0]?.path.join(".") ?? "";
  throw new AppError("conflict", `Version ${version} no longer passes validation (${at || "value"})`);
}

async function newestVersion(s: Pick<Services, "db">): Promise<VersionRow> {
  const [row] = await s.db.select().from(settingsVersions).orderBy(desc(settingsVersions.version)).limit(1);
  return row
    ? { version: row.version, value: revalidated(row.version, row.value), createdAt: row.createdAt }
    : DEFAULTS;
}

/** Writes `row` to KV as the current settings, and drops this isolate's copy. */
async function publish(s: Pick<Services, "env">, row: VersionRow): Promise<void> {
  await s.env.SETTINGS.put(SETTINGS_KEY, JSON.stringify(view(row)));
  forgetCachedSettings();
}

/** GET /admin/config: the newest version (republished to KV when a write died before reaching it). */
export async function currentConfig(s: Services, actor: Actor) {
  authorize(actor, "admin.config.manage");
  const [newest, copy] = await Promise.all([newestVersion(s), readStoredSettings(s.env.SETTINGS)]);
  if (newest.version > 0 && copy.version < newest.version) {
    s.log("warn", { event: "settings-republished", kvVersion: copy.version, version: newest.version });
    await publish(s, newest);
  }
  return view(newest);
}

const stale = (current: number) =>
  new AppError(
    "conflict",
    `The configuration is at version ${current}: reload it and make your change again`,
  );

/** Records `value` as version `from.version + 1` (with its audit row), then publishes it. */
async function write(
  s: Services,
  actor: Actor,
  from: VersionRow,
  value: Value,
  audit: { action: "config.update" | "config.rollback"; reason: string | null; rolledBackTo?: number },
) {
  const version = from.version + 1;
  const at = Date.now();
  try {
    await s.db.batch([
      s.db
        .insert(settingsVersions)
        .values({ version, value, changedBy: actor.accountId, reason: audit.reason, createdAt: at }),
      auditInsert(
        s,
        auditActorOf(actor),
        {
          action: audit.action,
          targetType: "settings",
          targetId: String(version),
          before: { version: from.version, value: from.value },
          after: {
            version,
            value,
            ...(audit.rolledBackTo === undefined ? {} : { rolledBackTo: audit.rolledBackTo }),
          },
          reason: audit.reason,
        },
        at,
      ),
    ]);
  } catch (error) {
    // Another admin's write took this version number first (primary key): the caller's base is stale.
    if (uniqueViolation(error) === "settings_versions.version") throw stale((await newestVersion(s)).version);
    throw error;
  }
  await sealQuietly(s, audit.action);
  const row = { version, value, createdAt: at };
  try {
    await publish(s, row);
  } catch (error) {
    s.log("error", { event: "settings-publish-failed", version, error: String(error) });
    throw new AppError(
      "delivery_failed",
      `Version ${version} is saved but could not be published; reading the configuration publishes it`,
    );
  }
  return view(row);
}

/** PUT /admin/config: `value` (validated by the route) becomes the next version, if `ifVersion` is current. */
export async function updateConfig(
  s: Services,
  actor: Actor,
  input: { value: Value; reason?: string | undefined; ifVersion: number },
) {
  authorize(actor, "admin.config.manage");
  const from = await newestVersion(s);
  if (input.ifVersion !== from.version) throw stale(from.version);
  return write(s, actor, from, input.value, { action: "config.update", reason: input.reason ?? null });
}

/** POST /admin/config/rollback: an earlier version's value (0: the defaults) written as the next version. */
export async function rollbackConfig(
  s: Services,
  actor: Actor,
  input: { version: number; reason?: string | undefined },
) {
  authorize(actor, "admin.config.manage");
  const from = await newestVersion(s);
  if (input.version === from.version) {
    throw new AppError("conflict", `Version ${input.version} is already the current configuration`);
  }
  let value = DEFAULTS.value;
  if (input.version !== 0) {
    const row = await s.db
      .select()
      .from(settingsVersions)
      .where(eq(settingsVersions.version, input.version))
      .get();
    if (!row) throw new AppError("not_found", `No configuration version ${input.version}`);
    value = revalidated(row.version, row.value);
  }
  return write(s, actor, from, value, {
    action: "config.rollback",
    reason: input.reason ?? null,
    rolledBackTo: input.version,
  });
}

const VersionKey = z.strictObject({ v: z.number().int().min(1) });

/** GET /admin/config/versions: every recorded version, newest first. */
export async function listConfigVersions(s: Services, actor: Actor, query: ListQuery) {
  authorize(actor, "admin.config.manage");
  const after = query.cursor ? decodeCursor(query.cursor, "config-versions", VersionKey) : null;
  const t = settingsVersions;
  const rows = await s.db
    .select()
    .from(t)
    .where(after ? lt(t.version, after.v) : undefined)
    .orderBy(desc(t.version))
    .limit(query.limit + 1);
  const page = keysetPage(rows, query.limit, "config-versions", (last) => ({ v: last.version }));
  return {
    items: page.items.map((r) => ({
      version: r.version,
      // Shown as stored (not revalidated): this is the record of what was written.
      value: r.value as Value,
      changedBy: r.changedBy,
      reason: r.reason,
      createdAt: new Date(r.createdAt).toISOString(),
    })),
    nextCursor: page.nextCursor,
  };
}

/** GET /me/flags: every flag evaluated for the caller's account (anonymous: only flags at 100 %). */
export async function myFlags(s: Services, actor: Actor | null) {
  const settings = await getSettings(s);
  const accountId = actor?.accountId ?? null;
  const entries = await Promise.all(
    FLAG_NAMES.map(async (f) => [f, await flagOn(settings, f, accountId)] as const),
  );
  return { flags: Object.fromEntries(entries) as Record<(typeof FLAG_NAMES)[number], boolean> };
}
