/**
 * The admins' side of trust and safety (docs/moderation.md): users (search, roles, suspension), the
 * audit log and its chain check, and the dynamic configuration with its versions. Also the pure
 * pieces the pages use (the config form's fields and conversions, the server's field errors mapped
 * onto them, the audit filters as a query), unit-tested in admin.test.ts.
 *
 * The wire types are the generated schema's (api/schema.d.ts, from the edge's route declarations).
 */
import type { AuditAction, Role } from "@marquee/shared";
import { ApiProblem, api, must } from "../api/client";
import type { components } from "../api/schema";

type Schemas = components["schemas"];
export type AuditEntry = Schemas["AuditEntry"];
export type AuditVerification = Schemas["AuditVerification"];
export type ConfigView = Schemas["Config"];
export type ConfigVersion = Schemas["ConfigVersion"];
export type Settings = Schemas["DynamicSettings"];
export type AdminUser = Schemas["AdminUser"];
export type AdminUserDetail = Schemas["AdminUserDetail"];

export type { AuditAction, Role };

/**
 * @marquee/shared's AUDIT_ACTIONS and ROLES, written out: its module also builds the zod settings
 * schema when loaded, which would put zod in these pages' chunks. Each is a record of every value
 * (one added or dropped there is a type error here), in the shared order (admin.test.ts compares).
 */
const everyOf = <T extends string>(all: Record<T, true>): T[] => Object.keys(all) as T[];
export const AUDIT_ACTIONS = everyOf<AuditAction>({
  "moderation.auto_hide": true,
  "moderation.case.claim": true,
  "moderation.case.release": true,
  "moderation.case.decide": true,
  "moderation.strike.issue": true,
  "moderation.channel.suspend": true,
  "moderation.channel.restore": true,
  "moderation.appeal.claim": true,
  "moderation.appeal.decide": true,
  "moderation.comment": true,
  "moderation.video.delete": true,
  "admin.roles.set": true,
  "admin.user.suspend": true,
  "admin.user.restore": true,
  "admin.plan.update": true,
  "admin.category.create": true,
  "admin.category.update": true,
  "admin.category.delete": true,
  "admin.watched_words.set": true,
  "ads.review": true,
  "config.update": true,
  "config.rollback": true,
  "payouts.run": true,
});
export const ROLES = everyOf<Role>({
  viewer: true,
  creator: true,
  moderator: true,
  advertiser: true,
  admin: true,
});

const withCursor = (limit: number, cursor?: string) => ({ limit, ...(cursor ? { cursor } : {}) });

// ---- users ----

export interface UserFilters {
  q: string;
  role: Role | "";
  /** "" any, "true" suspended only, "false" not suspended. */
  suspended: "" | "true" | "false";
}

export const NO_USER_FILTERS: UserFilters = { q: "", role: "", suspended: "" };

export function usersQuery(f: UserFilters): { q?: string; role?: Role; suspended?: "true" | "false" } {
  const q = f.q.trim();
  return {
    ...(q ? { q } : {}),
    ...(f.role ? { role: f.role } : {}),
    ...(f.suspended ? { suspended: f.suspended } : {}),
  };
}

/** The roles an admin can set (viewer is everyone's and always kept, so it is not offered). */
export const EDITABLE_ROLES: readonly Role[] = ROLES.filter((r) => r !== "viewer");

// ---- audit ----

export interface AuditFilters {
  action: AuditAction | "";
  actorAccountId: string;
  targetType: string;
  targetId: string;
  /** A day (YYYY-MM-DD, UTC) the rows start on, inclusive. */
  from: string;
  /** A day (YYYY-MM-DD, UTC) the rows end on, inclusive. */
  to: string;
}

export const NO_AUDIT_FILTERS: AuditFilters = {
  action: "",
  actorAccountId: "",
  targetType: "",
  targetId: "",
  from: "",
  to: "",
};

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A YYYY-MM-DD day as the ISO instant it starts (UTC), `plusDays` later; null for anything else. */
export function dayStart(day: string, plusDays = 0): string | null {
  const m = DAY.exec(day);
  if (!m) return null;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + plusDays));
  // 2026-02-30 rolls over into March: not a day.
  const back = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (back.getUTCMonth() !== Number(m[2]) - 1 || back.getUTCDate() !== Number(m[3])) return null;
  return date.toISOString();
}

/**
 * The filters as GET /admin/audit's query: only what is set; the days as instants, `to` as the
 * start of the next day (the API's `to` is exclusive, the page's last day is included).
 */
