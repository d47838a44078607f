/**
 * The Stripe SDK as workerd runs it: its fetch HTTP client and the SubtleCrypto provider (no Node
 * http or crypto), host/port/protocol from STRIPE_API_URL (the payments sandbox locally), the SDK's
 * pinned API version, two network retries (each with the same idempotency key), a 10 s timeout.
 */
import Stripe from "stripe";
import { AppError } from "../../lib/errors";

export interface StripeConfig {
  apiUrl: string;
  secretKey: string;
  webhookSecret: string;
}

/** The API version this SDK release is typed for (its apiVersion.ts); pinned so upgrades are deliberate. */
const STRIPE_API_VERSION = "2026-11-18.endive" as const;

export function stripeClient(cfg: StripeConfig): Stripe {
  const url = new URL(cfg.apiUrl);
  const protocol = url.protocol === "http:" ? "http" : "https";
  return new Stripe(cfg.secretKey, {
    apiVersion: STRIPE_API_VERSION,
    httpClient: Stripe.createFetchHttpClient(),
    host: url.hostname,
    port: url.port || (protocol === "http" ? 80 : 443),
    protocol,
    maxNetworkRetries: 2,
    timeout: 10_000,
  });
}

export const cryptoProvider = Stripe.createSubtleCryptoProvider();

/**
 * Stripe's failures as the API's problems: unreachable or timed out → 503 (safe to retry: every
 * mutating call carries an idempotency key); a Stripe 5xx → 502; a request Stripe refused → 400 or
 * 409 with Stripe's own words. Anything else is rethrown as is (a bug, a 500).
 */
export function mapStripeError(error: unknown, doing: string): never {
  if (error instanceof AppError) throw error;
  const E = Stripe.errors;
  if (error instanceof E.StripeConnectionError) {
    throw new AppError("provider_unavailable", `Stripe could not be reached while ${doing}; try again`, {
      cause: error,
    });
  }
  if (error instanceof E.StripeError) {
    const status = error.statusCode ?? 0;
    // Stripe saying it is unavailable (503) or its gateway timing out (504): the same as unreachable.
    if (status === 503 || status === 504) {
      throw new AppError("provider_unavailable", `Stripe is unavailable while ${doing}; try again`, {
        cause: error,
      });
    }
    if (status >= 500 || error instanceof E.StripeAPIError) {
      throw new AppError(
        "delivery_failed",
        `Stripe failed while ${doing} (${status || "no status"}); try again`,
        {
          cause: error,
        },
      );
    }
    if (error instanceof E.StripeRateLimitError) {
      throw new AppError("provider_unavailable", `Stripe is busy (${doing}); try again`, { cause: error });
    }
    if (error instanceof E.StripeIdempotencyError || status === 409) {
      throw new AppError("conflict", `Stripe refused a repeated request while ${doing}: ${error.message}`, {
        cause: error,
      });
    }
    if (error instanceof E.StripeAuthenticationError || error instanceof E.StripePermissionError) {
      throw new AppError("misconfigured", `Stripe refused our credentials while ${doing}`, { cause: error });
    }
    if (error instanceof E.StripeInvalidRequestError || error instanceof E.StripeCardError) {
      throw new AppError("bad_request", `Stripe refused ${doing}: ${error.message}`, { cause: error });
    }
  }
  throw error;
}
