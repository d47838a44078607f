import { z } from "@hono/zod-openapi";
import { pageOf } from "../lib/pagination";
import { PlanId } from "../lib/params";
import { PROVIDERS } from "./provider";

export const ProviderName = z.enum(PROVIDERS);
export const Interval = z.enum(["month", "year"]);

const Price = z.object({ amountCents: z.number().int(), currency: z.string() }).nullable();

export const PlanSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    maxHeight: z.number().int(),
    adFree: z.boolean(),
    streams: z.number().int(),
    premiumContent: z.boolean(),
    prices: z.object({ month: Price, year: Price }),
    /** The configured providers that sell this plan (none for free). */
    providers: z.array(ProviderName),
  })
  .openapi("Plan");

export const PlanList = z.object({ items: z.array(PlanSchema) }).openapi("PlanList");

export const EntitlementsSchema = z
  .object({
    plan: z.string(),
    maxHeight: z.number().int(),
    adFree: z.boolean(),
    streams: z.number().int(),
    premiumContent: z.boolean(),
  })
  .openapi("Entitlements");

export const BillingState = z
  .object({
    entitlements: EntitlementsSchema,
    subscription: z
      .object({
        provider: ProviderName,
        planId: z.string(),
        interval: Interval,
        status: z.enum(["pending", "trialing", "active", "past_due", "canceled", "ended"]),
        cancelAtPeriodEnd: z.boolean(),
        /** When the paid period ends (renews, or ends if cancelAtPeriodEnd). */
        currentPeriodEnd: z.string().nullable(),
        /** Past due: when the plan stops unless the payment succeeds. */
        graceEndsAt: z.string().nullable(),
        /** When access to the plan ends (cancel at period end, canceled, past due); null while it renews. */
        accessEndsAt: z.string().nullable(),
      })
      .nullable(),
    lastPaymentProblem: z.string().nullable(),
  })
  .openapi("BillingState");

// Strict: the account is the token's, never a field (an `accountId` in the body is a 400).
export const CheckoutBody = z
  .strictObject({ planId: PlanId, interval: Interval, provider: ProviderName })
  .openapi("CheckoutBody");

export const RedirectUrl = z.object({ url: z.string() }).openapi("BillingRedirect");

export const Invoice = z
  .object({
    id: z.string(),
    provider: ProviderName,
    amountCents: z.number().int(),
    currency: z.string(),
    status: z.enum(["paid", "failed"]),
    periodStart: z.string().nullable(),
    periodEnd: z.string().nullable(),
    createdAt: z.string(),
    hostedUrl: z.string().nullable(),
  })
  .openapi("Invoice");
export const InvoicePage = pageOf("InvoicePage", Invoice);

const cents = z.number().int().min(0).max(100_000_000).nullable();
const providerId = z.string().min(1).max(255).nullable();

/** Every field optional; at least one. Provider ids null = not sold that way. */
export const PlanPatch = z
  .strictObject({
    name: z.string().trim().min(1).max(60),
    maxHeight: z.number().int().min(144).max(4320),
    adFree: z.boolean(),
    streams: z.number().int().min(1).max(20),
    premiumContent: z.boolean(),
    monthlyCents: cents,
    yearlyCents: cents,
    currency: z.string().regex(/^[a-z]{3}$/, "An ISO 4217 code in lower case"),
    stripeMonthPriceId: providerId,
    stripeYearPriceId: providerId,
    paypalMonthPlanId: providerId,
    paypalYearPlanId: providerId,
    sortOrder: z.number().int().min(0).max(1000),
  })
  .partial()
  .refine((p) => Object.keys(p).length > 0, "Change at least one field")
  .openapi("PlanPatch");
export type PlanPatch = z.infer<typeof PlanPatch>;

export const WebhookAck = z.object({ received: z.boolean() }).openapi("WebhookAck");
