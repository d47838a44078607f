/**
 * PayPal as a BillingProvider (billing/provider.ts), on PayPal's REST API through ./client.ts.
 *
 * - Checkout = create a subscription (APPROVAL_PENDING) and send the viewer to its `approve` link;
 *   PayPal activates it after approval and tells us by webhook.
 * - Webhooks are verified by asking PayPal (`verify-webhook-signature` with our webhook id and the
 *   event as received); the core then re-reads the subscription, so an event's own resource only
 *   names which subscription changed (and carries the payment for invoices).
 * - PayPal has no "cancel at period end": cancel stops renewals at once and the subscription is
 *   CANCELLED, which we mirror as `canceled`, paid through the period already paid for.
 */
import { AppError } from "../../lib/errors";
import type {
  BillingProvider,
  CheckoutInput,
  CheckoutResult,
  SubscriptionSnapshot,
  VerifiedEvent,
} from "../provider";
import { PayPalApiError, PayPalClient, type PayPalClientOptions, type PayPalConfig } from "./client";
import { type Frequency, needsCycle, regularFrequency, toSnapshot, toVerifiedEvent } from "./mapping";
import { PayPalPlan, PayPalSubscription, PayPalWebhookEvent, VerifyResponse } from "./schemas";

/** Create keys repeat within this window: a double-click or a retry after a timeout gets the same one. */
export const CHECKOUT_KEY_WINDOW_MS = 10 * 60 * 1000;

/** The five headers PayPal signs a delivery with (Headers.get is case-insensitive). */
export const PAYPAL_SIGNATURE_HEADERS = {
  transmission_id: "paypal-transmission-id",
  transmission_time: "paypal-transmission-time",
  transmission_sig: "paypal-transmission-sig",
  cert_url: "paypal-cert-url",
  auth_algo: "paypal-auth-algo",
} as const;

/** Plan cycle lengths cannot change once a PayPal plan exists: safe to keep per isolate. */
const cycleCache = new Map<string, Frequency | null>();

function checkoutRequestId(accountId: string, providerPriceId: string, now: number): string {
  return `sub:${accountId}:${providerPriceId}:${Math.floor(now / CHECKOUT_KEY_WINDOW_MS)}`;
}

