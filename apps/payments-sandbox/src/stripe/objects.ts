/** Building Stripe wire objects: catalogue prices/products, lists, errors and `expand[]`. */
import { type CataloguePrice, PRICES, PRODUCTS, priceByStripeId } from "../catalogue";
import { json, type Reply } from "../http";
import type { SandboxState } from "../store";
import type { StripeList, StripePrice } from "./types";

/** The catalogue's creation time: fixed, so objects compare equal across reads. */
const CATALOGUE_CREATED = 1_767_225_600; // 2026-01-01

export function priceObject(p: CataloguePrice): StripePrice {
  return {
    id: p.stripeId,
    object: "price",
    active: true,
    billing_scheme: "per_unit",
    created: CATALOGUE_CREATED,
    currency: p.currency,
    livemode: false,
    lookup_key: p.stripeId.replace(/^price_/, ""),
    metadata: {},
    nickname: `${p.product.name} (${p.interval === "year" ? "yearly" : "monthly"})`,
    product: p.product.stripeId,
    recurring: { interval: p.interval, interval_count: 1, usage_type: "licensed", meter: null },
    tax_behavior: "unspecified",
    type: "recurring",
    unit_amount: p.amountCents,
    unit_amount_decimal: String(p.amountCents),
  };
}

/** The legacy `plan` object Stripe still puts beside `price` on subscriptions and items. */
export function planObject(p: StripePrice): Record<string, unknown> {
  return {
    id: p.id,
    object: "plan",
    active: true,
    amount: p.unit_amount,
    amount_decimal: p.unit_amount_decimal,
    billing_scheme: "per_unit",
    created: p.created,
    currency: p.currency,
    interval: p.recurring.interval,
    interval_count: 1,
    livemode: false,
    metadata: {},
    nickname: p.nickname,
    product: p.product,
    usage_type: "licensed",
  };
}

export function productObject(id: string): Record<string, unknown> | undefined {
  const p = PRODUCTS.find((x) => x.stripeId === id);
  if (!p) return undefined;
  return {
    id: p.stripeId,
    object: "product",
    active: true,
    created: CATALOGUE_CREATED,
    default_price: PRICES.find((x) => x.product === p && x.interval === "month")?.stripeId ?? null,
    description: null,
    images: [],
    livemode: false,
    metadata: {},
    name: p.name,
    type: "service",
    updated: CATALOGUE_CREATED,
    url: null,
  };
}

export const findPrice = (id: string): StripePrice | undefined => {
  const p = priceByStripeId(id);
  return p ? priceObject(p) : undefined;
};

/** Stripe's cursor pagination over `items` (newest first, as Stripe lists). */
export function listOf<T extends { id: string }>(
  url: string,
  items: T[],
  query: URLSearchParams,
): StripeList<T> {
  const limit = Math.min(Math.max(Number(query.get("limit") ?? 10) || 10, 1), 100);
  let start = 0;
  const after = query.get("starting_after");
  if (after) start = items.findIndex((x) => x.id === after) + 1;
  const before = query.get("ending_before");
  let slice = items.slice(start);
  if (before) {
    const end = items.findIndex((x) => x.id === before);
    slice = items.slice(Math.max(0, end - limit), Math.max(0, end));
  }
  return { object: "list", data: slice.slice(0, limit), has_more: slice.length > limit, url };
}

export interface StripeErrorBody {
  type?: "invalid_request_error" | "api_error" | "card_error" | "idempotency_error";
  code?: string;
  param?: string;
  decline_code?: string;
}

export function stripeError(status: number, message: string, extra: StripeErrorBody = {}): Reply {
  const { type = "invalid_request_error", ...rest } = extra;
  return json(status, { error: { type, message, ...rest } });
}

export function missing(kind: string, id: string, param = "id"): Reply {
  return stripeError(404, `No such ${kind}: '${id}'`, { code: "resource_missing", param });
}

export function paramMissing(param: string): Reply {
  return stripeError(400, `Missing required param: ${param}.`, { code: "parameter_missing", param });
}

export function paramInvalid(param: string, message: string): Reply {
  return stripeError(400, message, { code: "parameter_invalid", param });
}

/** Looks an id up by its prefix (what `expand[]` replaces). */
function byId(state: SandboxState, id: string): unknown {
  if (id.startsWith("cus_")) return state.customers.get(id);
  if (id.startsWith("sub_")) return state.subscriptions.get(id);
  if (id.startsWith("in_")) return state.invoices.get(id);
  if (id.startsWith("cs_")) return state.sessions.get(id);
  if (id.startsWith("acct_")) return state.accounts.get(id);
  if (id.startsWith("ch_")) return state.charges.get(id);
  if (id.startsWith("pi_")) return state.paymentIntents.get(id);
  if (id.startsWith("re_")) return state.refunds.get(id);
  if (id.startsWith("price_")) return findPrice(id);
  if (id.startsWith("prod_")) return productObject(id);
  return undefined;
}

/**
 * Applies `expand[]` paths (`subscription`, `data.customer`, `items.data.price.product`) to a deep copy:
 * each id string on the path becomes the object it names; arrays on the way are walked element-wise.
 */
export function expand(state: SandboxState, value: unknown, paths: string[]): unknown {
  const copy = structuredClone(value);
  for (const path of paths) expandPath(state, copy, path.split("."));
  return copy;
}

function expandPath(state: SandboxState, node: unknown, segs: string[]): void {
  if (Array.isArray(node)) {
    for (const el of node) expandPath(state, el, segs);
    return;
  }
  if (typeof node !== "object" || node === null || segs.length === 0) return;
  const [head, ...rest] = segs as [string, ...string[]];
  const rec = node as Record<string, unknown>;
  const v = rec[head];
  if (typeof v === "string") {
    const found = byId(state, v);
    if (found !== undefined) rec[head] = structuredClone(found);
  }
  if (rest.length > 0) expandPath(state, rec[head], rest);
}
