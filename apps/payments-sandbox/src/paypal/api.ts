/**
 * PayPal's REST API subset: OAuth client-credentials tokens, catalog products, billing plans,
 * subscriptions (with `PayPal-Request-Id` idempotency) and verify-webhook-signature. JSON bodies;
 * errors in PayPal's `{name, message, debug_id, details[]}` shape.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import { PRICES, PRODUCTS, priceByPaypalPlan } from "../catalogue";
import { isoTime } from "../clock";
import { SANDBOX_CREDENTIALS } from "../credentials";
import { centsToDecimal, header, json, type Reply, type Req } from "../http";
import type { SandboxState } from "../store";
import { paypalSignature } from "../webhooks";
import { activate, cancel, suspend } from "./billing";
import { saleRoutes } from "./sales";
import type { PaypalSubscription } from "./types";

const PREFIXES = ["/v1/oauth2/", "/v1/billing/", "/v1/catalogs/", "/v1/notifications/", "/v1/payments/"];
export const isPaypalPath = (path: string) => PREFIXES.some((p) => path.startsWith(p));

const TOKEN_SECONDS = 32_400;
const CATALOGUE_TIME = "2026-01-01T00:00:00Z";

export function paypalError(
  status: number,
  name: string,
  message: string,
  details: { issue: string; description: string; field?: string }[] = [],
): Reply {
  return json(status, {
    name,
    message,
    debug_id: randomBytes(7).toString("hex"),
    details,
    links: [
      { href: "https://developer.paypal.com/api/rest/reference/orders/v2/errors/", rel: "information_link" },
    ],
  });
}

const notFound = (what: string, id: string) =>
  paypalError(404, "RESOURCE_NOT_FOUND", "The specified resource does not exist.", [
    { issue: "INVALID_RESOURCE_ID", description: `${what} ${id} does not exist.` },
  ]);

const invalid = (field: string, description: string) =>
  paypalError(
    400,
    "INVALID_REQUEST",
    "Request is not well-formed, syntactically incorrect, or violates schema.",
    [{ field, issue: "MISSING_REQUIRED_PARAMETER", description }],
  );

export function handlePaypal(state: SandboxState, req: Req): Reply {
  if (req.path === "/v1/oauth2/token") return token(state, req);
  const bearer = /^Bearer (.+)$/i.exec(header(req, "authorization") ?? "")?.[1];
  const expires = bearer ? state.paypalTokens.get(bearer) : undefined;
  if (!expires || expires < Date.now()) {
    return paypalError(
      401,
      "AUTHENTICATION_FAILURE",
      "Authentication failed due to invalid authentication credentials or a missing Authorization header.",
    );
  }
  let body: Record<string, unknown> = {};
  if (req.rawBody.trim()) {
    try {
      const parsed: unknown = JSON.parse(req.rawBody);
      if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed))
        body = parsed as typeof body;
      else return invalid("/", "The request body must be a JSON object.");
    } catch {
      return paypalError(
        400,
        "INVALID_REQUEST",
        "Request is not well-formed, syntactically incorrect, or violates schema.",
        [{ issue: "MALFORMED_REQUEST_JSON", description: "The request JSON is not well formed." }],
      );
    }
  }
  // `PayPal-Request-Id` on any POST: the first successful answer is replayed for the same id and
  // endpoint (a cancel retried after a lost response is 204 again, not 422).
  const requestId = req.method === "POST" ? header(req, "paypal-request-id") : undefined;
  const replayKey = `${req.path}\n${requestId}`;
  const replay = requestId ? state.paypalRequests.get(replayKey) : undefined;
  if (replay) return replay;
  const reply = route(state, req, body);
  if (requestId && reply.status >= 200 && reply.status < 300) state.paypalRequests.set(replayKey, reply);
  return reply;
}

function route(state: SandboxState, req: Req, body: Record<string, unknown>): Reply {
  const segs = req.path.split("/").filter(Boolean).slice(1); // after "v1"
  const [area, kind, id, action] = segs;
  if (area === "catalogs" && kind === "products" && req.method === "GET") return products(state, id);
  if (area === "billing" && kind === "plans" && req.method === "GET") return plans(state, req, id);
  if (area === "billing" && kind === "subscriptions") {
    if (!id && req.method === "POST") return createSubscription(state, body);
    if (id && !action && req.method === "GET") {
      const sub = state.paypalSubscriptions.get(id);
      return sub ? json(200, sub) : notFound("Subscription", id);
    }
    if (id && action && req.method === "POST") return transition(state, id, action, body);
  }
  if (area === "payments") {
    const reply = saleRoutes(state, req.method, segs, body, paypalError);
    if (reply) return reply;
  }
  if (area === "notifications" && kind === "verify-webhook-signature" && req.method === "POST") {
    return verify(state, body);
  }
  return paypalError(404, "RESOURCE_NOT_FOUND", `No route ${req.method} ${req.path} in the sandbox.`);
}

function token(state: SandboxState, req: Req): Reply {
  const basic = /^Basic (.+)$/i.exec(header(req, "authorization") ?? "")?.[1];
  const [client, secret] = basic ? Buffer.from(basic, "base64").toString("utf8").split(":") : [];
  if (client !== SANDBOX_CREDENTIALS.paypalClientId || secret !== SANDBOX_CREDENTIALS.paypalClientSecret) {
    return json(401, { error: "invalid_client", error_description: "Client Authentication failed" });
  }
  if (new URLSearchParams(req.rawBody).get("grant_type") !== "client_credentials") {
    return json(400, { error: "unsupported_grant_type", error_description: "Grant Type is NULL" });
  }
  const accessToken = `A21AA${randomBytes(32).toString("base64url")}`;
  state.paypalTokens.set(accessToken, Date.now() + TOKEN_SECONDS * 1000);
  return json(200, {
    scope:
      "https://uri.paypal.com/services/subscriptions https://uri.paypal.com/services/applications/webhooks",
    access_token: accessToken,
    token_type: "Bearer",
    app_id: "APP-SANDBOX-MARQUEE",
    expires_in: TOKEN_SECONDS,
    nonce: `${isoTime(Math.floor(Date.now() / 1000))}${randomBytes(8).toString("hex")}`,
  });
}

function productObject(state: SandboxState, p: (typeof PRODUCTS)[number]) {
  return {
    id: p.paypalId,
    name: p.name,
    description: `Marquee ${p.name}`,
    type: "SERVICE",
    category: "SOFTWARE",
    create_time: CATALOGUE_TIME,
    update_time: CATALOGUE_TIME,
    links: [{ href: `${state.publicUrl}/v1/catalogs/products/${p.paypalId}`, rel: "self", method: "GET" }],
  };
}

function products(state: SandboxState, id?: string): Reply {
  if (!id) return json(200, { products: PRODUCTS.map((p) => productObject(state, p)), links: [] });
  const p = PRODUCTS.find((x) => x.paypalId === id);
  return p ? json(200, productObject(state, p)) : notFound("Product", id);
}

function planObject(state: SandboxState, p: (typeof PRICES)[number]) {
  return {
    id: p.paypalPlanId,
    product_id: p.product.paypalId,
    name: `${p.product.name} (${p.interval === "year" ? "yearly" : "monthly"})`,
    status: "ACTIVE",
    usage_type: "LICENSED",
    billing_cycles: [
      {
        pricing_scheme: {
          version: 1,
          fixed_price: { currency_code: "USD", value: centsToDecimal(p.amountCents) },
        },
        frequency: { interval_unit: p.interval.toUpperCase(), interval_count: 1 },
        tenure_type: "REGULAR",
        sequence: 1,
        total_cycles: 0,
      },
    ],
    payment_preferences: {
      auto_bill_outstanding: true,
      setup_fee_failure_action: "CONTINUE",
      payment_failure_threshold: 3,
    },
    create_time: CATALOGUE_TIME,
    update_time: CATALOGUE_TIME,
    links: [{ href: `${state.publicUrl}/v1/billing/plans/${p.paypalPlanId}`, rel: "self", method: "GET" }],
  };
}

function plans(state: SandboxState, req: Req, id?: string): Reply {
  if (!id) {
    const product = req.query.get("product_id");
    const all = PRICES.filter((p) => !product || p.product.paypalId === product);
    return json(200, { plans: all.map((p) => planObject(state, p)), links: [] });
  }
  const p = priceByPaypalPlan(id);
  return p ? json(200, planObject(state, p)) : notFound("Plan", id);
}

const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);
const rec = (v: unknown) => (typeof v === "object" && v !== null ? (v as Record<string, unknown>) : {});

function createSubscription(state: SandboxState, body: Record<string, unknown>): Reply {
  const planId = str(body.plan_id);
  if (!planId) return invalid("/plan_id", "A required field / parameter is missing.");
  if (!priceByPaypalPlan(planId)) return notFound("Plan", planId);
  const context = rec(body.application_context);
  const subscriber = rec(body.subscriber);
  const now = isoTime(state.clock.now());
  const id = `I-${randomBytes(9).toString("hex").toUpperCase().slice(0, 12)}`;
  const sub: PaypalSubscription = {
    id,
    plan_id: planId,
    status: "APPROVAL_PENDING",
    status_update_time: now,
    custom_id: str(body.custom_id),
    start_time: str(body.start_time) ?? now,
    quantity: "1",
    subscriber: {
      email_address: str(subscriber.email_address),
      name: subscriber.name ? (rec(subscriber.name) as PaypalSubscription["subscriber"]["name"]) : undefined,
    },
    billing_info: {
      outstanding_balance: { currency_code: "USD", value: "0.00" },
      cycle_executions: [
        { tenure_type: "REGULAR", sequence: 1, cycles_completed: 0, cycles_remaining: 0, total_cycles: 0 },
      ],
      failed_payments_count: 0,
    },
    create_time: now,
    update_time: now,
    plan_overridden: false,
    links: [
      { href: `${state.publicUrl}/paypal/approve/${id}`, rel: "approve", method: "GET" },
      { href: `${state.publicUrl}/v1/billing/subscriptions/${id}`, rel: "edit", method: "PATCH" },
      { href: `${state.publicUrl}/v1/billing/subscriptions/${id}`, rel: "self", method: "GET" },
    ],
  };
  state.paypalSubscriptions.set(id, sub);
  state.paypalExtras.set(id, {
    returnUrl: str(context.return_url) ?? `${state.publicUrl}/paypal/returned`,
    cancelUrl: str(context.cancel_url) ?? `${state.publicUrl}/paypal/cancelled`,
    brandName: str(context.brand_name),
    paidThrough: 0,
    nextAttempt: Number.POSITIVE_INFINITY,
  });
  return json(201, sub);
}

function transition(state: SandboxState, id: string, action: string, body: Record<string, unknown>): Reply {
  const sub = state.paypalSubscriptions.get(id);
  if (!sub) return notFound("Subscription", id);
  const reason = str(body.reason) ?? "";
  const allowed: Record<string, string[]> = {
    cancel: ["ACTIVE", "SUSPENDED", "APPROVED"],
    suspend: ["ACTIVE"],
    activate: ["SUSPENDED"],
  };
  const from = allowed[action];
  if (!from) return paypalError(404, "RESOURCE_NOT_FOUND", `No action ${action} in the sandbox.`);
  if (!from.includes(sub.status)) {
    return paypalError(
      422,
      "UNPROCESSABLE_ENTITY",
      "The requested action could not be performed, semantically incorrect, or failed business validation.",
      [
        {
          issue: "SUBSCRIPTION_STATUS_INVALID",
          description: `Invalid subscription status for ${action} action; subscription status should be one of ${from.join(", ")}.`,
        },
      ],
    );
  }
  if (action === "cancel") cancel(state, sub, reason);
  else if (action === "suspend") suspend(state, sub, reason);
  else activate(state, sub, reason);
  return { status: 204, headers: {}, body: "" };
}

/**
 * The sandbox signed `transmission_id|time|webhook_id|crc32(body)` with its own HMAC key. PayPal wants
 * the event back as parsed JSON, so the sandbox compares against the canonical re-serialisation
 * (`JSON.stringify` of what it receives), which equals the body it sent for any unmodified event: it
 * sent `JSON.stringify` output, and parse → stringify of that is the identity. Any edit fails.
 */
function verify(state: SandboxState, body: Record<string, unknown>): Reply {
  const fields = [
    "auth_algo",
    "cert_url",
    "transmission_id",
    "transmission_sig",
    "transmission_time",
    "webhook_id",
  ];
  for (const f of fields) if (!str(body[f])) return invalid(`/${f}`, `${f} is required.`);
  if (body.webhook_event === undefined) return invalid("/webhook_event", "webhook_event is required.");
  const eventText =
    typeof body.webhook_event === "string" ? body.webhook_event : JSON.stringify(body.webhook_event);
  const expected = paypalSignature(
    state.paypalSigningKey,
    body.transmission_id as string,
    body.transmission_time as string,
    body.webhook_id as string,
    eventText,
  );
  const given = Buffer.from(body.transmission_sig as string);
  const want = Buffer.from(expected);
  const configured = state.paypalWebhookId;
  const ok = given.length === want.length && timingSafeEqual(given, want) && body.webhook_id === configured;
  return json(200, { verification_status: ok ? "SUCCESS" : "FAILURE" });
}
