import { DynamicSettingsSchema } from "@marquee/shared";
import { describe, expect, it } from "vitest";
import de from "../i18n/locales/de/admin.json";
import en from "../i18n/locales/en/admin.json";

// The API client reads window.location.origin when it is created; Node has no window. The real
// module is loaded (its ApiProblem is what the pages receive), with just that one global given.
(globalThis as { window?: unknown }).window ??= { location: { origin: "http://127.0.0.1:8787" } };
const { ApiProblem } = await import("../api/client");
const {
  auditQuery,
  changedPaths,
  configEntries,
  configFieldErrors,
  dayStart,
  fromConfigForm,
  isStaleVersion,
  NO_AUDIT_FILTERS,
  toConfigForm,
  usersQuery,
} = await import("./admin");

const DEFAULTS = DynamicSettingsSchema.parse({});

/** Every leaf of a settings document by dotted path. */
function leaves(value: unknown, prefix = ""): string[] {
  if (value === null || typeof value !== "object") return [prefix];
  return Object.entries(value).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
}

describe("the configuration form covers the settings schema", () => {
  const paths = configEntries().map((e) => e.path);
  it("has a field for every setting the schema fills in, and no other", () => {
    const required = leaves(DEFAULTS).sort();
    // The optional ones (no default) are in the form as empty boxes.
    const optional = configEntries()
      .filter((e) => e.spec.optional)
      .map((e) => e.path);
    expect([...paths].sort()).toEqual([...required, ...optional].sort());
  });
  it("every field's bounds are ones the schema accepts (min and max pass, one past fails)", () => {
    for (const { path, spec } of configEntries()) {
      if (spec.kind !== "int") continue;
      const form = toConfigForm(DEFAULTS);
      for (const [v, ok] of [
        [spec.min, true],
        [spec.max, true],
        [(spec.min ?? 0) - 1, false],
        [(spec.max ?? 0) + 1, false],
      ] as const) {
        const parsed = DynamicSettingsSchema.safeParse(fromConfigForm({ ...form, [path]: String(v) }));
        expect(parsed.success, `${path} = ${v}`).toBe(ok);
      }
    }
  });
  it("labels every field in English and German", () => {
    const label = (json: typeof en, path: string) => {
      const [section, key, sub] = path.split(".");
      const config = json.config as unknown as {
        field: Record<string, Record<string, string>>;
        flag: Record<string, string>;
      };
      return section === "flags"
        ? config.flag[key ?? ""] && config.flag[sub ?? ""]
        : config.field[section ?? ""]?.[key ?? ""];
    };
    for (const path of paths) {
      expect(label(en, path), `en ${path}`).toBeTruthy();
      expect(label(de as typeof en, path), `de ${path}`).toBeTruthy();
    }
  });
});

describe("settings to the form and back", () => {
  it("round-trips the defaults exactly (the schema accepts what the form sends)", () => {
    const sent = fromConfigForm(toConfigForm(DEFAULTS));
    expect(DynamicSettingsSchema.parse(sent)).toEqual(DEFAULTS);
    expect(sent).toEqual(DEFAULTS);
  });
  it("leaves an empty optional box out and sends a filled one as a number", () => {
    const form = toConfigForm(DEFAULTS);
    expect(form["ads.floorCpmCents"]).toBe("");
    expect(fromConfigForm(form).ads).toEqual({});
    expect(fromConfigForm({ ...form, "ads.floorCpmCents": " 250 " }).ads).toEqual({ floorCpmCents: 250 });
  });
  it("sends what is not a whole number as typed, so the API names the field", () => {
    const form = {
      ...toConfigForm(DEFAULTS),
      "reports.autoHideThreshold": "2.5",
      "moderation.claimMinutes": "",
    };
    const sent = fromConfigForm(form);
    expect(sent.reports.autoHideThreshold).toBe("2.5");
    expect(sent.moderation.claimMinutes).toBe("");
    const refused = DynamicSettingsSchema.safeParse(sent);
    expect(refused.success).toBe(false);
    expect(refused.error?.issues.map((i) => i.path.join(".")).sort()).toEqual([
      "moderation.claimMinutes",
      "reports.autoHideThreshold",
    ]);
  });
  it("keeps a flag's switch and rollout together", () => {
    const form = {
      ...toConfigForm(DEFAULTS),
      "flags.appeals.enabled": false,
      "flags.appeals.rolloutPct": "25",
    };
    expect(fromConfigForm(form).flags).toEqual({
      reports: { enabled: true, rolloutPct: 100 },
      appeals: { enabled: false, rolloutPct: 25 },
    });
  });
  it("names the fields a version changed", () => {
    const after = { ...DEFAULTS, reports: { ...DEFAULTS.reports, windowHours: 48 } };
    expect(changedPaths(DEFAULTS, after)).toEqual(["reports.windowHours"]);
    expect(changedPaths(DEFAULTS, DEFAULTS)).toEqual([]);
    expect(changedPaths(null, after)).toEqual([]);
  });
});

