/**
 * Stripe Connect transfers for payout runs (docs/payouts.md, "Payouts").
 *
 * The SDK is pointed at STRIPE_API_URL (the payments sandbox locally) like the edge's client
 * (apps/edge/src/billing/stripe/client.ts), with its fetch HTTP client in both runtimes (Bun picks the
 * SDK's worker build, Node its node build: the fetch client behaves the same in both, so the tests
 * under Node see what the CLI under Bun sees). `maxNetworkRetries: 0`: a payout is retried by the
 * run itself, always with the same idempotency key and parameters, and only after looking the
 * transfer up by its `transfer_group` (run.ts), so the SDK must not retry behind our back.
 */
import Stripe from "stripe";

/** The API version this SDK release is typed for; pinned so upgrades are deliberate. */
const STRIPE_API_VERSION = "2026-11-18.endive" as const;

export interface StripeSettings {
  /** STRIPE_API_URL, e.g. https://api.stripe.com or the sandbox's http://127.0.0.1:8791. */
  apiUrl: string;
  /** STRIPE_SECRET_KEY (the platform account's key: transfers leave the platform's balance). */
  secretKey: string;
  /** Per-request timeout; default 20 s. */
  timeoutMs?: number;
}

export function stripeClient(cfg: StripeSettings): Stripe {
  const url = new URL(cfg.apiUrl);
  const protocol = url.protocol === "http:" ? "http" : "https";
  return new Stripe(cfg.secretKey, {
    apiVersion: STRIPE_API_VERSION,
    httpClient: Stripe.createFetchHttpClient(),
    host: url.hostname,
    port: url.port || (protocol === "http" ? 80 : 443),
    protocol,
    maxNetworkRetries: 0,
    timeout: cfg.timeoutMs ?? 20_000,
  });
}

export interface TransferRequest {
  payoutId: string;
  attempt: number;
  amountCents: number;
  destination: string;
}

/** A transfer as found at Stripe. */
export interface FoundTransfer {
  id: string;
  amountCents: number;
  destination: string | null;
}

/**
 * What a transfer request came to:
 * - `sent`: Stripe made (or replayed) the transfer;
 * - `refused`: a definitive refusal about this payout (a 4xx such as a destination that cannot be
 *   paid yet); nothing was created, the payout fails and the next run tries again;
 * - `unknown`: no answer (network, timeout, 5xx, 429, an idempotency clash): the transfer may or may
 *   not exist, so the payout stays `submitting` until a later lookup by transfer_group settles it.
 */
export type TransferOutcome =
  | { kind: "sent"; transferId: string }
  | { kind: "refused"; message: string }
  | { kind: "unknown"; message: string };

/** Stripe refused our credentials: nothing will work this run, so the run stops (exit 1). */
export class StripeCredentialsError extends Error {
  override name = "StripeCredentialsError";
}

export interface Transfers {
  create(req: TransferRequest): Promise<TransferOutcome>;
  /** Every transfer in the payout's group (`payout_<id>`), newest first. */
  findByGroup(payoutId: string): Promise<FoundTransfer[]>;
}

export const transferGroupOf = (payoutId: string) => `payout_${payoutId}`;
export const idempotencyKeyOf = (payoutId: string, attempt: number) => `payout:${payoutId}:${attempt}`;

export function stripeTransfers(stripe: Stripe): Transfers {
  return {
    async create(req) {
      try {
        // Exactly these parameters on every retry of an attempt: Stripe answers a reused key with
        // other parameters by a 400 idempotency_error.
        const transfer = await stripe.transfers.create(
          {
            amount: req.amountCents,
            currency: "usd",
            destination: req.destination,
            transfer_group: transferGroupOf(req.payoutId),
            metadata: { payoutId: req.payoutId },
          },
          { idempotencyKey: idempotencyKeyOf(req.payoutId, req.attempt) },
        );
        return { kind: "sent", transferId: transfer.id };
      } catch (err) {
        return classify(err);
      }
    },
    async findByGroup(payoutId) {
      try {
        // A group belongs to one payout and holds at most one transfer; 10 is room to notice more.
        const page = await stripe.transfers.list({ transfer_group: transferGroupOf(payoutId), limit: 10 });
        return page.data.map((t) => ({
          id: t.id,
          amountCents: t.amount,
          destination: typeof t.destination === "string" ? t.destination : (t.destination?.id ?? null),
        }));
      } catch (err) {
        if (isCredentials(err))
          throw new StripeCredentialsError(`Stripe refused our credentials: ${msg(err)}`);
        throw err;
      }
    },
  };
}

const msg = (err: unknown) => (err instanceof Error ? err.message : String(err));

function isCredentials(err: unknown): boolean {
  const E = Stripe.errors;
  return err instanceof E.StripeAuthenticationError || err instanceof E.StripePermissionError;
}

function classify(err: unknown): TransferOutcome {
  const E = Stripe.errors;
  if (isCredentials(err)) throw new StripeCredentialsError(`Stripe refused our credentials: ${msg(err)}`);
  if (!(err instanceof E.StripeError)) return { kind: "unknown", message: msg(err) };
  const status = err.statusCode ?? 0;
  // No answer, Stripe's own failure, or "slow down": the request may have run. An idempotency
  // clash means a request with this key already exists in some form: let the lookup decide.
  if (
    err instanceof E.StripeConnectionError ||
    err instanceof E.StripeAPIError ||
    err instanceof E.StripeRateLimitError ||
    err instanceof E.StripeIdempotencyError ||
    status === 0 ||
    status === 409 ||
    status === 429 ||
    status >= 500
  ) {
    return { kind: "unknown", message: `${err.type}: ${err.message}` };
  }
  // Any other 4xx: Stripe looked at the request and refused it; nothing was created.
  return { kind: "refused", message: err.message || `Stripe refused the transfer (${status})` };
}
