/**
 * PayPal's REST API over fetch. Not `@paypal/paypal-server-sdk`: its HTTP layer is axios through
 * @apimatic/axios-client-adapter (which imports form-data and proxy agents built on Node's http/net),
 * and its base URL is fixed to PayPal's two hosts, so it could reach neither workerd's fetch-only
 * runtime reliably nor the local payments sandbox (docs/billing.md, "Why not the PayPal SDK").
 *
 * - OAuth2 client credentials, cached per isolate (keyed by API URL + client id) until a minute before
 *   `expires_in`; concurrent callers share one token request. A 401 on a cached token drops it and
 *   retries once (PayPal may revoke a token before it expires).
 * - Every mutating call carries `PayPal-Request-Id`, chosen by the caller from what the call does, so a
 *   retry after a timeout returns the first call's result instead of doing it twice.
 * - No answer within the timeout / unreachable → AppError("provider_unavailable") (503, retry);
 *   PayPal 5xx or a body we cannot parse → AppError("delivery_failed") (502); 4xx → a 4xx AppError
 *   (our credentials rejected → "misconfigured", which is ours to fix, not the caller's).
 */
import type { z } from "zod";
import { AppError } from "../../lib/errors";
import { PayPalErrorBody, TokenResponse } from "./schemas";

export interface PayPalConfig {
  apiUrl: string;
  clientId: string;
  clientSecret: string;
  webhookId: string;
}

export interface PayPalClientOptions {
  /** Injected for tests that count calls; defaults to the global fetch. */
  fetch?: typeof fetch;
  timeoutMs?: number;
  now?: () => number;
}

export const PAYPAL_TIMEOUT_MS = 10_000;
/** Refresh this long before PayPal says the token expires (clock skew, request time in flight). */
const TOKEN_MARGIN_MS = 60_000;

interface CachedToken {
  token: string;
  expiresAt: number;
}

/** Per isolate: a Worker isolate serves many requests, so this saves an OAuth round trip on most calls. */
const tokenCache = new Map<string, CachedToken>();
const tokenInFlight = new Map<string, Promise<CachedToken>>();

/** Tests only: forget cached tokens so a test can count OAuth calls from a cold start. */
export function clearPayPalTokenCache(): void {
  tokenCache.clear();
  tokenInFlight.clear();
}

export interface PayPalRequest<S extends z.ZodType> {
  method: "GET" | "POST" | "PATCH";
  path: string;
  body?: unknown;
  /** Required on POST/PATCH: PayPal's idempotency key (kept 72 h by PayPal for subscriptions). */
  requestId?: string;
  /** Schema of the success body; omit for 204 answers. */
  schema?: S;
  headers?: Record<string, string>;
}

/** A PayPal 4xx, kept with its parsed body so callers can branch on `issue` (e.g. already cancelled). */
export class PayPalApiError extends AppError {
  readonly providerStatus: number;
  readonly body: PayPalErrorBody | null;

  constructor(
    code: ConstructorParameters<typeof AppError>[0],
    detail: string,
    providerStatus: number,
    body: PayPalErrorBody | null,
  ) {
    super(code, detail);
    this.providerStatus = providerStatus;
    this.body = body;
  }

  /** The `details[].issue` codes PayPal gave (e.g. SUBSCRIPTION_STATUS_INVALID). */
  get issues(): string[] {
    return (this.body?.details ?? []).flatMap((d) => (d.issue ? [d.issue] : []));
  }
}

export class PayPalClient {
  private readonly base: string;
  private readonly doFetch: typeof fetch;
  private readonly timeoutMs: number;
  private readonly now: () => number;
  private readonly cacheKey: string;

  constructor(
    private readonly cfg: PayPalConfig,
    opts: PayPalClientOptions = {},
  ) {
    this.base = cfg.apiUrl.replace(/\/+$/, "");
    this.doFetch = opts.fetch ?? ((input, init) => fetch(input, init));
    this.timeoutMs = opts.timeoutMs ?? PAYPAL_TIMEOUT_MS;
    this.now = opts.now ?? Date.now;
    this.cacheKey = `${this.base}\u0000${cfg.clientId}`;
  }

  get webhookId(): string {
    return this.cfg.webhookId;
  }

  async request<S extends z.ZodType>(req: PayPalRequest<S>): Promise<z.infer<S>> {
    if (req.method !== "GET" && !req.requestId) {
      // A mutating call without a key could be done twice by a retry: refuse to send it.
      throw new AppError("internal", `PayPal ${req.method} ${req.path} without PayPal-Request-Id`);
    }
    const first = await this.token();
    let res = await this.send(req, first.token);
    if (res.status === 401) {
      await res.body?.cancel();
      this.forget(first);
      res = await this.send(req, (await this.token()).token);
    }
    return this.read(req, res);
  }

