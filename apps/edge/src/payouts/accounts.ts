/**
 * A channel's Stripe Connect (Express) account: created once by POST /me/payouts/onboarding, which
 * answers a fresh onboarding link each time, and kept current from Stripe by `refreshPayoutAccount`
 * (the billing webhook calls it on `account.updated`). docs/payouts.md, "Onboarding".
 */
import { eq } from "drizzle-orm";
import Stripe from "stripe";
import { gate } from "../auth/limits";
import { authorize } from "../auth/permissions";
import { mapStripeError, stripeClient } from "../billing/stripe/client";
import type { Config } from "../config";
import { channels, payoutAccounts } from "../db/schema";
import { AppError } from "../lib/errors";
import type { Services } from "../services";
import type { Actor } from "../types";

/**
 * Onboarding links per account and window: each one costs Stripe calls, and a person needs one per
 * visit to the onboarding page (a link is single-use and expires within minutes).
 */
export const ONBOARDING_LIMIT = { limit: 10, windowSeconds: 600 } as const;

export type PayoutAccountRow = typeof payoutAccounts.$inferSelect;

// One client per isolate and configuration (the SDK keeps its own connection state).
const clients = new WeakMap<Config, Stripe>();

/**
 * Stripe as this deployment configured it, or 503 `provider_unavailable` (as billing answers): both
 * keys, because without the webhook secret `account.updated` could never enable payouts.
 */
function connect(config: Config): Stripe {
  const cfg = config.billing.stripe;
  if (!cfg.secretKey || !cfg.webhookSecret) {
    throw new AppError("provider_unavailable", "Stripe is not configured: payouts are unavailable");
  }
  let client = clients.get(config);
  if (!client) {
    client = stripeClient(cfg);
    clients.set(config, client);
  }
  return client;
}

async function call<T>(doing: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    mapStripeError(error, doing);
  }
}

/**
 * The caller's channel, as `payouts.own` sees it: a kids profile is refused (403) whether or not the
 * account has a channel; a grown-up without a channel has nothing to be paid for (409).
 */
export async function ownChannel(s: Services, actor: Actor): Promise<{ id: string }> {
  const channel = await s.db
    .select({ id: channels.id, accountId: channels.accountId })
    .from(channels)
    .where(eq(channels.accountId, actor.accountId))
    .get();
  authorize(actor, "payouts.own", { ownerAccountId: channel?.accountId ?? actor.accountId });
  if (!channel) {
    throw new AppError("conflict", "You have no channel: create a channel first, then set up payouts");
  }
  return { id: channel.id };
}

export const payoutAccountOf = (s: Services, channelId: string) =>
  s.db.select().from(payoutAccounts).where(eq(payoutAccounts.channelId, channelId)).get();

/** Stores what Stripe says of the account now; the row's channel is never changed. */
async function store(
  s: Pick<Services, "db">,
  account: Pick<Stripe.Account, "id" | "payouts_enabled" | "details_submitted">,
): Promise<PayoutAccountRow | undefined> {
  return s.db
    .update(payoutAccounts)
    .set({
      payoutsEnabled: account.payouts_enabled === true,
      detailsSubmitted: account.details_submitted === true,
      updatedAt: Date.now(),
    })
    .where(eq(payoutAccounts.stripeAccountId, account.id))
    .returning()
    .get();
}

/**
 * Re-reads a connected account from Stripe and stores whether it can be paid. Webhooks arrive in any
 * order and may be replayed: reading the account now (rather than trusting the event's copy) makes
 * each delivery store the current truth. An account that is not one of ours is ignored (null).
 */
export async function refreshPayoutAccount(
  s: Pick<Services, "db" | "config">,
  stripeAccountId: string,
): Promise<PayoutAccountRow | null> {
  const known = await s.db
    .select({ channelId: payoutAccounts.channelId })
    .from(payoutAccounts)
    .where(eq(payoutAccounts.stripeAccountId, stripeAccountId))
    .get();
  if (!known) return null;
  const stripe = connect(s.config);
  let account: Stripe.Account;
  try {
    account = await stripe.accounts.retrieve(stripeAccountId);
  } catch (error) {
    if (!isGone(error)) mapStripeError(error, "reading the connected account");
    // Deleted, or disconnected from the platform: it can no longer be paid. (Failing instead would
    // have the webhook retried for days over an account that will never come back.)
    return (
      (await store(s, { id: stripeAccountId, payouts_enabled: false, details_submitted: false })) ?? null
    );
  }
  return (await store(s, account)) ?? null;
}

/** Stripe no longer has the account for us: 404, or a permission error (the account disconnected). */
const isGone = (error: unknown) =>
  error instanceof Stripe.errors.StripePermissionError ||
  (error instanceof Stripe.errors.StripeInvalidRequestError && error.statusCode === 404);

/** The channel's connected account: the stored one, or a new Express account stored now. */
async function ensureAccount(
  s: Services,
  stripe: Stripe,
  actor: Actor,
  channelId: string,
): Promise<PayoutAccountRow> {
  const existing = await payoutAccountOf(s, channelId);
  if (existing) return existing;
  // One key per channel: a repeated or concurrent request (two tabs, a retry after a timeout) gets
  // Stripe's first answer, the same account, instead of a second one.
  const account = await call("creating the payout account", () =>
    stripe.accounts.create(
      {
        type: "express",
        email: actor.email,
        capabilities: { transfers: { requested: true } },
        metadata: { channelId, accountId: actor.accountId },
      },
      { idempotencyKey: `connect-account:${channelId}` },
    ),
  );
  // The channel is the primary key: of two racing requests (same account, by the key above) the
  // second insert does nothing, and both read the one row.
  await s.db
    .insert(payoutAccounts)
    .values({
      channelId,
      stripeAccountId: account.id,
      payoutsEnabled: account.payouts_enabled === true,
      detailsSubmitted: account.details_submitted === true,
    })
    .onConflictDoNothing();
  const row = await payoutAccountOf(s, channelId);
  if (!row) throw new AppError("conflict", "The channel was deleted while setting up payouts");
  return row;
}

/**
 * POST /me/payouts/onboarding: the channel's Express account (made once) and a fresh onboarding link
 * back to the studio. A known account is re-read first, so the answer's `payoutsEnabled` is current
 * even when a webhook was missed.
 */
export async function startOnboarding(s: Services, actor: Actor) {
  const channel = await ownChannel(s, actor);
  const stripe = connect(s.config);
  await gate(s.env, [[`payouts-onboarding:${actor.accountId}`, ONBOARDING_LIMIT]], "onboarding links");
  let row = await ensureAccount(s, stripe, actor, channel.id);
  if (!row.payoutsEnabled) row = (await refreshPayoutAccount(s, row.stripeAccountId)) ?? row;
  // Built on PUBLIC_URL, never on the request's Host.
  const back = (state: "done" | "refresh") =>
    new URL(`/studio/earnings?onboarding=${state}`, s.config.publicUrl).toString();
  // No idempotency key of ours: a link is single-use and expires within minutes, so replaying a
  // first answer would hand back a link already used or expired; a repeat simply makes another
  // link. (The SDK's own retries of this one request share the key it generates for them.)
  const link = await call("creating the onboarding link", () =>
    stripe.accountLinks.create({
      account: row.stripeAccountId,
      type: "account_onboarding",
      return_url: back("done"),
      refresh_url: back("refresh"),
    }),
  );
  return {
    url: link.url,
    expiresAt: link.expires_at * 1000,
    stripeAccountId: row.stripeAccountId,
    payoutsEnabled: row.payoutsEnabled,
  };
}
