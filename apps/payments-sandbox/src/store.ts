/**
 * The sandbox's whole state, in memory: Stripe and PayPal objects (kept in their wire shapes, so a
 * read is a copy), the idempotency caches, the armed test controls, the clock and the webhook
 * dispatcher. One instance per `startPaymentsSandbox` call.
 */
import { randomBytes } from "node:crypto";
import { SandboxClock } from "./clock";
import { SANDBOX_CREDENTIALS } from "./credentials";
import type { Reply } from "./http";
import { newId } from "./http";
import type { PaypalExtras, PaypalRefund, PaypalSale, PaypalSubscription } from "./paypal/types";
import type {
  CheckoutExtras,
  StripeAccount,
  StripeCharge,
  StripeCheckoutSession,
  StripeCustomer,
  StripeInvoice,
  StripeInvoicePayment,
  StripePaymentIntent,
  StripePortalSession,
  StripeRefund,
  StripeSubscription,
  StripeTransfer,
} from "./stripe/types";
import { WebhookDispatcher as Dispatcher, type WebhookDispatcher, type WebhookTargets } from "./webhooks";

export interface ArmedFailure {
  /** A Stripe `sub_…` or PayPal `I-…` id; unset: the next payment of any subscription. */
  subscription?: string;
}

export interface DropRule {
  method?: string;
  pathPrefix?: string;
}

export interface FailRule {
  count: number;
  status: number;
  pathPrefix?: string;
}

export interface IdempotentEntry {
  fingerprint: string;
  reply: Reply;
  storedAt: number;
}

export class SandboxState {
  readonly clock = new SandboxClock();
  readonly webhooks: WebhookDispatcher;
  readonly paypalSigningKey = randomBytes(32).toString("hex");
  /** The webhook id PayPal transmissions are signed for (verify-webhook-signature checks it). */
  readonly paypalWebhookId: string;

  // Stripe
  readonly customers = new Map<string, StripeCustomer>();
  readonly subscriptions = new Map<string, StripeSubscription>();
  readonly invoices = new Map<string, StripeInvoice>();
  readonly sessions = new Map<string, StripeCheckoutSession>();
  readonly checkoutExtras = new Map<string, CheckoutExtras>();
  readonly portalSessions = new Map<string, StripePortalSession>();
  readonly accounts = new Map<string, StripeAccount>();
  readonly accountLinks = new Map<string, { account: string; return_url: string; refresh_url: string }>();
  readonly transfers = new Map<string, StripeTransfer>();
  /** A paid invoice's payment: invoice id → its InvoicePayment; the intent and charge it names. */
  readonly invoicePayments = new Map<string, StripeInvoicePayment>();
  readonly paymentIntents = new Map<string, StripePaymentIntent>();
  readonly charges = new Map<string, StripeCharge>();
  readonly refunds = new Map<string, StripeRefund>();
  /** `${apiKey}\n${Idempotency-Key}` → the first answer (Stripe keeps keys 24 hours). */
  readonly idempotency = new Map<string, IdempotentEntry>();

  // PayPal
  readonly paypalSubscriptions = new Map<string, PaypalSubscription>();
  readonly paypalExtras = new Map<string, PaypalExtras>();
  readonly paypalSales = new Map<string, PaypalSale>();
  readonly paypalRefunds = new Map<string, PaypalRefund>();
  readonly paypalTokens = new Map<string, number>();
  /** `${path}\n${PayPal-Request-Id}` → the first successful answer. */
  readonly paypalRequests = new Map<string, Reply>();

  // Test controls
  readonly failures: ArmedFailure[] = [];
  readonly drops: DropRule[] = [];
  failRequests: FailRule | null = null;

  constructor(
    readonly publicUrl: string,
    readonly apiVersion: string,
    targets: Omit<WebhookTargets, "paypalSigningKey" | "publicUrl">,
    retryDelaysMs: number[],
  ) {
    this.paypalWebhookId = targets.paypal?.webhookId ?? SANDBOX_CREDENTIALS.paypalWebhookId;
    this.webhooks = new Dispatcher(
      { ...targets, paypalSigningKey: this.paypalSigningKey, publicUrl },
      retryDelaysMs,
    );
  }

  /** Consumes an armed payment failure that applies to `subscriptionId`, if any. */
  takeFailure(subscriptionId: string): boolean {
    const i = this.failures.findIndex((f) => f.subscription === subscriptionId);
    const j = i >= 0 ? i : this.failures.findIndex((f) => f.subscription === undefined);
    if (j < 0) return false;
    this.failures.splice(j, 1);
    return true;
  }

  /** Emits a Stripe event (`data.object` is a snapshot now) and queues its delivery. */
  stripeEvent(
    type: string,
    object: { id: string },
    orderKey: string,
    previous?: Record<string, unknown>,
  ): string {
    const id = newId("evt", 24);
    const event = {
      id,
      object: "event",
      api_version: this.apiVersion,
      created: this.clock.now(),
      data: previous ? { object, previous_attributes: previous } : { object },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
    };
    this.webhooks.enqueue("stripe", id, type, orderKey, JSON.stringify(event));
    return id;
  }

  /** Emits a PayPal event (`resource` is a snapshot now) and queues its delivery. */
  paypalEvent(
    type: string,
    resourceType: string,
    resource: unknown,
    summary: string,
    orderKey: string,
  ): string {
    const id = `WH-${randomBytes(12).toString("hex").toUpperCase()}`;
    const event = {
      id,
      event_version: "1.0",
      create_time: new Date(this.clock.now() * 1000).toISOString(),
      resource_type: resourceType,
      resource_version: "2.0",
      event_type: type,
      summary,
      resource,
      links: [
        { href: `${this.publicUrl}/v1/notifications/webhooks-events/${id}`, rel: "self", method: "GET" },
      ],
    };
    this.webhooks.enqueue("paypal", id, type, orderKey, JSON.stringify(event));
    return id;
  }
}