  private async send(req: PayPalRequest<z.ZodType>, token: string): Promise<Response> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${token}`,
      accept: "application/json",
      ...req.headers,
    };
    if (req.body !== undefined) headers["content-type"] = "application/json";
    if (req.requestId) headers["paypal-request-id"] = req.requestId;
    return this.fetchOrUnavailable(`${req.method} ${req.path}`, `${this.base}${req.path}`, {
      method: req.method,
      headers,
      body: req.body === undefined ? undefined : JSON.stringify(req.body),
    });
  }

  private async read<S extends z.ZodType>(req: PayPalRequest<S>, res: Response): Promise<z.infer<S>> {
    const what = `PayPal ${req.method} ${req.path}`;
    if (!res.ok) throw await errorFrom(what, res);
    if (!req.schema) {
      await res.body?.cancel();
      return undefined as z.infer<S>;
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new AppError("delivery_failed", `${what} answered ${res.status} with a body that is not JSON`);
    }
    const parsed = req.schema.safeParse(json);
    if (!parsed.success) {
      throw new AppError("delivery_failed", `${what} answered with an unexpected body`, {
        cause: parsed.error,
      });
    }
    return parsed.data;
  }

  private async fetchOrUnavailable(what: string, url: string, init: RequestInit): Promise<Response> {
    try {
      return await this.doFetch(url, { ...init, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (err) {
      const timedOut = err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
      throw new AppError(
        "provider_unavailable",
        timedOut
          ? `PayPal did not answer ${what} within ${this.timeoutMs / 1000} s`
          : `PayPal could not be reached for ${what}`,
        { cause: err },
      );
    }
  }

  private forget(token: CachedToken): void {
    if (tokenCache.get(this.cacheKey) === token) tokenCache.delete(this.cacheKey);
  }

  private async token(): Promise<CachedToken> {
    const cached = tokenCache.get(this.cacheKey);
    if (cached && cached.expiresAt > this.now()) return cached;
    let pending = tokenInFlight.get(this.cacheKey);
    if (!pending) {
      pending = this.fetchToken().finally(() => tokenInFlight.delete(this.cacheKey));
      tokenInFlight.set(this.cacheKey, pending);
    }
    return pending;
  }

  private async fetchToken(): Promise<CachedToken> {
    const basic = btoa(`${this.cfg.clientId}:${this.cfg.clientSecret}`);
    const res = await this.fetchOrUnavailable("POST /v1/oauth2/token", `${this.base}/v1/oauth2/token`, {
      method: "POST",
      headers: {
        authorization: `Basic ${basic}`,
        "content-type": "application/x-www-form-urlencoded",
        accept: "application/json",
      },
      body: "grant_type=client_credentials",
    });
    const body = await this.read({ method: "POST", path: "/v1/oauth2/token", schema: TokenResponse }, res);
    const lifetimeMs = body.expires_in * 1000;
    // Short-lived tokens (tests) still get half their life; real ones (~9 h) expire a minute early.
    const token = {
      token: body.access_token,
      expiresAt: this.now() + Math.max(lifetimeMs - TOKEN_MARGIN_MS, lifetimeMs / 2),
    };
    tokenCache.set(this.cacheKey, token);
    return token;
  }
}

async function errorFrom(what: string, res: Response): Promise<AppError> {
  const text = await res.text().catch(() => "");
  let body: PayPalErrorBody | null = null;
  try {
    const parsed = PayPalErrorBody.safeParse(JSON.parse(text));
    if (parsed.success) body = parsed.data;
  } catch {
    // not JSON: the status says enough
  }
  const words =
    body?.details?.[0]?.description ??
    body?.message ??
    body?.error_description ??
    body?.error ??
    `HTTP ${res.status}`;
  const detail = `${what}: ${res.status} ${words}${body?.debug_id ? ` (debug_id ${body.debug_id})` : ""}`;
  if (res.status >= 500) return new PayPalApiError("delivery_failed", detail, res.status, body);
  if (res.status === 401 || res.status === 403)
    return new PayPalApiError("misconfigured", detail, res.status, body);
  if (res.status === 404) return new PayPalApiError("not_found", detail, res.status, body);
  if (res.status === 409) return new PayPalApiError("conflict", detail, res.status, body);
  // PayPal throttling: retryable, like a timeout.
  if (res.status === 429) return new PayPalApiError("provider_unavailable", detail, res.status, body);
  return new PayPalApiError("bad_request", detail, res.status, body);
}
