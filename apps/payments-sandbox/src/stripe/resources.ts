/** Customers, products, prices and invoices. */
import { PRICES, PRODUCTS } from "../catalogue";
import { list, metadataOf, str } from "../form";
import { newId } from "../http";
import type { StripeCall, StripeRoutes } from "./api";
import { findPrice, listOf, missing, priceObject, productObject } from "./objects";
import { withPayments } from "./payments";
import type { StripeCustomer } from "./types";

const newestFirst = <T extends { created: number }>(items: Iterable<T>): T[] =>
  [...items].reverse().sort((a, b) => b.created - a.created);

export const resourceRoutes: StripeRoutes = (call) => {
  const [kind] = call.segs;
  if (kind === "customers") return customers(call);
  if (kind === "products") return products(call);
  if (kind === "prices") return prices(call);
  if (kind === "invoices") return invoices(call);
  return undefined;
};

function customers({ state, req, form, segs, ok }: StripeCall) {
  const id = segs[1];
  if (!id) {
    if (req.method === "POST") {
      const customer: StripeCustomer = {
        id: newId("cus"),
        object: "customer",
        created: state.clock.now(),
        email: str(form.email) || null,
        name: str(form.name) || null,
        description: str(form.description) || null,
        metadata: metadataOf(form.metadata),
        livemode: false,
      };
      state.customers.set(customer.id, customer);
      return ok(customer);
    }
    if (req.method === "GET") {
      const email = str(form.email);
      const all = newestFirst(state.customers.values()).filter(
        (c) => !c.deleted && (!email || c.email === email),
      );
      return ok(listOf("/v1/customers", all, req.query));
    }
    return undefined;
  }
  const customer = state.customers.get(id);
  if (!customer || segs.length > 2) return missing("customer", id);
  if (req.method === "GET") return ok(customer);
  if (req.method === "POST") {
    if (form.email !== undefined) customer.email = str(form.email) || null;
    if (form.name !== undefined) customer.name = str(form.name) || null;
    if (form.description !== undefined) customer.description = str(form.description) || null;
    if (form.metadata !== undefined) customer.metadata = metadataOf(form.metadata, customer.metadata);
    return ok(customer);
  }
  if (req.method === "DELETE") {
    customer.deleted = true;
    return ok({ id, object: "customer", deleted: true });
  }
  return undefined;
}

function products({ req, segs, ok }: StripeCall) {
  if (req.method !== "GET") return undefined;
  const id = segs[1];
  if (!id) {
    const all = PRODUCTS.map((p) => productObject(p.stripeId)).filter((p) => p !== undefined) as {
      id: string;
    }[];
    return ok(listOf("/v1/products", all, req.query));
  }
  const product = productObject(id);
  return product ? ok(product) : missing("product", id);
}

function prices({ req, form, segs, ok }: StripeCall) {
  if (req.method !== "GET") return undefined;
  const id = segs[1];
  if (!id) {
    const product = str(form.product);
    const lookupKeys = list(form.lookup_keys).map(str);
    const all = PRICES.map(priceObject).filter(
      (p) =>
        (!product || p.product === product) && (lookupKeys.length === 0 || lookupKeys.includes(p.lookup_key)),
    );
    return ok(listOf("/v1/prices", all, req.query));
  }
  const price = findPrice(id);
  return price ? ok(price) : missing("price", id);
}

function invoices({ state, req, form, segs, ok }: StripeCall) {
  if (req.method !== "GET") return undefined;
  const id = segs[1];
  const paths = list(form.expand)
    .map(str)
    .filter((p): p is string => Boolean(p));
  if (!id) {
    const customer = str(form.customer);
    const subscription = str(form.subscription);
    const status = str(form.status);
    const all = newestFirst(state.invoices.values()).filter(
      (i) =>
        (!customer || i.customer === customer) &&
        (!subscription || i.subscription === subscription) &&
        (!status || i.status === status),
    );
    const page = listOf("/v1/invoices", all, req.query);
    return ok({ ...page, data: page.data.map((i) => withPayments(state, i, paths)) });
  }
  const invoice = state.invoices.get(id);
  return invoice && segs.length === 2 ? ok(withPayments(state, invoice, paths)) : missing("invoice", id);
}
