import { DeliveryError } from "./errors";

export const DEFAULT_TIMEOUT_MS = 10_000;

export type FetchFn = (input: string, init: RequestInit) => Promise<Response>;

/**
 * POST to a provider, turning failures to get any response (network error,
 * timeout) into a retryable DeliveryError.
 */
export async function postToProvider(
  provider: string,
  url: string,
  init: { headers: Record<string, string>; body: string },
  opts: { timeoutMs?: number; fetch?: FetchFn },
): Promise<Response> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const doFetch = opts.fetch ?? ((input, requestInit) => fetch(input, requestInit));
  try {
    return await doFetch(url, {
      method: "POST",
      headers: init.headers,
      body: init.body,
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
    throw new DeliveryError({
      provider,
      status: 0,
      code: timedOut ? "timeout" : "network_error",
      retryable: true,
      message: timedOut
        ? `${provider}: no response within ${timeoutMs} ms`
        : `${provider}: request failed: ${err instanceof Error ? err.message : String(err)}`,
      cause: err,
    });
  }
}

/** Reads a JSON body, or undefined when it is missing or not JSON. */
export async function readJson(res: Response): Promise<unknown> {
  const text = await res.text().catch(() => "");
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function trimSlash(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, "");
}
