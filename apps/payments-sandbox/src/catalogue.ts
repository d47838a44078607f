/**
 * The built-in catalogue: the same ids the edge's seed migration uses (issue 12's shared names).
 * Amounts in integer cents.
 */
export type Interval = "month" | "year";

export interface CatalogueProduct {
  stripeId: string;
  paypalId: string;
  name: string;
}

export interface CataloguePrice {
  stripeId: string;
  paypalPlanId: string;
  product: CatalogueProduct;
  interval: Interval;
  amountCents: number;
  currency: "usd";
}

const standard: CatalogueProduct = { stripeId: "prod_standard", paypalId: "PROD-STANDARD", name: "Standard" };
const premium: CatalogueProduct = { stripeId: "prod_premium", paypalId: "PROD-PREMIUM", name: "Premium" };

export const PRODUCTS: CatalogueProduct[] = [standard, premium];

export const PRICES: CataloguePrice[] = [
  price(standard, "month", 999),
  price(standard, "year", 9990),
  price(premium, "month", 1799),
  price(premium, "year", 17990),
];

function price(product: CatalogueProduct, interval: Interval, amountCents: number): CataloguePrice {
  const tier = product.stripeId.replace("prod_", "");
  return {
    stripeId: `price_${tier}_${interval}`,
    paypalPlanId: `P-${tier.toUpperCase()}-${interval.toUpperCase()}`,
    product,
    interval,
    amountCents,
    currency: "usd",
  };
}

export const priceByStripeId = (id: string): CataloguePrice | undefined =>
  PRICES.find((p) => p.stripeId === id);
export const priceByPaypalPlan = (id: string): CataloguePrice | undefined =>
  PRICES.find((p) => p.paypalPlanId === id);
