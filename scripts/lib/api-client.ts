/**
 * A small client of Marquee's public API for the terminal tools (uploader, demo seed), the benchmarks
 * and the platform tests. It speaks the same JSON and problem+json as the web app: `request` turns a
 * problem into an ApiError with its title; `call` checks an exact status (or none) instead.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: { title?: string; detail?: string; code?: string },
  ) {
    super(`${status} ${problem.title ?? "error"}${problem.detail ? `: ${problem.detail}` : ""}`);
  }
}

/** The fetch the client sends with (a wrapper such as one carrying a header back, or the global one). */
export type Fetch = (input: URL | string, init?: RequestInit) => Promise<Response>;

export class ApiClient {
  token: string | null = null;

  constructor(
    public baseUrl: string,
    private readonly fetcher: Fetch = (input, init) => fetch(input, init),
  ) {}

  private async send(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; text: string }> {
    const res = await this.fetcher(new URL(path, this.baseUrl), {
      method,
      headers: {
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, text: await res.text() };
  }

  /** The answer's JSON; any non-2xx throws an ApiError. */
  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const { status, text } = await this.send(method, path, body);
    if (status < 200 || status >= 300) {
      let problem = {};
      try {
        problem = JSON.parse(text);
      } catch {
        problem = { title: text.slice(0, 200) };
      }
      throw new ApiError(status, problem);
    }
    return (text ? JSON.parse(text) : null) as T;
  }

  /** The answer's JSON, whatever its status; with `expected`, any other status throws. */
  async call<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    expected?: number,
  ): Promise<T> {
    const { status, text } = await this.send(method, path, body);
    if (expected !== undefined && status !== expected) {
      throw new Error(`${method} ${path}: expected ${expected}, got ${status}: ${text.slice(0, 400)}`);
    }
    return (text ? JSON.parse(text) : null) as T;
  }

  async login(email: string, password: string): Promise<void> {
    const pair = await this.request<{ accessToken: string }>("POST", "/api/v1/auth/login", {
      email,
      password,
    });
    this.token = pair.accessToken;
  }

  async signup(email: string, password: string, displayName: string): Promise<void> {
    const pair = await this.request<{ accessToken: string }>("POST", "/api/v1/auth/signup", {
      email,
      password,
      displayName,
    });
    this.token = pair.accessToken;
  }

  /** Gives the signed-in account a channel, which makes it a creator. */
  async createChannel(channel: { handle: string; name: string; description?: string }): Promise<void> {
    await this.request("POST", "/api/v1/me/channel", channel);
  }
}

export interface NewCreator {
  email: string;
  password: string;
  displayName: string;
  handle: string;
  channelName: string;
}

/** Signs a new account up (201) and gives it a channel (201); `api` then holds its token. */
export async function signUpCreator<C extends ApiClient>(api: C, who: NewCreator): Promise<C> {
  const { email, password, displayName } = who;
  const pair = await api.call<{ accessToken: string }>(
    "POST",
    "/api/v1/auth/signup",
    { email, password, displayName },
    201,
  );
  api.token = pair.accessToken;
  await api.call("POST", "/api/v1/me/channel", { handle: who.handle, name: who.channelName }, 201);
  return api;
}
