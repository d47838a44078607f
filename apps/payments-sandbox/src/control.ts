/**
 * Test controls under `/__control/` (JSON in, JSON out, no auth: the sandbox only ever listens on
 * loopback in dev and tests). See the package README for each one.
 */
import { isoTime } from "./clock";
import { json, type Reply, type Req } from "./http";
import { advancePaypal } from "./paypal/billing";
import type { SandboxState } from "./store";
import { advanceStripe } from "./stripe/billing";
import { updateRefund } from "./stripe/payments";

const bad = (message: string) => json(400, { error: "bad_request", message });

export async function handleControl(state: SandboxState, req: Req): Promise<Reply> {
  const route = `${req.method} ${req.path.replace(/^\/__control/, "")}`;
  let body: Record<string, unknown> = {};
  if (req.method === "POST" && req.rawBody.trim()) {
    try {
      const parsed: unknown = JSON.parse(req.rawBody);
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
        return bad("expected a JSON object");
      body = parsed as Record<string, unknown>;
    } catch {
      return bad("invalid JSON");
    }
  }
  const optString = (k: string) => (typeof body[k] === "string" ? (body[k] as string) : undefined);
  switch (route) {
    case "GET /clock":
      return json(200, clockOf(state));
    case "POST /clock/advance": {
      const seconds = body.seconds;
      if (typeof seconds !== "number" || !Number.isInteger(seconds) || seconds < 0) {
        return bad("seconds must be a non-negative integer");
      }
      state.clock.advance(seconds);
      advanceStripe(state);
      advancePaypal(state);
      return json(200, clockOf(state));
    }
    case "POST /fail-next-payment": {
      const count = body.count === undefined ? 1 : body.count;
      if (typeof count !== "number" || !Number.isInteger(count) || count < 1)
        return bad("count must be >= 1");
      for (let i = 0; i < count; i++) state.failures.push({ subscription: optString("subscription") });
      return json(200, { armed: state.failures.length });
    }
    case "POST /drop-next-response":
      state.drops.push({ method: optString("method")?.toUpperCase(), pathPrefix: optString("pathPrefix") });
      return json(200, { armed: state.drops.length });
    case "POST /fail-next-requests": {
      const count = body.count === undefined ? 1 : body.count;
      const status = body.status === undefined ? 503 : body.status;
      if (typeof count !== "number" || !Number.isInteger(count) || count < 0)
        return bad("count must be >= 0");
      if (typeof status !== "number" || status < 500 || status > 599) return bad("status must be 5xx");
      state.failRequests = count > 0 ? { count, status, pathPrefix: optString("pathPrefix") } : null;
      return json(200, { armed: count });
    }
    case "GET /webhooks": {
      if (req.query.get("settle") === "1") await state.webhooks.idle();
      return json(200, { items: state.webhooks.log() });
    }
    case "POST /idempotency/forget": {
      // Stripe keeps a key's first answer for 24 hours; this is that window passing at once, so a
      // retry with an old key runs again (what a payout run must survive without paying twice).
      const forgotten = state.idempotency.size;
      state.idempotency.clear();
      return json(200, { forgotten });
    }
    case "POST /refunds/update": {
      const refund = optString("refund");
      const status = optString("status");
      if (!refund || !status) return bad("refund and status are required");
      const updated = updateRefund(state, refund, status, optString("failureReason"));
      return typeof updated === "string" ? bad(updated) : json(200, updated);
    }
    case "POST /webhooks/redeliver": {
      const eventId = optString("eventId");
      if (!eventId) return bad("eventId is required");
      return state.webhooks.redeliver(eventId)
        ? json(202, { eventId, redelivering: true })
        : json(404, { error: "not_found", message: `no delivered event ${eventId} with an endpoint` });
    }
    default:
      return json(404, { error: "not_found", message: `no control ${route}` });
  }
}

function clockOf(state: SandboxState) {
  const now = state.clock.now();
  return { now, iso: isoTime(now), offsetSeconds: state.clock.offset };
}
