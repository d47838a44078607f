/**
 * OpenAPI-facing schemas of the origin's payouts API (/internal/payouts/...). The wire shapes are the
 * shared contract's (`@marquee/shared` payouts.ts, parsed by the origin too), named here for the
 * document; the path and query parameters are defined here.
 */
import { z } from "@hono/zod-openapi";
import {
  ChannelFactsPageSchema,
  PayoutAccountPageSchema,
  PeriodFactsSchema,
  PeriodId,
  StatementsBodySchema,
} from "@marquee/shared";
import { Cursor } from "../lib/pagination";

export const PeriodParam = z.object({
  period: PeriodId.openapi({
    param: { name: "period", in: "path" },
    description: "A UTC month (2026-11) or day (2026-11-15)",
    example: "2026-11",
  }),
});

/** The origin pages through every channel of a period: larger pages than the public API's 100. */
export const MAX_INTERNAL_LIMIT = 500;
export const DEFAULT_INTERNAL_LIMIT = 100;

export const InternalListQuery = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_INTERNAL_LIMIT)
    .default(DEFAULT_INTERNAL_LIMIT)
    .openapi({ description: `Items per page, 1–${MAX_INTERNAL_LIMIT} (default ${DEFAULT_INTERNAL_LIMIT})` }),
  cursor: Cursor,
});
export type InternalListQuery = z.infer<typeof InternalListQuery>;

export const PeriodFactsAnswer = PeriodFactsSchema.openapi("PayoutPeriodFacts");
export const ChannelFactsPageAnswer = ChannelFactsPageSchema.openapi("PayoutChannelFactsPage");
export const PayoutAccountPageAnswer = PayoutAccountPageSchema.openapi("PayoutAccountPage");
export const StatementsBody = StatementsBodySchema.openapi("PayoutStatements");
export const StatementsAnswer = z
  .object({
    earnings: z.number().int().openapi({ description: "Earnings rows inserted or changed" }),
    payouts: z.number().int().openapi({ description: "Payout rows inserted or changed" }),
    run: z.boolean().openapi({ description: "Whether the run row was inserted or changed" }),
  })
  .openapi("PayoutStatementsAnswer");
