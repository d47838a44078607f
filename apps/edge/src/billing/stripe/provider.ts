/**
 * Stripe as a BillingProvider. Every mutating call passes an explicit idempotency key derived from
 * what it does, so the SDK's own retries and ours (a 503 the client repeats) never do it twice:
 * `customer:<accountId>`, `checkout:<accountId>:<priceId>:<10-minute bucket>` (a double click within
 * ten minutes gets the same session), `cancel:<subscriptionId>:<mode>:<intent>`, `portal:<customerId>:<minute>`.
 */
import type Stripe from "stripe";
import { AppError } from "../../lib/errors";
import type { BillingProvider, CheckoutInput, VerifiedEvent } from "../provider";
import { cryptoProvider, mapStripeError, type StripeConfig, stripeClient } from "./client";
import { invoiceSnapshot, invoiceSubscriptionId, refundSnapshot, subscriptionSnapshot } from "./snapshots";

const TEN_MINUTES = 10 * 60 * 1000;
const bucket = (now: number) => Math.floor(now / TEN_MINUTES);

/** How far a signed timestamp may be from now (Stripe's default): a captured delivery replayed later fails. */
const SIGNATURE_TOLERANCE_SECONDS = 300;

const webhookSecrets = (value: string) =>
  value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

async function call<T>(doing: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    mapStripeError(error, doing);
  }
}

/** The subscription an event is about, and what else it carries. */
function eventDetails(event: Stripe.Event): Omit<VerifiedEvent, "provider" | "id" | "type"> {
  const none = {
    providerSubscriptionId: null,
    accountId: null,
    invoice: null,
    refund: null,
    connectedAccountId: null,
  };
  // An event on a connected account (`account` set: the Connect endpoint, verified with its own
  // secret) is about that account's objects, not ours: only its account.updated concerns us. Anything
  // else (its refunds, charges…) would be re-read on the platform (404 → retried for days) or mirrored
  // as ours: recorded, no effect.
  if (event.account && event.type !== "account.updated") return none;
  switch (event.type) {
    case "checkout.session.completed": {
      const session = event.data.object;
      const sub = session.subscription;
      return {
        providerSubscriptionId: sub == null ? null : typeof sub === "string" ? sub : sub.id,
        accountId: session.client_reference_id ?? null,
        invoice: null,
        refund: null,
        connectedAccountId: null,
      };
    }
    case "customer.subscription.created":
    case "customer.subscription.updated":
    case "customer.subscription.deleted":
      return { ...none, providerSubscriptionId: event.data.object.id };
    case "invoice.paid":
    case "invoice.payment_failed": {
      const invoice = event.data.object;
      return {
        ...none,
        providerSubscriptionId: invoiceSubscriptionId(invoice),
        invoice: invoiceSnapshot(invoice, event.type === "invoice.payment_failed"),
      };
    }
    // Since API 2024-10-28 every refund has its refund.* events (charge.refunded, which carries the
    // charge, adds nothing: ignored). The pipeline re-reads the refund, so only its id matters here.
    case "refund.created":
    case "refund.updated":
    case "refund.failed":
    case "charge.refund.updated":
      return { ...none, refund: refundSnapshot(event.data.object) };
    // A connected account (payouts) changed: the pipeline re-reads it (payouts/accounts.ts).
    case "account.updated":
      return { ...none, connectedAccountId: event.data.object.id };
    default:
      // Verified but not acted on (the endpoint may be subscribed to more): recorded, no effect.
      return none;
  }
}

