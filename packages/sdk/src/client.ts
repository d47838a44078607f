import { MarqueeApiError } from "./errors";
import { OPERATIONS } from "./operations";
import type { Args, OperationId, Operations, Result } from "./types";

/** The fetch the client sends with: the global one, or any with its signature (a test's, a proxy's). */
export type Fetch = (input: string | URL, init?: RequestInit) => Promise<Response>;

export interface Tokens {
  accessToken: string;
  refreshToken?: string;
}

export interface ClientOptions {
  /** The edge's address, e.g. `https://marquee.example` (the API is under /api/v1). */
  baseUrl: string;
  fetch?: Fetch;
  /** Tokens from an earlier sign-in; or call `client.signIn(...)`. */
  tokens?: Tokens;
  /**
   * Called with each new token pair (sign-in, and every automatic refresh: refresh tokens rotate,
   * so a stored pair must be replaced each time or the next run signs in again).
   */
  onTokens?: (tokens: Tokens) => void;
}

/** The operations that get tokens: sent without one, never retried after a refresh. */
const TOKEN_OPERATIONS = new Set<OperationId>(["postLogin", "postSignup", "postRefresh"]);

export class MarqueeClient {
  readonly baseUrl: string;
  readonly fetch: Fetch;
  tokens: Tokens | null;
  private readonly onTokens?: (tokens: Tokens) => void;
  /** The refresh under way: concurrent 401s wait for one refresh instead of each spending the token. */
  private refreshing: Promise<boolean> | null = null;

  constructor(options: ClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.tokens = options.tokens ?? null;
    this.onTokens = options.onTokens;
  }

  /** Signs in with email and password and keeps the tokens (reported through onTokens). */
  async signIn(email: string, password: string): Promise<Result<"postLogin">> {
    const pair = await this.call("postLogin", { body: { email, password } });
    this.setTokens({ accessToken: pair.accessToken, refreshToken: pair.refreshToken });
    return pair;
  }

  /**
   * Calls one operation by its operationId. A 2xx answers its JSON (undefined for 204); anything
   * else throws MarqueeApiError. A 401 with a refresh token at hand refreshes once and retries.
   */
  async call<K extends OperationId>(
    operationId: K,
    ...rest: object extends Args<K> ? [Args<K>?] : [Args<K>]
  ) {
    const args = (rest[0] ?? {}) as {
      path?: Record<string, unknown>;
      query?: Record<string, unknown>;
      body?: unknown;
    };
    const sentWith = this.tokens?.accessToken;
    let res = await this.send(operationId, args);
    if (
      res.status === 401 &&
      sentWith &&
      !TOKEN_OPERATIONS.has(operationId) &&
      (await this.refresh(sentWith))
    )
      res = await this.send(operationId, args);
    return (await this.read(res)) as Result<K>;
  }

  /** The URL of an operation with its path and query filled in. */
  url(
    operationId: OperationId,
    path: Record<string, unknown> = {},
    query: Record<string, unknown> = {},
  ): URL {
    const template: string = OPERATIONS[operationId].path;
    const filled = template.replace(/\{(\w+)\}/g, (_, name: string) => {
      const value = path[name];
      if (value === undefined || value === null)
        throw new TypeError(`${operationId}: path parameter ${name} is missing`);
      return encodeURIComponent(String(value));
    });
    const url = new URL(this.baseUrl + filled);
    for (const [name, value] of Object.entries(query)) {
      if (value === undefined || value === null) continue;
      for (const one of Array.isArray(value) ? value : [value]) url.searchParams.append(name, String(one));
    }
    return url;
  }

  private send(
    operationId: OperationId,
    args: { path?: Record<string, unknown>; query?: Record<string, unknown>; body?: unknown },
  ): Promise<Response> {
    const headers: Record<string, string> = { accept: "application/json" };
    // Not on the operations that get tokens: an expired access token sent along would be refused
    // before the refresh token is looked at.
    if (this.tokens?.accessToken && !TOKEN_OPERATIONS.has(operationId))
      headers.authorization = `Bearer ${this.tokens.accessToken}`;
    if (args.body !== undefined) headers["content-type"] = "application/json";
    return this.fetch(this.url(operationId, args.path, args.query), {
      method: OPERATIONS[operationId].method,
      headers,
      ...(args.body === undefined ? {} : { body: JSON.stringify(args.body) }),
    });
  }

  private async read(res: Response): Promise<unknown> {
    const text = await res.text();
    if (res.ok) return text ? JSON.parse(text) : undefined;
    let problem: Record<string, unknown> = {};
    try {
      problem = JSON.parse(text) as Record<string, unknown>;
    } catch {
      problem = { title: text.slice(0, 200) || res.statusText };
    }
    const retryAfter = Number(res.headers.get("retry-after"));
    throw new MarqueeApiError(
      res.status,
      problem,
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
    );
  }

  /**
   * Swaps the refresh token for a new pair, once for every caller that got a 401 with the access
   * token `stale`; false when there is none or the edge refused it (the caller's 401 stands).
   */
  private refresh(stale: string): Promise<boolean> {
    if (this.tokens && this.tokens.accessToken !== stale) return Promise.resolve(true); // refreshed meanwhile
    const refreshToken = this.tokens?.refreshToken;
    if (!refreshToken) return Promise.resolve(false);
    this.refreshing ??= this.call("postRefresh", { body: { refreshToken } })
      .then((pair) => {
        this.setTokens({ accessToken: pair.accessToken, refreshToken: pair.refreshToken });
        return true;
      })
      .catch(() => false)
      .finally(() => {
        this.refreshing = null;
      });
    return this.refreshing;
  }

  private setTokens(tokens: Tokens): void {
    this.tokens = tokens;
    this.onTokens?.(tokens);
  }
}

/** The client with one method per operation (`client.getVideosByVideoId({ path: { videoId } })`). */
export type Marquee = MarqueeClient & Operations;

export function createClient(options: ClientOptions): Marquee {
  const client = new MarqueeClient(options);
  return new Proxy(client, {
    get(target, property, receiver) {
      if (typeof property === "string" && !(property in target) && Object.hasOwn(OPERATIONS, property))
        return (args?: object) => target.call(property as OperationId, ...([args] as [never]));
      return Reflect.get(target, property, receiver);
    },
  }) as Marquee;
}