describe("the API's field errors land on the form's fields", () => {
  const refused = (errors: { path?: string; message: string }[]) =>
    new ApiProblem({ title: "Validation failed", status: 400, errors });
  it("maps json.value.<section>.<key> (and body.…) onto the field", () => {
    const { fields, general } = configFieldErrors(
      refused([
        { path: "body.value.reports.autoHideThreshold", message: "Too small: expected >=1" },
        { path: "json.value.flags.reports.rolloutPct", message: "Too big" },
      ]),
    );
    expect(fields).toEqual({
      "reports.autoHideThreshold": "Too small: expected >=1",
      "flags.reports.rolloutPct": "Too big",
    });
    expect(general).toEqual([]);
  });
  it("puts a whole flag's error on its switch, and anything else in the general list", () => {
    const { fields, general } = configFieldErrors(
      refused([
        { path: "body.value.flags.appeals", message: "Required" },
        { path: "body.value.reports.unknownKey", message: "Unrecognized key" },
        { path: "body.reason", message: "Too long" },
        { message: "Bad" },
      ]),
    );
    expect(fields).toEqual({ "flags.appeals.enabled": "Required" });
    expect(general).toEqual([
      "body.value.reports.unknownKey: Unrecognized key",
      "body.reason: Too long",
      "Bad",
    ]);
  });
  it("has nothing to place for a network error; a 409 is a stale version", () => {
    expect(configFieldErrors(new TypeError("Failed to fetch"))).toEqual({ fields: {}, general: [] });
    expect(isStaleVersion(new ApiProblem({ title: "Conflict", status: 409 }))).toBe(true);
    expect(isStaleVersion(refused([]))).toBe(false);
  });
});

describe("the audit filters become the API's query", () => {
  it("sends nothing for no filters", () => {
    expect(auditQuery(NO_AUDIT_FILTERS)).toEqual({});
  });
  it("trims ids and turns the days into an inclusive range (to = the next day's start)", () => {
    expect(
      auditQuery({
        action: "config.update",
        actorAccountId: " acc_1 ",
        targetType: "settings",
        targetId: "",
        from: "2026-12-01",
        to: "2026-12-06",
      }),
    ).toEqual({
      action: "config.update",
      actorAccountId: "acc_1",
      targetType: "settings",
      from: "2026-12-01T00:00:00.000Z",
      to: "2026-12-07T00:00:00.000Z",
    });
  });
  it("crosses month and year ends, and refuses days that do not exist", () => {
    expect(dayStart("2026-12-31", 1)).toBe("2027-01-01T00:00:00.000Z");
    expect(dayStart("2026-02-30")).toBeNull();
    expect(dayStart("2026-13-01")).toBeNull();
    expect(dayStart("yesterday")).toBeNull();
    expect(auditQuery({ ...NO_AUDIT_FILTERS, from: "2026-02-30" })).toEqual({});
  });
});

describe("the users filters", () => {
  it("sends the trimmed search and the filters that are set", () => {
    expect(usersQuery({ q: "  ", role: "", suspended: "" })).toEqual({});
    expect(usersQuery({ q: " ann@example.com ", role: "moderator", suspended: "true" })).toEqual({
      q: "ann@example.com",
      role: "moderator",
      suspended: "true",
    });
  });
});

describe("the vocabularies are the shared package's, in its order", () => {
  it("matches @marquee/shared", async () => {
    const shared = await import("@marquee/shared");
    const mine = await import("./admin");
    expect(mine.AUDIT_ACTIONS).toEqual([...shared.AUDIT_ACTIONS]);
    expect(mine.ROLES).toEqual([...shared.ROLES]);
  });
});