export function stripeProvider(cfg: StripeConfig, now: () => number = Date.now): BillingProvider {
  const stripe = stripeClient(cfg);
  return {
    name: "stripe",

    async verifyWebhook(headers, rawBody) {
      const signature = headers.get("stripe-signature");
      if (!signature) throw new AppError("bad_request", "Missing Stripe-Signature header");
      let event: Stripe.Event | undefined;
      // Several secrets, comma-separated: Stripe signs the platform's endpoint and the one for events
      // on connected accounts (account.updated) with different secrets, even at the same URL.
      for (const secret of webhookSecrets(cfg.webhookSecret)) {
        try {
          event = await stripe.webhooks.constructEventAsync(
            rawBody,
            signature,
            secret,
            SIGNATURE_TOLERANCE_SECONDS,
            cryptoProvider,
          );
          break;
        } catch {
          // Try the next secret.
        }
      }
      // Bad signature, stale timestamp or a body that is not an event: the same answer for all.
      if (!event) throw new AppError("bad_request", "The Stripe signature does not match this body");
      if (typeof event.id !== "string" || typeof event.type !== "string") {
        throw new AppError("bad_request", "Not a Stripe event");
      }
      return { provider: "stripe", id: event.id, type: event.type, ...eventDetails(event) };
    },

    async fetchSubscription(id) {
      const sub = await call("reading a subscription", () => stripe.subscriptions.retrieve(id));
      return subscriptionSnapshot(sub);
    },

    async fetchRefund(id) {
      const refund = await call("reading a refund", () => stripe.refunds.retrieve(id));
      return refundSnapshot(refund);
    },

    async createCustomer(account) {
      const customer = await call("creating the customer", () =>
        stripe.customers.create(
          { email: account.email, metadata: { accountId: account.id } },
          { idempotencyKey: `customer:${account.id}` },
        ),
      );
      return customer.id;
    },

    async startCheckout(input: CheckoutInput) {
      const session = await call("starting checkout", () =>
        stripe.checkout.sessions.create(
          {
            mode: "subscription",
            line_items: [{ price: input.providerPriceId, quantity: 1 }],
            client_reference_id: input.account.id,
            ...(input.providerCustomerId
              ? { customer: input.providerCustomerId }
              : { customer_email: input.account.email }),
            // Carried on the subscription so every later webhook names the account without a lookup.
            subscription_data: { metadata: { accountId: input.account.id, planId: input.plan.id } },
            metadata: { accountId: input.account.id },
            success_url: input.successUrl,
            cancel_url: input.cancelUrl,
          },
          { idempotencyKey: `checkout:${input.account.id}:${input.providerPriceId}:${bucket(now())}` },
        ),
      );
      if (!session.url)
        throw new AppError("delivery_failed", "Stripe answered a checkout session without a URL");
      const customer = session.customer;
      return {
        url: session.url,
        ...(customer ? { providerCustomerId: typeof customer === "string" ? customer : customer.id } : {}),
      };
    },

    async cancel(id, mode, intent = "") {
      // Per intent: Stripe replays a key's first answer for 24 h, so cancel → resume → cancel with
      // one key would silently do nothing the second time.
      const key = `cancel:${id}:${mode}:${intent}`;
      try {
        if (mode === "period_end") {
          await stripe.subscriptions.update(id, { cancel_at_period_end: true }, { idempotencyKey: key });
        } else {
          await stripe.subscriptions.cancel(id, {}, { idempotencyKey: key });
        }
      } catch (error) {
        // Cancelling what already ended is done, not an error (deletion retried, a race with Stripe).
        const sub = await call("reading a subscription", () => stripe.subscriptions.retrieve(id)).catch(
          () => null,
        );
        if (sub && (sub.status === "canceled" || sub.status === "incomplete_expired")) return;
        mapStripeError(error, "cancelling the subscription");
      }
    },

    async openPortal({ providerCustomerId, returnUrl }) {
      const session = await call("opening the billing portal", () =>
        stripe.billingPortal.sessions.create(
          { customer: providerCustomerId, return_url: returnUrl },
          // A one-minute bucket: a double click shares a session, but a portal link (short-lived at
          // Stripe) is never replayed from minutes ago.
          { idempotencyKey: `portal:${providerCustomerId}:${Math.floor(now() / 60_000)}` },
        ),
      );
      return { url: session.url };
    },
  };
}
