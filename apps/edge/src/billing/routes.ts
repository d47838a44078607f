import type { Context } from "hono";
import { bearerSecurity, commonErrors, createRouter, jsonBody, jsonContent, routesOf } from "../lib/openapi";
import { ListQuery } from "../lib/pagination";
import { PlanParam } from "../lib/params";
import { caller, services } from "../services";
import type { AppEnv } from "../types";
import { listPlans, patchPlan } from "./plans";
import type { Provider } from "./provider";
import { providerFor, providerLabel } from "./providers";
import {
  BillingState,
  CheckoutBody,
  InvoicePage,
  PlanList,
  PlanPatch,
  PlanSchema,
  RedirectUrl,
  WebhookAck,
} from "./schemas";
import * as billing from "./service";
import { handleWebhook } from "./webhooks";

const route = routesOf({ tags: ["billing"], security: bearerSecurity });

const providerErrors = {
  502: { description: "The payment provider failed (problem+json); safe to retry" },
  503: { description: "The payment provider is unavailable or not configured (problem+json); safe to retry" },
} as const;

/**
 * A provider webhook: the raw body as sent (the signature covers its exact bytes, so it is never
 * parsed before verification). 200 once applied or already applied, 400 forged. The size cap
 * (MAX_WEBHOOK_BYTES, 413) is app.ts's body limit for /api/v1/webhooks/*, enforced while the body
 * streams in, so the body read here is never over it.
 */
async function webhook(c: Context<AppEnv>, name: Provider) {
  const raw = await c.req.text();
  const s = services(c);
  await handleWebhook(s, providerFor(s.config, name), c.req.raw.headers, raw);
  return c.json({ received: true }, 200);
}

const webhookRoute = (name: Provider, header: string) =>
  route({
    method: "post",
    path: `/webhooks/${name}`,
    security: [],
    summary: `${providerLabel(name)} webhook (signature verified on the raw body)`,
    description:
      `Called by ${providerLabel(name)} only. The body is the provider's event JSON, read raw and ` +
      `verified (${header}) before anything else; each event id is applied once. 200 once applied (or ` +
      "already applied), 400 for a missing or bad signature (nothing changes), 5xx when applying failed " +
      "so the provider retries.",
    responses: {
      200: jsonContent(WebhookAck, "Applied, or already applied"),
      400: commonErrors[400],
      413: { description: "Body over 256 kB (problem+json)" },
      ...providerErrors,
    },
  });

/** Plans, the account's billing, checkout/portal/cancel, invoices, admin plan edits and the provider webhooks. */
export const billingRoutes = createRouter()
  .openapi(
    route({
      method: "get",
      path: "/plans",
      security: [],
      summary: "The plans, their limits and prices, and the providers that sell them (public)",
      responses: { 200: jsonContent(PlanList, "The plans, cheapest first"), ...commonErrors },
    }),
    async (c) => c.json(await listPlans(services(c)), 200),
  )
  .openapi(
    route({
      method: "get",
      path: "/me/billing",
      summary: "The account's entitlements, its subscription and the last payment problem",
      responses: { 200: jsonContent(BillingState, "The billing state"), ...commonErrors },
    }),
    async (c) => c.json(await billing.getBilling(...caller(c)), 200),
  )
  .openapi(
    route({
      method: "post",
      path: "/me/billing/checkout",
      summary: "Start a checkout for a paid plan; answers the provider's hosted page to send the person to",
      description:
        "The account is the token's. 404 unknown plan, 400 the free plan (or a plan that provider does " +
        "not sell per that interval), 409 when the account already has a paid plan (change plans in " +
        "the billing portal), 503 `provider_unavailable` when that provider is not configured or unreachable.",
      request: { body: jsonBody(CheckoutBody) },
      responses: { 200: jsonContent(RedirectUrl, "Where to pay"), ...commonErrors, ...providerErrors },
    }),
    async (c) => c.json(await billing.startCheckout(...caller(c), c.req.valid("json")), 200),
  )
  .openapi(
    route({
      method: "post",
      path: "/me/billing/portal",
      summary: "The Stripe billing portal (change plan, payment method, cancel); 409 for PayPal plans",
      responses: { 200: jsonContent(RedirectUrl, "The portal"), ...commonErrors, ...providerErrors },
    }),
    async (c) => c.json(await billing.openPortal(...caller(c)), 200),
  )
  .openapi(
    route({
      method: "post",
      path: "/me/billing/cancel",
      summary:
        "Cancel the subscription at the end of the paid period (idempotent); answers the billing state",
      responses: { 200: jsonContent(BillingState, "The billing state"), ...commonErrors, ...providerErrors },
    }),
    async (c) => c.json(await billing.cancelSubscription(...caller(c)), 200),
  )
  .openapi(
    route({
      method: "get",
      path: "/me/billing/invoices",
      summary: "The account's invoices and payments, newest first (cursor-paginated)",
      request: { query: ListQuery },
      responses: { 200: jsonContent(InvoicePage, "A page of invoices"), ...commonErrors },
    }),
    async (c) => c.json(await billing.listInvoices(...caller(c), c.req.valid("query")), 200),
  )
  .openapi(
    route({
      method: "patch",
      path: "/admin/plans/{planId}",
      summary: "Edit a plan's limits, prices and provider ids (admin only)",
      request: { params: PlanParam, body: jsonBody(PlanPatch) },
      responses: { 200: jsonContent(PlanSchema, "The plan"), ...commonErrors },
    }),
    async (c) => c.json(await patchPlan(...caller(c), c.req.valid("param").planId, c.req.valid("json")), 200),
  )
  .openapi(webhookRoute("stripe", "Stripe-Signature"), (c) => webhook(c, "stripe"))
  .openapi(webhookRoute("paypal", "verify-webhook-signature"), (c) => webhook(c, "paypal"));
