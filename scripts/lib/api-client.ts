/**
 * A small client of Marquee's public API for the terminal tools (uploader, demo seed). It speaks
 * the same JSON and problem+json as the web app; a problem becomes an ApiError with its title.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: { title?: string; detail?: string; code?: string },
  ) {
    super(`${status} ${problem.title ?? "error"}${problem.detail ? `: ${problem.detail}` : ""}`);
  }
}

export class ApiClient {
  token: string | null = null;

  constructor(readonly baseUrl: string) {}

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(new URL(path, this.baseUrl), {
      method,
      headers: {
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!res.ok) {
      let problem = {};
      try {
        problem = JSON.parse(text);
      } catch {
        problem = { title: text.slice(0, 200) };
      }
      throw new ApiError(res.status, problem);
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
}
