/** A notification could not be handed to its provider. */
export class DeliveryError extends Error {
  override readonly name = "DeliveryError";
  /** Which adapter failed: "resend", "twilio", ... */
  readonly provider: string;
  /** HTTP status from the provider; 0 when no response arrived (network error, timeout). */
  readonly status: number;
  /** Provider error code (Resend `name`, Twilio `code` as a string) or a local one. */
  readonly code: string;
  /** True when sending the same message again later may succeed (429, 5xx, network, timeout). */
  readonly retryable: boolean;

  constructor(init: {
    provider: string;
    status: number;
    code: string;
    retryable: boolean;
    message: string;
    cause?: unknown;
  }) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.provider = init.provider;
    this.status = init.status;
    this.code = init.code;
    this.retryable = init.retryable;
  }
}

export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}
