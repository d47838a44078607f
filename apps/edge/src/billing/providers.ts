/**
 * Which payment providers this deployment offers: a provider without its keys (config.ts) is off —
 * not listed in /plans, and checkout through it is a 503 `provider_unavailable`.
 */
import type { Config } from "../config";
import { AppError } from "../lib/errors";
import { paypalProvider } from "./paypal/provider";
import { type BillingProvider, PROVIDERS, type Provider } from "./provider";
import { stripeProvider } from "./stripe/provider";

const LABEL: Record<Provider, string> = { stripe: "Stripe", paypal: "PayPal" };

function isConfigured(config: Config, name: Provider): boolean {
  const b = config.billing;
  return name === "stripe"
    ? Boolean(b.stripe.secretKey && b.stripe.webhookSecret)
    : Boolean(b.paypal.clientId && b.paypal.clientSecret && b.paypal.webhookId);
}

export const configuredProviders = (config: Config): Provider[] =>
  PROVIDERS.filter((p) => isConfigured(config, p));

// One client per isolate and configuration (the SDK keeps its own connection state).
const cache = new WeakMap<Config, Partial<Record<Provider, BillingProvider>>>();

/** The provider's client, or 503 `provider_unavailable` when this deployment has not configured it. */
export function providerFor(config: Config, name: Provider): BillingProvider {
  if (!isConfigured(config, name)) {
    throw new AppError("provider_unavailable", `${LABEL[name]} is not configured`);
  }
  const byName = cache.get(config) ?? {};
  cache.set(config, byName);
  const existing = byName[name];
  if (existing) return existing;
  const made =
    name === "stripe" ? stripeProvider(config.billing.stripe) : paypalProvider(config.billing.paypal);
  byName[name] = made;
  return made;
}

export const providerLabel = (name: Provider) => LABEL[name];
