import { bearerSecurity, commonErrors, createRouter, jsonContent, routesOf } from "../lib/openapi";
import { ListQuery } from "../lib/pagination";
import { caller } from "../services";
import { startOnboarding } from "./accounts";
import { listEarnings, listPayouts, listRuns } from "./earnings";
import { EarningsPage, OnboardingLink, PayoutPage, PayoutRunPage } from "./schemas";

const route = routesOf({ tags: ["payouts"], security: bearerSecurity });

const OWN =
  "The caller's own channel (there is no channel to name): 403 for a kids profile, 409 when the account has no channel.";

const providerErrors = {
  502: { description: "Stripe failed (problem+json); safe to retry" },
  503: { description: "Stripe is unavailable or not configured (problem+json); safe to retry" },
} as const;

/** Creator money under /api/v1 (docs/payouts.md): onboarding, earnings, payouts; the admin's runs. */
export const payoutsRoutes = createRouter()
  .openapi(
    route({
      method: "post",
      path: "/me/payouts/onboarding",
      summary: "Set up payouts: the channel's Stripe Express account (made once) and a fresh onboarding link",
      description:
        `${OWN} Each call answers a new single-use link (Stripe's hosted onboarding); coming back lands on ` +
        "/studio/earnings?onboarding=done (or =refresh when the link expired). `account.updated` webhooks " +
        "turn payouts on. At most 10 links per account per 10 minutes (429).",
      responses: { 200: jsonContent(OnboardingLink, "Where to onboard"), ...commonErrors, ...providerErrors },
    }),
    async (c) => c.json(await startOnboarding(...caller(c)), 200),
  )
  .openapi(
    route({
      method: "get",
      path: "/me/earnings",
      summary:
        "The channel's earnings per period (newest first), what is paid and pending, and this month's estimate",
      description:
        `${OWN} Periods are those the origin's ledger computed (ads and premium, cents); paid payouts cover ` +
        "periods oldest first. `estimate` is the open month's share if it closed now.",
      request: { query: ListQuery },
      responses: { 200: jsonContent(EarningsPage, "A page of periods, with the totals"), ...commonErrors },
    }),
    async (c) => c.json(await listEarnings(...caller(c), c.req.valid("query")), 200),
  )
  .openapi(
    route({
      method: "get",
      path: "/me/payouts",
      summary: "The channel's payouts (Stripe transfers), newest period first (cursor-paginated)",
      description: OWN,
      request: { query: ListQuery },
      responses: { 200: jsonContent(PayoutPage, "A page of payouts"), ...commonErrors },
    }),
    async (c) => c.json(await listPayouts(...caller(c), c.req.valid("query")), 200),
  )
  .openapi(
    route({
      method: "get",
      path: "/admin/payouts/runs",
      summary:
        "Payout runs, newest first: paid, failed, skipped channels and the ledger's trial balance (admin)",
      request: { query: ListQuery },
      responses: { 200: jsonContent(PayoutRunPage, "A page of runs"), ...commonErrors },
    }),
    async (c) => c.json(await listRuns(...caller(c), c.req.valid("query")), 200),
  );
