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
  /** Each pair a refresh replaced → the pair it got, to tell a refresh from a sign-in afterwards. */
  private readonly successors = new WeakMap<Tokens, Tokens>();

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
    const sent = this.tokens;
    let res = await this.send(operationId, args);
    if (res.status === 401 && sent && !TOKEN_OPERATIONS.has(operationId) && (await this.refresh(sent))) {
      await res.body?.cancel();
      res = await this.send(operationId, args);
    }
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
      // URL parsing would resolve these as path segments (`..` → the parent path): another route.
      if (value === "" || value === "." || value === "..")
        throw new TypeError(`${operationId}: path parameter ${name} may not be ${JSON.stringify(value)}`);
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
    let problem: Record<string, unknown> = { title: text.slice(0, 200) || res.statusText };
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed))
        problem = parsed as Record<string, unknown>;
    } catch {
      // not JSON (a proxy's page): its text is the title
    }
    const retryAfter = Number(res.headers.get("retry-after"));
    throw new MarqueeApiError(
      res.status,
      problem,
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
    );
  }

  /**
   * After a 401 to a request sent with `sent`: true when it may be sent again. Tokens refreshed
   * from `sent` meanwhile (by another caller) mean yes at once; tokens replaced any other way (a
   * sign-in, perhaps as someone else) mean no, so a request is never resent as another account.
   * Otherwise the refresh token is swapped for a new pair, once for every caller waiting on it
   * (refresh tokens rotate: a second swap would spend the new one). A refusal (4xx) drops the
   * refresh token, so it is never replayed, and the caller's 401 stands; any other failure (the
   * network, a 5xx, a 429) is thrown to the callers.
   */
  private refresh(sent: Tokens): Promise<boolean> {
    if (this.tokens !== sent) return Promise.resolve(this.descendsFrom(this.tokens, sent));
    const refreshToken = sent.refreshToken;
    if (!refreshToken) return Promise.resolve(false);
    this.refreshing ??= this.call("postRefresh", { body: { refreshToken } })
      .then(
        (pair) => {
          if (this.tokens !== sent) return false; // signed in anew during the refresh: that wins
          const next = { accessToken: pair.accessToken, refreshToken: pair.refreshToken };
          this.successors.set(sent, next);
          this.setTokens(next);
          return true;
        },
        (error: unknown) => {
          const refused =
            error instanceof MarqueeApiError &&
            error.status >= 400 &&
            error.status < 500 &&
            error.status !== 429;
          if (!refused) throw error;
          if (this.tokens === sent) this.setTokens({ accessToken: sent.accessToken });
          return false;
        },
      )
      .finally(() => {
        this.refreshing = null;
      });
    return this.refreshing;
  }

  /** Whether `tokens` came from `from` by refreshes only. */
  private descendsFrom(tokens: Tokens | null, from: Tokens): boolean {
    for (let t = this.successors.get(from); t; t = this.successors.get(t)) if (t === tokens) return true;
    return false;
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
