/**
 * Stripe's `/v1` API: bearer auth with the sandbox key, form-encoded bodies (query strings for GET),
 * `Idempotency-Key` replay semantics, and the endpoint modules below.
 */
import { SANDBOX_CREDENTIALS } from "../credentials";
import { type FormObject, list, parseForm, str } from "../form";
import { header, json, newId, type Reply, type Req } from "../http";
import type { SandboxState } from "../store";
import { checkoutRoutes } from "./checkout";
import { connectRoutes } from "./connect";
import { expand, stripeError } from "./objects";
import { paymentRoutes } from "./payments";
import { resourceRoutes } from "./resources";
import { subscriptionRoutes } from "./subscriptions";

export interface StripeCall {
  state: SandboxState;
  req: Req;
  form: FormObject;
  /** Path segments after `/v1/`. */
  segs: string[];
  /** `expand[]` applied to an answer. */
  ok(value: unknown, status?: number): Reply;
}

export type StripeRoutes = (call: StripeCall) => Reply | undefined;

const ROUTES: StripeRoutes[] = [
  resourceRoutes,
  subscriptionRoutes,
  checkoutRoutes,
  connectRoutes,
  paymentRoutes,
];
const DAY_MS = 24 * 60 * 60 * 1000;

export function handleStripe(state: SandboxState, req: Req): Reply {
  const reply = authorised(state, req);
  const requestId = newId("req");
  return {
    ...reply,
    headers: {
      ...reply.headers,
      "request-id": requestId,
      "stripe-version": header(req, "stripe-version") ?? state.apiVersion,
    },
  };
}

function authorised(state: SandboxState, req: Req): Reply {
  const auth = header(req, "authorization") ?? "";
  const apiKey = /^Bearer (.+)$/i.exec(auth)?.[1] ?? basicUser(auth);
  if (!apiKey) {
    return stripeError(
      401,
      "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
    );
  }
  if (apiKey !== SANDBOX_CREDENTIALS.stripeSecretKey) {
    return stripeError(401, `Invalid API Key provided: ${apiKey.slice(0, 8)}${"*".repeat(8)}`, {
      code: "api_key_invalid",
    });
  }
  const key = header(req, "idempotency-key");
  if (req.method !== "POST" || !key) return route(state, req);
  return idempotent(state, apiKey, key, req);
}

/** Stripe also accepts the key as the Basic user name (`curl -u sk_test_…:`). */
function basicUser(auth: string): string | undefined {
  const m = /^Basic (.+)$/i.exec(auth);
  if (!m?.[1]) return undefined;
  return Buffer.from(m[1], "base64").toString("utf8").split(":")[0] || undefined;
}

/**
 * Stripe's rules: the first answer to a key is kept for 24 hours and replayed (with
 * `Idempotent-Replayed: true`) for the same request; the same key with other parameters or another
 * endpoint is a 400 `idempotency_error`. Validation failures (400) and auth errors are not kept, so
 * a corrected retry with the same key runs; a 5xx is never kept either (the request didn't commit).
 */
function idempotent(state: SandboxState, apiKey: string, key: string, req: Req): Reply {
  const now = Date.now();
  for (const [k, entry] of state.idempotency) if (now - entry.storedAt > DAY_MS) state.idempotency.delete(k);
  const storeKey = `${apiKey}\n${key}`;
  const fingerprint = `${req.method} ${req.path}\n${req.rawBody}`;
  const stored = state.idempotency.get(storeKey);
  if (stored) {
    if (stored.fingerprint !== fingerprint) {
      return stripeError(
        400,
        `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
        { type: "idempotency_error" },
      );
    }
    return { ...stored.reply, headers: { ...stored.reply.headers, "idempotent-replayed": "true" } };
  }
  const reply = route(state, req);
  if (reply.status < 400 || reply.status === 402 || reply.status === 404) {
    state.idempotency.set(storeKey, { fingerprint, reply, storedAt: now });
  }
  return { ...reply, headers: { ...reply.headers, "original-request": newId("req") } };
}

function route(state: SandboxState, req: Req): Reply {
  const form = parseForm(req.method === "GET" || req.method === "DELETE" ? req.rawQuery : req.rawBody);
  // Bodies on DELETE are allowed too (stripe-node sends params in the query for DELETE).
  if (req.method === "DELETE" && req.rawBody) Object.assign(form, parseForm(req.rawBody));
  const paths = list(form.expand)
    .map(str)
    .filter((p): p is string => Boolean(p));
  const call: StripeCall = {
    state,
    req,
    form,
    segs: req.path
      .replace(/^\/v1\//, "")
      .split("/")
      .filter(Boolean),
    ok: (value, status = 200) => json(status, paths.length ? expand(state, value, paths) : value),
  };
  for (const routes of ROUTES) {
    const reply = routes(call);
    if (reply) return reply;
  }
  return stripeError(404, `Unrecognized request URL (${req.method}: ${req.path}).`);
}