export function auditQuery(f: AuditFilters): {
  action?: AuditAction;
  actorAccountId?: string;
  targetType?: string;
  targetId?: string;
  from?: string;
  to?: string;
} {
  const from = dayStart(f.from);
  const to = dayStart(f.to, 1);
  const text = (v: string) => v.trim();
  return {
    ...(f.action ? { action: f.action } : {}),
    ...(text(f.actorAccountId) ? { actorAccountId: text(f.actorAccountId) } : {}),
    ...(text(f.targetType) ? { targetType: text(f.targetType) } : {}),
    ...(text(f.targetId) ? { targetId: text(f.targetId) } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
  };
}

/** A before/after value as readable JSON (null and undefined as "—" is the caller's choice). */
export function prettyJson(value: unknown): string {
  if (value === undefined) return "";
  try {
    return JSON.stringify(value, null, 2) ?? "";
  } catch {
    return String(value);
  }
}

// ---- configuration ----

export type Section = keyof Settings;
export interface FieldSpec {
  kind: "int" | "bool";
  min?: number;
  max?: number;
  /** May be left empty (the platform's built-in value applies). */
  optional?: boolean;
}

const flag = { enabled: { kind: "bool" }, rolloutPct: { kind: "int", min: 0, max: 100 } } as const;

/**
 * Every setting the form edits, by section, with the bounds the API checks (the API has the last
 * word: its field errors land on these fields). Typed against the settings document, so a field
 * added to or removed from the schema is a type error here until the form follows.
 */
export const CONFIG_FIELDS = {
  reports: {
    autoHideThreshold: { kind: "int", min: 1, max: 1000 },
    windowHours: { kind: "int", min: 1, max: 720 },
    perAccountPerHour: { kind: "int", min: 1, max: 1000 },
    trustedWeight: { kind: "int", min: 1, max: 10 },
    reputationMinDecided: { kind: "int", min: 1, max: 1000 },
    reputationMinUpheldPct: { kind: "int", min: 0, max: 100 },
  },
  moderation: {
    claimMinutes: { kind: "int", min: 1, max: 1440 },
    strikeExpiryDays: { kind: "int", min: 1, max: 3650 },
    firstFreezeDays: { kind: "int", min: 0, max: 365 },
    secondFreezeDays: { kind: "int", min: 0, max: 365 },
    strikesToSuspend: { kind: "int", min: 1, max: 10 },
  },
  billing: { pastDueGraceSeconds: { kind: "int", min: 0, max: 2_592_000, optional: true } },
  ads: { floorCpmCents: { kind: "int", min: 1, max: 1_000_000, optional: true } },
  payouts: {
    creatorAdSharePct: { kind: "int", min: 0, max: 100, optional: true },
    premiumPoolPct: { kind: "int", min: 0, max: 100, optional: true },
  },
  flags: { reports: flag, appeals: flag },
} as const satisfies {
  [S in Exclude<Section, "flags">]-?: { [K in keyof Settings[S]]-?: FieldSpec };
} & { flags: { [F in keyof Settings["flags"]]-?: { enabled: FieldSpec; rolloutPct: FieldSpec } } };

export const CONFIG_SECTIONS = Object.keys(CONFIG_FIELDS) as Section[];

/** One editable value: its dotted path ("reports.autoHideThreshold", "flags.reports.enabled"). */
export interface ConfigEntry {
  path: string;
  section: Section;
  spec: FieldSpec;
}

/** Every field, in form order. */
export function configEntries(): ConfigEntry[] {
  const out: ConfigEntry[] = [];
  for (const section of CONFIG_SECTIONS) {
    for (const [key, spec] of Object.entries(CONFIG_FIELDS[section])) {
      if ("kind" in spec) out.push({ path: `${section}.${key}`, section, spec: spec as FieldSpec });
      else
        for (const [sub, s] of Object.entries(spec as Record<string, FieldSpec>))
          out.push({ path: `${section}.${key}.${sub}`, section, spec: s });
    }
  }
  return out;
}

/** The form's state: every field by dotted path, numbers as the text in their box. */
export type ConfigForm = Record<string, string | boolean>;

function at(value: unknown, path: string): unknown {
  let v = value;
  for (const part of path.split("."))
    v = v && typeof v === "object" ? (v as Record<string, unknown>)[part] : undefined;
  return v;
}

/** The settings as the form shows them (an unset optional number is an empty box). */
export function toConfigForm(value: Settings): ConfigForm {
  const form: ConfigForm = {};
  for (const { path, spec } of configEntries()) {
    const v = at(value, path);
    form[path] = spec.kind === "bool" ? v === true : typeof v === "number" ? String(v) : "";
  }
  return form;
}

/**
 * The form back into a settings document. A number box holding a whole number sends that number;
 * anything else is sent as typed, so the API refuses it and names the field (one set of rules, the
 * API's); an empty optional box is left out (the built-in value applies).
 */
export function fromConfigForm(form: ConfigForm): Settings {
  const out: Record<string, Record<string, unknown>> = {};
  for (const { path, section, spec } of configEntries()) {
    const raw = form[path];
    const keys = path.split(".").slice(1);
    // Every section is sent, an all-empty one as {} (the document's shape stays whole).
    const into = out[section] ?? {};
    out[section] = into;
    let value: unknown;
    if (spec.kind === "bool") value = raw === true;
    else {
      const text = typeof raw === "string" ? raw.trim() : "";
      if (text === "" && spec.optional) continue;
      value = /^-?\d+$/.test(text) ? Number(text) : text;
    }
    const [key = "", sub] = keys;
    if (sub === undefined) into[key] = value;
    else into[key] = { ...((into[key] as Record<string, unknown> | undefined) ?? {}), [sub]: value };
  }
  return out as unknown as Settings;
}

/**
 * The API's field errors by the form's paths: `json.value.reports.autoHideThreshold` (or `body.…`) →
 * `reports.autoHideThreshold`. Errors that name no field of the form are `general`.
 */
export function configFieldErrors(error: unknown): { fields: Record<string, string>; general: string[] } {
  const fields: Record<string, string> = {};
  const general: string[] = [];
  if (!(error instanceof ApiProblem)) return { fields, general };
  const known = new Set(configEntries().map((e) => e.path));
  for (const e of error.problem.errors ?? []) {
    // The edge names a body field after where it came from: "json." (its validator's target) or "body.".
    const path = (e.path ?? "").replace(/^(body|json)\./, "").replace(/^value\./, "");
    // A flag's whole object (a missing key) lands on its switch.
    const target = known.has(path) ? path : known.has(`${path}.enabled`) ? `${path}.enabled` : null;
    if (target && !fields[target]) fields[target] = e.message;
    else if (!target) general.push(e.path ? `${e.path}: ${e.message}` : e.message);
  }
  return { fields, general };
}

/** A save refused because someone saved a newer version first (409). */
export function isStaleVersion(error: unknown): boolean {
  return error instanceof ApiProblem && error.problem.status === 409;
}

/** The paths whose values differ between two settings documents (what a version changed). */
export function changedPaths(before: Settings | null, after: Settings): string[] {
  if (!before) return [];
  return configEntries()
    .map((e) => e.path)
    .filter((p) => at(before, p) !== at(after, p));
}

// ---- the calls ----

export const adminApi = {
  users: (filters: UserFilters, cursor?: string, limit = 25) =>
    must(
      api.GET("/api/v1/admin/users", {
        params: { query: { ...usersQuery(filters), ...withCursor(limit, cursor) } },
      }),
    ),
  user: (userId: string) => must(api.GET("/api/v1/admin/users/{userId}", { params: { path: { userId } } })),
  setRoles: (userId: string, roles: Role[]) =>
    must(api.PUT("/api/v1/admin/users/{userId}/role", { params: { path: { userId } }, body: { roles } })),
  suspend: (userId: string, suspended: boolean, reason: string) =>
    must(
      api.PUT("/api/v1/admin/users/{userId}/suspension", {
        params: { path: { userId } },
        body: { suspended, reason: reason.trim() },
      }),
    ),
  audit: (filters: AuditFilters, cursor?: string, limit = 50) =>
    must(
      api.GET("/api/v1/admin/audit", {
        params: { query: { ...auditQuery(filters), ...withCursor(limit, cursor) } },
      }),
    ),
  verify: () => must(api.GET("/api/v1/admin/audit/verify")),
  config: () => must(api.GET("/api/v1/admin/config")),
  saveConfig: (value: Settings, ifVersion: number, reason: string) =>
    must(api.PUT("/api/v1/admin/config", { body: { value, ifVersion, reason: reason.trim() } })),
  versions: (cursor?: string, limit = 20) =>
    must(api.GET("/api/v1/admin/config/versions", { params: { query: withCursor(limit, cursor) } })),
  rollback: (version: number, reason: string) =>
    must(api.POST("/api/v1/admin/config/rollback", { body: { version, reason: reason.trim() } })),
};
