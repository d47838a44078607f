import { z } from "@hono/zod-openapi";
import { DynamicSettingsSchema, FLAG_NAMES } from "@marquee/shared";
import { pageOf } from "../lib/pagination";
import { SingleLineText } from "../lib/text";

/** The settings document as stored and served (every field present, defaults filled in). */
const SettingsValue = DynamicSettingsSchema.openapi("DynamicSettings", {
  description:
    "The dynamic settings (docs/moderation.md, Configuration). On PUT, an omitted field takes its default.",
});

const Version = z.number().int().min(0).openapi({ description: "0 is the built-in defaults" });
const Reason = SingleLineText(1, 500);

export const ConfigView = z
  .object({
    version: Version,
    value: SettingsValue,
    updatedAt: z
      .string()
      .nullable()
      .openapi({ description: "When this version was written (null: defaults)" }),
  })
  .openapi("Config");

export const ConfigUpdate = z
  .strictObject({
    value: SettingsValue,
    reason: Reason.optional(),
    ifVersion: Version.openapi({
      description: "The version this change was made from: a different current version is a 409",
    }),
  })
  .openapi("ConfigUpdate");

export const ConfigRollback = z
  .strictObject({
    version: Version.openapi({ description: "The version whose value becomes current again (0: defaults)" }),
    reason: Reason.optional(),
  })
  .openapi("ConfigRollback");

export const ConfigVersion = z
  .object({
    version: Version,
    value: SettingsValue,
    changedBy: z.string(),
    reason: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi("ConfigVersion");

export const ConfigVersionPage = pageOf("ConfigVersionPage", ConfigVersion);

export const MyFlags = z
  .object({
    flags: z.object(
      Object.fromEntries(FLAG_NAMES.map((f) => [f, z.boolean()])) as Record<
        (typeof FLAG_NAMES)[number],
        z.ZodBoolean
      >,
    ),
  })
  .openapi("MyFlags");
