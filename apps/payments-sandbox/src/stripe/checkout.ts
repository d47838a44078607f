/** Checkout Sessions (mode=subscription) and Billing Portal sessions. */
import { list, metadataOf, obj, str } from "../form";
import { newId } from "../http";
import type { StripeCall, StripeRoutes } from "./api";
import { findPrice, missing, paramInvalid, paramMissing } from "./objects";
import type { StripeCheckoutSession, StripePortalSession } from "./types";

export const checkoutRoutes: StripeRoutes = (call) => {
  const [a, b] = call.segs;
  if (a === "checkout" && b === "sessions") return sessions(call);
  if (a === "billing_portal" && b === "sessions") return portal(call);
  return undefined;
};

function sessions({ state, req, form, segs, ok }: StripeCall) {
  const id = segs[2];
  if (id) {
    if (req.method !== "GET") return undefined;
    const session = state.sessions.get(id);
    return session && segs.length === 3 ? ok(session) : missing("checkout.session", id);
  }
  if (req.method !== "POST") return undefined;
  const mode = str(form.mode);
  if (!mode) return paramMissing("mode");
  if (mode !== "subscription") return paramInvalid("mode", "The sandbox supports mode=subscription only.");
  const successUrl = str(form.success_url);
  if (!successUrl) return paramMissing("success_url");
  const lineItems = list(form.line_items);
  if (lineItems.length !== 1) return paramInvalid("line_items", "The sandbox sells exactly one line item.");
  const line = obj(lineItems[0]) ?? {};
  const priceId = str(line.price);
  if (!priceId) return paramMissing("line_items[0][price]");
  const price = findPrice(priceId);
  if (!price) return missing("price", priceId, "line_items[0][price]");
  const quantity = Number(str(line.quantity) ?? "1");
  if (!Number.isInteger(quantity) || quantity < 1) {
    return paramInvalid("line_items[0][quantity]", "Invalid integer: quantity");
  }
  const customer = str(form.customer) || null;
  if (customer && !state.customers.get(customer)) return missing("customer", customer, "customer");
  const customerEmail = str(form.customer_email) || null;
  if (customer && customerEmail) {
    return paramInvalid(
      "customer_email",
      "You may only specify one of these parameters: customer, customer_email.",
    );
  }
  const now = state.clock.now();
  const sessionId = newId("cs_test", 58, "_");
  const session: StripeCheckoutSession = {
    id: sessionId,
    object: "checkout.session",
    amount_subtotal: price.unit_amount * quantity,
    amount_total: price.unit_amount * quantity,
    cancel_url: str(form.cancel_url) || null,
    client_reference_id: str(form.client_reference_id) || null,
    created: now,
    currency: price.currency,
    customer,
    customer_creation: customer ? null : "always",
    customer_details: null,
    customer_email: customer ? (state.customers.get(customer)?.email ?? null) : customerEmail,
    expires_at: now + 24 * 60 * 60,
    invoice: null,
    livemode: false,
    metadata: metadataOf(form.metadata),
    mode: "subscription",
    payment_status: "unpaid",
    status: "open",
    subscription: null,
    success_url: successUrl,
    url: `${state.publicUrl}/checkout/${sessionId}`,
  };
  state.sessions.set(sessionId, session);
  state.checkoutExtras.set(sessionId, {
    price: price.id,
    quantity,
    subscriptionMetadata: metadataOf(obj(form.subscription_data)?.metadata),
  });
  return ok(session);
}

function portal({ state, req, form, segs, ok }: StripeCall) {
  if (req.method !== "POST" || segs.length !== 2) return undefined;
  const customer = str(form.customer);
  if (!customer) return paramMissing("customer");
  if (!state.customers.get(customer)) return missing("customer", customer, "customer");
  const id = newId("bps", 24);
  const session: StripePortalSession = {
    id,
    object: "billing_portal.session",
    configuration: "bpc_sandbox_default",
    created: state.clock.now(),
    customer,
    livemode: false,
    return_url: str(form.return_url) || null,
    url: `${state.publicUrl}/portal/${id}`,
  };
  state.portalSessions.set(id, session);
  return ok(session);
}
