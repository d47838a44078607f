import { DeliveryError, isRetryableStatus } from "./errors";
import { isRecord, readJson } from "./http";

/**
 * The message id a provider's reply carries (under `idField`), or the DeliveryError the reply
 * means: the provider's own code (read by `errorCode` from its error body) and message when it gave
 * them, else `http_<status>` (or `invalid_response` for a 2xx without an id).
 */
export async function acceptedId(
  provider: string,
  res: Response,
  reply: { idField: string; errorCode: (body: Record<string, unknown>) => string | undefined },
): Promise<{ id: string }> {
  const json = await readJson(res);
  const id = isRecord(json) ? json[reply.idField] : undefined;
  if (res.ok && typeof id === "string") return { id };

  const err = isRecord(json) ? json : {};
  throw new DeliveryError({
    provider,
    status: res.status,
    code: reply.errorCode(err) ?? (res.ok ? "invalid_response" : `http_${res.status}`),
    retryable: isRetryableStatus(res.status),
    message: `${provider}: ${typeof err.message === "string" ? err.message : `unexpected response (HTTP ${res.status})`}`,
  });
}