export function paypalProvider(cfg: PayPalConfig, opts: PayPalClientOptions = {}): BillingProvider {
  const client = new PayPalClient(cfg, opts);
  const now = opts.now ?? Date.now;

  async function cycleOf(planId: string): Promise<Frequency | null> {
    const key = `${cfg.apiUrl}\u0000${planId}`;
    if (cycleCache.has(key)) return cycleCache.get(key) ?? null;
    const plan = await client.request({
      method: "GET",
      path: `/v1/billing/plans/${encodeURIComponent(planId)}`,
      schema: PayPalPlan,
    });
    const cycle = regularFrequency(plan);
    cycleCache.set(key, cycle);
    return cycle;
  }

  async function snapshotOf(sub: PayPalSubscription): Promise<SubscriptionSnapshot> {
    return toSnapshot(sub, needsCycle(sub) ? await cycleOf(sub.plan_id) : null);
  }

  async function getSubscription(id: string): Promise<PayPalSubscription> {
    return client.request({
      method: "GET",
      path: `/v1/billing/subscriptions/${encodeURIComponent(id)}`,
      schema: PayPalSubscription,
    });
  }

  return {
    name: "paypal",

    async startCheckout(input: CheckoutInput): Promise<CheckoutResult> {
      const sub = await client.request({
        method: "POST",
        path: "/v1/billing/subscriptions",
        requestId: checkoutRequestId(input.account.id, input.providerPriceId, now()),
        headers: { prefer: "return=representation" },
        schema: PayPalSubscription,
        body: {
          plan_id: input.providerPriceId,
          custom_id: input.account.id,
          subscriber: { email_address: input.account.email },
          application_context: {
            brand_name: "Marquee",
            user_action: "SUBSCRIBE_NOW",
            shipping_preference: "NO_SHIPPING",
            return_url: input.successUrl,
            cancel_url: input.cancelUrl,
          },
        },
      });
      // The same request id within the window returns the first subscription: check it is this
      // account's and this plan's, never hand out someone else's approval link.
      if (sub.custom_id !== undefined && sub.custom_id !== input.account.id) {
        throw new AppError("delivery_failed", "PayPal returned a subscription for another account");
      }
      const approve = sub.links?.find((l) => l.rel === "approve")?.href;
      if (!approve || !/^https?:\/\//.test(approve)) {
        // Replayed key after the viewer already approved: nothing left to approve.
        throw new AppError(
          "conflict",
          `PayPal subscription ${sub.id} is ${sub.status}, not awaiting approval`,
        );
      }
      const snapshot = await snapshotOf(sub);
      return {
        url: approve,
        pending: {
          ...snapshot,
          // Prefer: return=representation may still leave these out; we sent them, so we know them.
          accountId: snapshot.accountId ?? input.account.id,
          providerPriceId: snapshot.providerPriceId || input.providerPriceId,
        },
      };
    },

    async fetchSubscription(providerSubscriptionId: string): Promise<SubscriptionSnapshot> {
      return snapshotOf(await getSubscription(providerSubscriptionId));
    },

    async cancel(providerSubscriptionId: string, mode: "period_end" | "now", intent = ""): Promise<void> {
      // Same call for both modes (PayPal has one cancel). For "now" the core ends access itself
      // (account deletion removes the mirror); PayPal's side is only "never charge again".
      try {
        await client.request({
          method: "POST",
          path: `/v1/billing/subscriptions/${encodeURIComponent(providerSubscriptionId)}/cancel`,
          // Per intent, as Stripe's: a replayed request id would answer the earlier cancel.
          requestId: `cancel:${providerSubscriptionId}:${mode}:${intent}`,
          body: { reason: mode === "now" ? "Account closed" : "Cancelled by the subscriber" },
        });
      } catch (err) {
        // PayPal answers 422 when the status allows no cancel. Already CANCELLED/EXPIRED (a retry,
        // a second device, deletion after a cancel) is what we wanted. APPROVAL_PENDING cannot be
        // cancelled and charges nothing unless the person approves it; if they do, the ACTIVATED
        // webhook reaches the core, which cancels a subscription whose account is gone.
        if (!(err instanceof PayPalApiError) || err.providerStatus !== 422) throw err;
        const current = await getSubscription(providerSubscriptionId);
        if (!["CANCELLED", "EXPIRED", "APPROVAL_PENDING"].includes(current.status)) throw err;
      }
    },

    async verifyWebhook(headers: Headers, rawBody: string): Promise<VerifiedEvent> {
      const signature: Record<string, string> = {};
      for (const [field, header] of Object.entries(PAYPAL_SIGNATURE_HEADERS)) {
        const value = headers.get(header);
        if (!value)
          throw new AppError("bad_request", `PayPal webhook without the ${header.toUpperCase()} header`);
        signature[field] = value;
      }
      // Cheap checks first, so a forged POST costs no PayPal call (verify-webhook-signature).
      checkSignatureHeaders(signature, cfg.apiUrl, now());
      let json: unknown;
      try {
        json = JSON.parse(rawBody);
      } catch {
        throw new AppError("bad_request", "PayPal webhook body is not JSON");
      }
      const envelope = PayPalWebhookEvent.safeParse(json);
      if (!envelope.success) throw new AppError("bad_request", "PayPal webhook body is not an event");

      // The event exactly as parsed from the raw body (not zod's output, which may reorder keys):
      // PayPal checks the signature over the event it is given.
      const body = { ...signature, webhook_id: client.webhookId, webhook_event: json };
      let verdict: { verification_status: string };
      try {
        verdict = await client.request({
          method: "POST",
          path: "/v1/notifications/verify-webhook-signature",
          // Keyed by the whole request, never by a header alone: an idempotency replay of an earlier
          // SUCCESS for the same transmission id must not vouch for a different body.
          requestId: `verify:${await sha256Hex(JSON.stringify(body))}`,
          schema: VerifyResponse,
          body,
        });
      } catch (err) {
        // PayPal refusing the verification request itself (malformed headers) is a forged delivery too;
        // timeouts and 5xx stay 503/502 so the delivery is retried.
        if (err instanceof PayPalApiError && err.status === 400) {
          throw new AppError("bad_request", "PayPal webhook signature could not be verified");
        }
        throw err;
      }
      if (verdict.verification_status !== "SUCCESS") {
        throw new AppError("bad_request", "PayPal webhook signature is not valid");
      }
      try {
        return toVerifiedEvent(envelope.data);
      } catch (err) {
        throw new AppError("bad_request", `PayPal ${envelope.data.event_type} resource is not understood`, {
          cause: err,
        });
      }
    },
  };
}

/**
 * How old PAYPAL-TRANSMISSION-TIME may be: PayPal retries a failed delivery for up to 3 days, and
 * whether a retry carries a fresh transmission time is not something we rely on, so the window is
 * the retry period plus a day. Older deliveries are replays (the event-id record stops those too,
 * but this check answers before spending a PayPal call). Ahead of now: only clock skew.
 */
export const TRANSMISSION_MAX_AGE_MS = 4 * 24 * 3600 * 1000;
export const TRANSMISSION_MAX_SKEW_MS = 5 * 60 * 1000;
const AUTH_ALGOS = new Set(["SHA256withRSA"]);

/**
 * Refuses (400) headers PayPal never sends, before asking PayPal: a transmission time older than
 * PayPal's retry period or from the future, a cert URL that is not PayPal's over https (for a
 * local sandbox apiUrl: not the sandbox's own host), an algorithm PayPal does not use.
 */
export function checkSignatureHeaders(h: Record<string, string>, apiUrl: string, now: number): void {
  const bad = (why: string) => new AppError("bad_request", `PayPal webhook refused: ${why}`);
  const sent = Date.parse(h.transmission_time ?? "");
  if (Number.isNaN(sent) || now - sent > TRANSMISSION_MAX_AGE_MS || sent - now > TRANSMISSION_MAX_SKEW_MS) {
    throw bad("transmission time outside the replay window");
  }
  if (!AUTH_ALGOS.has(h.auth_algo ?? "")) throw bad("unknown auth algorithm");
  let cert: URL;
  try {
    cert = new URL(h.cert_url ?? "");
  } catch {
    throw bad("cert URL is not a URL");
  }
  const api = new URL(apiUrl);
  const paypal = api.hostname === "paypal.com" || api.hostname.endsWith(".paypal.com");
  const trusted = paypal
    ? cert.protocol === "https:" && cert.hostname.endsWith(".paypal.com")
    : cert.hostname === api.hostname;
  if (!trusted) throw bad("cert URL is not PayPal's");
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
