/**
 * zod shapes of the PayPal REST bodies we read (developer.paypal.com/docs/api: OAuth2 token,
 * Subscriptions v1, Plans v1, Webhooks v1 verify-webhook-signature, the PAYMENT.SALE resource).
 * Parse, don't trust: only the fields we use are declared; everything else passes through untouched
 * (`looseObject`), so PayPal adding a field never breaks us, and a missing field we rely on fails
 * loudly as a 502 instead of a wrong entitlement.
 */
import { z } from "zod";

/** PayPal money: `{ currency_code: "USD", value: "17.99" }` (Subscriptions) — value stays a string. */
export const PayPalMoney = z.looseObject({ currency_code: z.string().min(3).max(3), value: z.string() });

export const PayPalLink = z.looseObject({ href: z.string(), rel: z.string(), method: z.string().optional() });

/** POST /v1/oauth2/token (client_credentials). */
export const TokenResponse = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string(),
  expires_in: z.number().int().positive(),
});

/** PayPal's error body: REST `{ name, message, details[] }`, OAuth `{ error, error_description }`. */
export const PayPalErrorBody = z.looseObject({
  name: z.string().optional(),
  message: z.string().optional(),
  debug_id: z.string().optional(),
  details: z
    .array(z.looseObject({ issue: z.string().optional(), description: z.string().optional() }))
    .optional(),
  error: z.string().optional(),
  error_description: z.string().optional(),
});
export type PayPalErrorBody = z.infer<typeof PayPalErrorBody>;

export const SubscriptionStatus = z.enum([
  "APPROVAL_PENDING",
  "APPROVED",
  "ACTIVE",
  "SUSPENDED",
  "CANCELLED",
  "EXPIRED",
]);
export type PayPalSubscriptionStatus = z.infer<typeof SubscriptionStatus>;

/** GET /v1/billing/subscriptions/{id}, and the body of POST /v1/billing/subscriptions. */
export const PayPalSubscription = z.looseObject({
  id: z.string().min(1),
  status: SubscriptionStatus,
  plan_id: z.string().min(1),
  custom_id: z.string().optional(),
  create_time: z.string().optional(),
  subscriber: z
    .looseObject({ payer_id: z.string().optional(), email_address: z.string().optional() })
    .optional(),
  billing_info: z
    .looseObject({
      next_billing_time: z.string().optional(),
      /** Consecutive failed payments; PayPal resets it to 0 after a successful one. */
      failed_payments_count: z.number().int().nonnegative().optional(),
      outstanding_balance: PayPalMoney.optional(),
      last_payment: z.looseObject({ amount: PayPalMoney.optional(), time: z.string() }).optional(),
      last_failed_payment: z
        .looseObject({
          amount: PayPalMoney.optional(),
          time: z.string().optional(),
          reason_code: z.string().optional(),
        })
        .optional(),
    })
    .optional(),
  links: z.array(PayPalLink).optional(),
});
export type PayPalSubscription = z.infer<typeof PayPalSubscription>;

/** GET /v1/billing/plans/{id}: only the regular cycle's length matters to us. */
export const PayPalPlan = z.looseObject({
  id: z.string(),
  billing_cycles: z.array(
    z.looseObject({
      tenure_type: z.string(),
      frequency: z.looseObject({
        interval_unit: z.enum(["DAY", "WEEK", "MONTH", "YEAR"]),
        interval_count: z.number().int().positive().optional(),
      }),
    }),
  ),
});
export type PayPalPlan = z.infer<typeof PayPalPlan>;

/** POST /v1/notifications/verify-webhook-signature. */
export const VerifyResponse = z.looseObject({ verification_status: z.string() });

/** Any webhook event: the envelope we need; `resource` is parsed per event type. */
export const PayPalWebhookEvent = z.looseObject({
  id: z.string().min(1).max(255),
  event_type: z.string().min(1).max(255),
  create_time: z.string().optional(),
  resource: z.record(z.string(), z.unknown()),
});

/**
 * PAYMENT.SALE.REFUNDED resource (v1 Payments refund of a sale). amount.total is a decimal string;
 * PayPal's own samples of this event show it negative ("-0.01"), its refund API positive: either is read.
 */
export const PayPalRefund = z.looseObject({
  id: z.string().min(1),
  state: z.string().optional(),
  amount: z.looseObject({ total: z.string(), currency: z.string().min(3).max(3) }),
  sale_id: z.string().optional(),
});

/** PAYMENT.SALE.* resource (v1 Payments sale): amount.total is a decimal string. */
export const PayPalSale = z.looseObject({
  id: z.string().min(1),
  state: z.string().optional(),
  amount: z.looseObject({ total: z.string(), currency: z.string().min(3).max(3) }),
  billing_agreement_id: z.string().optional(),
  create_time: z.string().optional(),
});
