import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { BillingInterval, Provider, SubscriptionStatus } from "../../billing/provider";
import { accountRef } from "./accounts";
import { now, timestamps } from "./columns";

/**
 * A plan is data: its limits, its prices (integer cents) and the provider ids that sell it.
 * Seeded by migration 0009 (free, standard, premium); admins edit it (PATCH /admin/plans/{planId}).
 * Entitlements (billing/entitlements.ts) read the limits; nothing else decides what a plan allows.
 */
export const plans = sqliteTable("plans", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  maxHeight: integer("max_height").notNull(),
  adFree: integer("ad_free", { mode: "boolean" }).notNull().default(false),
  streams: integer("streams").notNull(),
  premiumContent: integer("premium_content", { mode: "boolean" }).notNull().default(false),
  /** Integer cents; null = not sold per month. */
  monthlyCents: integer("monthly_cents"),
  yearlyCents: integer("yearly_cents"),
  /** ISO 4217, lower case. */
  currency: text("currency").notNull().default("usd"),
  stripeMonthPriceId: text("stripe_month_price_id"),
  stripeYearPriceId: text("stripe_year_price_id"),
  paypalMonthPlanId: text("paypal_month_plan_id"),
  paypalYearPlanId: text("paypal_year_plan_id"),
  sortOrder: integer("sort_order").notNull().default(0),
  updatedAt: integer("updated_at").notNull().default(now),
});

/** One provider customer per account and provider (Stripe Customer); created once, raced by a unique key. */
export const billingCustomers = sqliteTable(
  "billing_customers",
  {
    accountId: accountRef(),
    provider: text("provider").$type<Provider>().notNull(),
    providerCustomerId: text("provider_customer_id").notNull(),
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [
    primaryKey({ columns: [t.accountId, t.provider] }),
    uniqueIndex("billing_customers_provider_unique").on(t.provider, t.providerCustomerId),
  ],
);

/**
 * The mirror of a provider subscription, rewritten from the provider's own snapshot on each webhook
 * (billing/webhooks.ts). An account may hold several rows over time (old ended ones); entitlements
 * take the best current one. `past_due_since` keeps the first moment the mirror saw it past due:
 * the grace period counts from there, whatever the provider re-sends.
 */
export const billingSubscriptions = sqliteTable(
  "billing_subscriptions",
  {
    id: text("id").primaryKey(),
    accountId: accountRef(),
    provider: text("provider").$type<Provider>().notNull(),
    providerSubscriptionId: text("provider_subscription_id").notNull(),
    planId: text("plan_id")
      .notNull()
      .references(() => plans.id),
    interval: text("interval").$type<BillingInterval>().notNull(),
    status: text("status").$type<SubscriptionStatus>().notNull(),
    cancelAtPeriodEnd: integer("cancel_at_period_end", { mode: "boolean" }).notNull().default(false),
    currentPeriodEnd: integer("current_period_end"),
    pastDueSince: integer("past_due_since"),
    lastPaymentProblem: text("last_payment_problem"),
    /**
     * Epoch ms right after the provider answered the snapshot this row was written from. A write
     * only lands if its snapshot is not older (billing/mirror.ts), so two events processed
     * concurrently cannot leave the older provider state behind.
     */
    snapshotAt: integer("snapshot_at").notNull().default(0),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex("billing_subscriptions_provider_unique").on(t.provider, t.providerSubscriptionId),
    index("billing_subscriptions_account_idx").on(t.accountId),
  ],
);

/** Invoices (Stripe) and payments (PayPal sales) of an account, newest first by (created_at, id). */
export const billingInvoices = sqliteTable(
  "billing_invoices",
  {
    id: text("id").primaryKey(),
    accountId: accountRef(),
    provider: text("provider").$type<Provider>().notNull(),
    providerInvoiceId: text("provider_invoice_id").notNull(),
    providerSubscriptionId: text("provider_subscription_id"),
    amountCents: integer("amount_cents").notNull(),
    currency: text("currency").notNull(),
    status: text("status").$type<"paid" | "failed">().notNull(),
    periodStart: integer("period_start"),
    periodEnd: integer("period_end"),
    hostedUrl: text("hosted_url"),
    createdAt: integer("created_at").notNull(),
    /** When the edge first stored it (its payout period); backfilled from created_at by 0013. */
    recordedAt: integer("recorded_at"),
  },
  (t) => [
    index("billing_invoices_recorded_idx").on(t.recordedAt),
    uniqueIndex("billing_invoices_provider_unique").on(t.provider, t.providerInvoiceId),
    index("billing_invoices_account_keyset_idx").on(t.accountId, t.createdAt, t.id),
  ],
);

/** Webhook events already applied, by the provider's event id: a redelivery is a no-op. */
export const billingWebhookEvents = sqliteTable(
  "billing_webhook_events",
  {
    provider: text("provider").$type<Provider>().notNull(),
    eventId: text("event_id").notNull(),
    type: text("type").notNull(),
    receivedAt: integer("received_at").notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.provider, t.eventId] })],
);
