/** Subscriptions: retrieve, list, update (cancel at period end, price swap, metadata), cancel. */
import { bool, list, metadataOf, obj, str } from "../form";
import type { StripeRoutes } from "./api";
import { cancelNow, type SubscriptionChanges, updateSubscription } from "./billing";
import { findPrice, listOf, missing, paramInvalid } from "./objects";

export const subscriptionRoutes: StripeRoutes = (call) => {
  if (call.segs[0] !== "subscriptions") return undefined;
  const { state, req, form, segs, ok } = call;
  const id = segs[1];
  if (!id) {
    if (req.method !== "GET") return undefined;
    const customer = str(form.customer);
    const price = str(form.price);
    // Stripe lists every status but canceled unless asked for `all` or `canceled`.
    const status = str(form.status);
    const all = [...state.subscriptions.values()]
      .reverse()
      .filter(
        (s) =>
          (!customer || s.customer === customer) &&
          (!price || s.items.data.some((i) => i.price.id === price)) &&
          (status === "all" ? true : status ? s.status === status : s.status !== "canceled"),
      );
    return ok(listOf("/v1/subscriptions", all, req.query));
  }
  const sub = state.subscriptions.get(id);
  if (!sub || segs.length > 2) return missing("subscription", id);
  if (req.method === "GET") return ok(sub);
  if (req.method === "DELETE") {
    cancelNow(state, sub);
    return ok(sub);
  }
  if (req.method !== "POST") return undefined;
  if (sub.status === "canceled") {
    return paramInvalid(
      "id",
      `A canceled subscription can only update its cancellation_details and metadata.`,
    );
  }
  const changes: SubscriptionChanges = {};
  const cancel = bool(form.cancel_at_period_end);
  if (form.cancel_at_period_end !== undefined && cancel === undefined) {
    return paramInvalid("cancel_at_period_end", "Invalid boolean: cancel_at_period_end");
  }
  if (cancel !== undefined) changes.cancelAtPeriodEnd = cancel;
  if (form.metadata !== undefined) changes.metadata = metadataOf(form.metadata, sub.metadata);
  const items = list(form.items);
  if (items.length > 1) return paramInvalid("items", "The sandbox supports one subscription item.");
  const item = obj(items[0]);
  if (item) {
    const itemId = str(item.id);
    if (itemId && !sub.items.data.some((i) => i.id === itemId)) {
      return missing("subscription_item", itemId, "items[0][id]");
    }
    const priceId = str(item.price) ?? str(item.plan);
    if (priceId) {
      const price = findPrice(priceId);
      if (!price) return missing("price", priceId, "items[0][price]");
      changes.price = price;
    }
  }
  updateSubscription(state, sub, changes);
  return ok(sub);
};
