/**
 * The origin's payouts API under /internal/payouts (docs/payouts.md): the facts of a closed period
 * (its totals, then its channels page by page), the channels' Connect accounts, and the statements
 * the origin publishes back. Authenticated by the payout run's bearer token (PAYOUTS_TOKEN; the
 * transcoder's ORIGIN_TOKEN is refused), never by a user's JWT.
 *
 * Status codes the origin relies on: 409 means the period is not closed yet (the problem says
 * when it closes; nothing was read), 400 a bad period, cursor or body, 401 a wrong token.
 */
import { type Period, parsePeriod } from "@marquee/shared";
import { bodyLimit } from "hono/body-limit";
import { requirePayoutsToken } from "../jobs/origin-auth";
import { AppError } from "../lib/errors";
import { commonErrors, createRouter, jsonBody, jsonContent, routesOf } from "../lib/openapi";
import { type Services, services } from "../services";
import { channelFactsPage, closesAt, isClosed, payoutAccountsPage, periodFacts } from "./facts";
import {
  ChannelFactsPageAnswer,
  InternalListQuery,
  PayoutAccountPageAnswer,
  PeriodFactsAnswer,
  PeriodParam,
  StatementsAnswer,
  StatementsBody,
} from "./internal-schemas";
import { applyStatements } from "./statements";

/**
 * Largest statements body: 500 earnings (~100 B each), 500 payouts (~350 B each) and a run whose
 * skipped list may name 10,000 channels (~100 B each): about 1.2 MB at the contract's limits.
 */
export const MAX_PAYOUTS_BODY_BYTES = 2 * 1024 * 1024;

const route = routesOf({ tags: ["internal"], security: [{ payoutsToken: [] }] });
const errors = { 400: commonErrors[400], 401: commonErrors[401] } as const;
const periodOpen = {
  409: { ...commonErrors[409], description: "The period is not closed yet (`closesAt` says when it is)" },
} as const;

export const payoutsInternalRoutes = createRouter();

payoutsInternalRoutes.openAPIRegistry.registerComponent("securitySchemes", "payoutsToken", {
  type: "http",
  scheme: "bearer",
  description: "PAYOUTS_TOKEN, the payout run's shared secret (not ORIGIN_TOKEN, not a user JWT)",
});

// Order matters: the token is checked before anything reads the body. Scoped to /payouts so the
// other internal routers keep their own limits.
payoutsInternalRoutes.use("/payouts/*", requirePayoutsToken);
payoutsInternalRoutes.use(
  "/payouts/*",
  bodyLimit({
    maxSize: MAX_PAYOUTS_BODY_BYTES,
    onError: () => {
      throw new AppError(
        "payload_too_large",
        `Payouts request bodies are limited to ${MAX_PAYOUTS_BODY_BYTES} bytes`,
      );
    },
  }),
);

/** The period named in the path, once it is closed; 409 with when it closes otherwise. */
function closedPeriod(s: Services, id: string): Period {
  // PeriodParam validated the id already.
  const period = parsePeriod(id) as Period;
  if (!isClosed(s, period, Date.now())) {
    const at = closesAt(s, period);
    throw new AppError(
      "conflict",
      `Period ${id} is not closed: its facts are final at ${new Date(at).toISOString()} ` +
        `(${s.config.payouts.closeDelaySeconds} s after it ends). Try again then.`,
      { extensions: { reason: "period_open", closesAt: at } },
    );
  }
  return period;
}

payoutsInternalRoutes
  .openapi(
    route({
      method: "get",
      path: "/payouts/periods/{period}",
      summary:
        "A closed period's totals: premium paid and refunded, ad millicents, premium watch time, rules",
      request: { params: PeriodParam },
      responses: { 200: jsonContent(PeriodFactsAnswer, "The period's facts"), ...errors, ...periodOpen },
    }),
    async (c) => {
      const s = services(c);
      return c.json(await periodFacts(s, closedPeriod(s, c.req.valid("param").period)), 200);
    },
  )
  .openapi(
    route({
      method: "get",
      path: "/payouts/periods/{period}/channels",
      summary: "A closed period's facts per channel (ad millicents, premium watch ms), channel id ascending",
      request: { params: PeriodParam, query: InternalListQuery },
      responses: {
        200: jsonContent(ChannelFactsPageAnswer, "One page of channels"),
        ...errors,
        ...periodOpen,
      },
    }),
    async (c) => {
      const s = services(c);
      const period = closedPeriod(s, c.req.valid("param").period);
      return c.json(await channelFactsPage(s, period, c.req.valid("query")), 200);
    },
  )
  .openapi(
    route({
      method: "get",
      path: "/payouts/accounts",
      summary: "Every channel's Stripe Connect account and whether it can be paid, channel id ascending",
      request: { query: InternalListQuery },
      responses: { 200: jsonContent(PayoutAccountPageAnswer, "One page of accounts"), ...errors },
    }),
    async (c) => c.json(await payoutAccountsPage(services(c), c.req.valid("query")), 200),
  )
  .openapi(
    route({
      method: "post",
      path: "/payouts/statements",
      summary:
        "Publish the ledger's earnings, payout records and a run (idempotent; older records never win)",
      request: { body: jsonBody(StatementsBody) },
      responses: {
        200: jsonContent(StatementsAnswer, "How many rows changed"),
        ...errors,
        413: { ...commonErrors[400], description: "The body is over the limit" },
      },
    }),
    async (c) => c.json(await applyStatements(services(c), c.req.valid("json")), 200),
  );
