import { z } from "@hono/zod-openapi";
import {
  DECISIONS,
  MODERATION_TEXT_MAX,
  REPORT_REASONS,
  REPORT_STATES,
  REPORT_TARGET_TYPES,
} from "@marquee/shared";
import { pageOf } from "../lib/pagination";
import { entityId } from "../lib/params";
import { MultiLineText } from "../lib/text";

export const ReportCreate = z
  .strictObject({
    targetType: z.enum(REPORT_TARGET_TYPES),
    targetId: entityId("target"),
    reason: z.enum(REPORT_REASONS),
    text: MultiLineText(MODERATION_TEXT_MAX)
      .optional()
      .openapi({
        description: `What is wrong, in the reporter's words (at most ${MODERATION_TEXT_MAX} characters)`,
      }),
    atSeconds: z
      .number()
      .finite()
      .min(0)
      .max(7 * 24 * 3600)
      .optional()
      .openapi({ description: "Where in the video (seconds); videos only, within its length" }),
  })
  .openapi("ReportCreate");
export type ReportCreate = z.infer<typeof ReportCreate>;

export const Report = z
  .object({
    id: z.string(),
    targetType: z.enum(REPORT_TARGET_TYPES),
    targetId: z.string(),
    reason: z.enum(REPORT_REASONS),
    text: z.string(),
    atSeconds: z.number().nullable(),
    state: z
      .enum(REPORT_STATES)
      .openapi({ description: "open until the case is decided: upheld or dismissed" }),
    outcome: z.enum(DECISIONS).nullable().openapi({ description: "The decision that closed it" }),
    createdAt: z.string(),
    resolvedAt: z.string().nullable(),
  })
  .openapi("Report");
export type Report = z.infer<typeof Report>;

export const ReportPage = pageOf("ReportPage", Report);
