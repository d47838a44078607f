// Typed client of the edge's internal API (docs/media-pipeline.md, "Internal API") and of the signed
// storage URLs it hands out. Every answer is zod-parsed; 409 is LeaseLost; network errors, timeouts,
// 429 and 5xx are retried with exponential backoff. Only uploadFile needs Bun (Bun.file streams a file
// as a request body with its exact length); the rest runs under Node too.
import { stat } from "node:fs/promises";
import {
  CompleteRequest,
  FailRequest,
  HeartbeatRequest,
  HeartbeatResponse,
  LeasedJob,
  LeaseRequest,
  OutputsRequest,
  OutputsResponse,
  ReleaseRequest,
  type SignedOutput,
} from "@marquee/shared";
import { z } from "zod";

export class EdgeError extends Error {
  override name = "EdgeError";
  constructor(
    message: string,
    /** HTTP status, or null when the edge answered something unparseable. */
    readonly status: number | null,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

/** 409 from a job route: the lease is gone (expired, cancelled, or held by someone else). Stop and discard. */
export class LeaseLost extends EdgeError {
  override name = "LeaseLost";
  constructor(detail: string) {
    super(`lease lost: ${detail}`, 409, false);
  }
}

/** The stored source is larger than the byte limit. Not retryable. */
export class DownloadTooLarge extends Error {
  override name = "DownloadTooLarge";
  constructor(readonly bytes: number) {
    super(`the source is larger than allowed (${bytes} bytes)`);
  }
}

/**
 * The stored source is not the version upload-complete checked (overwritten since): 412 from the
 * pinned URL, or another ETag. Not retryable; the job fails with a reason for the creator.
 */
export class SourceChanged extends Error {
  override name = "SourceChanged";
  constructor() {
    super("the source file changed after the upload was completed; upload it again as a new video");
  }
}

export interface RetryPolicy {
  /** Retries after the first attempt. */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface EdgeClientOptions {
  /** The edge's base URL (EDGE_URL). */
  baseUrl: string;
  /** ORIGIN_TOKEN. */
  token: string;
  retry?: Partial<RetryPolicy>;
  /** Per-attempt timeout of API calls (default 30 s). */
  requestTimeoutMs?: number;
  /** Per-attempt timeout of one upload (default 10 min). */
  uploadTimeoutMs?: number;
}

export type HeartbeatInput = Omit<z.input<typeof HeartbeatRequest>, "leaseToken">;
export type CompleteResult = z.input<typeof CompleteRequest>["result"];
export interface OutputFile {
  path: string;
  contentType: string;
  size?: number;
}

/** The most files one `outputs` call may sign (OutputsRequest allows 200). */
export const OUTPUTS_BATCH = 200;

const DEFAULT_RETRY: RetryPolicy = { retries: 5, baseDelayMs: 250, maxDelayMs: 8000 };

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

function isRetryable(err: unknown): boolean {
  if (err instanceof EdgeError) return err.retryable;
  if (err instanceof DownloadTooLarge || err instanceof SourceChanged || err instanceof z.ZodError)
    return false;
  return true; // network errors (TypeError from fetch), per-attempt timeouts, connection resets
}

const retryableStatus = (status: number) => status === 429 || status >= 500;

/** An answer body that is "OK and nothing else": empty, or any JSON object. */
const Ack = z.union([z.null(), z.record(z.string(), z.unknown())]);

export class EdgeClient {
  private readonly base: string;
  private readonly retry: RetryPolicy;
  private readonly requestTimeoutMs: number;
  private readonly uploadTimeoutMs: number;

  constructor(private readonly options: EdgeClientOptions) {
    this.base = options.baseUrl.replace(/\/+$/, "");
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    this.uploadTimeoutMs = options.uploadTimeoutMs ?? 600_000;
  }

  // ---- internal API ----

  /** A job, or null when the queue is empty (204). */
  async lease(workerId: string, signal?: AbortSignal): Promise<LeasedJob | null> {
    return this.call("/internal/jobs/lease", LeaseRequest.parse({ workerId }), LeasedJob, signal);
  }

  /** Reports progress and extends the lease; throws LeaseLost on 409. */
  async heartbeat(
    jobId: string,
    leaseToken: string,
    body: HeartbeatInput,
    signal?: AbortSignal,
  ): Promise<{ leaseExpiresAt: number }> {
    const req = HeartbeatRequest.parse({ leaseToken, ...body });
    const res = await this.call(this.jobPath(jobId, "heartbeat"), req, HeartbeatResponse, signal);
    if (!res) throw new EdgeError("heartbeat answered 204", 204, false);
    return res;
  }

  /** Signed PUT URLs for outputs under videos/{videoId}/, in the order asked (batched by 200). */
  async outputs(
    jobId: string,
    leaseToken: string,
    files: readonly OutputFile[],
    signal?: AbortSignal,
  ): Promise<SignedOutput[]> {
    const signed: SignedOutput[] = [];
    for (let i = 0; i < files.length; i += OUTPUTS_BATCH) {
      const batch = files.slice(i, i + OUTPUTS_BATCH);
      const req = OutputsRequest.parse({ leaseToken, files: batch });
      const res = await this.call(this.jobPath(jobId, "outputs"), req, OutputsResponse, signal);
      const byPath = new Map((res?.urls ?? []).map((u) => [u.path, u]));
      for (const f of batch) {
        const u = byPath.get(f.path);
        if (!u) throw new EdgeError(`outputs: no signed URL for ${f.path}`, null, false);
        signed.push(u);
      }
    }
    return signed;
  }

  async complete(
    jobId: string,
    leaseToken: string,
    result: CompleteResult,
    signal?: AbortSignal,
  ): Promise<void> {
    await this.call(
      this.jobPath(jobId, "complete"),
      CompleteRequest.parse({ leaseToken, result }),
      Ack,
      signal,
    );
  }

  async fail(
    jobId: string,
    leaseToken: string,
    reason: string,
    retryable: boolean,
    signal?: AbortSignal,
  ): Promise<void> {
    const req = FailRequest.parse({ leaseToken, reason: reason.slice(0, 500) || "failed", retryable });
    await this.call(this.jobPath(jobId, "fail"), req, Ack, signal);
  }

  async release(jobId: string, leaseToken: string, signal?: AbortSignal): Promise<void> {
    await this.call(this.jobPath(jobId, "release"), ReleaseRequest.parse({ leaseToken }), Ack, signal);
  }

  // ---- signed storage URLs ----

  /** PUTs a local file to a signed URL as a stream with its exact Content-Length. Bun only. */
  async uploadFile(
    signed: SignedOutput,
    filePath: string,
    contentType: string,
    signal?: AbortSignal,
  ): Promise<void> {
    const { size } = await stat(filePath);
    await this.put(signed, () => Bun.file(filePath), size, contentType, signal);
  }

  /** PUTs bytes held in memory (a playlist snapshot) to a signed URL. */
  async uploadBytes(
    signed: SignedOutput,
    bytes: Uint8Array,
    contentType: string,
    signal?: AbortSignal,
  ): Promise<void> {
    await this.put(signed, () => bytes, bytes.byteLength, contentType, signal);
  }

  /**
   * The lease's signed source URL as ffmpeg will open it, resolved against the edge (the local edge
   * signs relative URLs). Only http(s), no credentials in it, and plain http only when the edge
   * itself is http (local development): in production the source is read over TLS or not at all.
   * The URL is the leased job's, never anything a client sent.
   */
  sourceUrl(url: string): string {
    const resolved = new URL(url, `${this.base}/`);
    const edgeIsHttp = new URL(this.base).protocol === "http:";
    if (resolved.protocol !== "https:" && !(resolved.protocol === "http:" && edgeIsHttp)) {
      throw new EdgeError(`the leased source URL is not https (${resolved.protocol})`, null, false);
    }
    if (resolved.username || resolved.password) {
      throw new EdgeError("the leased source URL carries credentials", null, false);
    }
    return resolved.toString();
  }

  /**
   * Checks the source before ffmpeg reads it through the same URL: one `Range: bytes=0-0` GET that
   * answers its real size (Content-Range), proves the server does ranges (206: ffmpeg seeks by them)
   * and, with the pinned ETag sent as If-Match, that it is still the version upload-complete checked.
   * Throws SourceChanged (412 or another ETag), DownloadTooLarge (over `maxBytes`), or EdgeError.
   */
  async checkSource(
    url: string,
    opts: { signal?: AbortSignal; maxBytes?: number; etag?: string } = {},
  ): Promise<{ url: string; size: number }> {
    const resolved = this.sourceUrl(url);
    const pin = opts.etag === undefined ? undefined : `"${opts.etag}"`;
    return this.withRetry(opts.signal, async () => {
      // R2 presigned GETs sign If-Match (they need the header); the local storage URL signs the
      // ETag itself. Either way, the answer's ETag is checked too.
      const headers: Record<string, string> = { range: "bytes=0-0" };
      if (pin) headers["if-match"] = pin;
      const res = await fetch(resolved, {
        headers,
        redirect: "error",
        signal: this.attemptSignal(opts.signal, this.requestTimeoutMs),
      });
      await res.body?.cancel();
      const served = res.headers.get("etag");
      if (pin && (res.status === 412 || (res.ok && served !== null && served.replace(/^W\//, "") !== pin))) {
        throw new SourceChanged();
      }
      if (res.status === 416) return { url: resolved, size: 0 }; // bytes=0-0 of an empty object
      if (res.status !== 206) {
        throw new EdgeError(
          res.ok
            ? `the source URL answered ${res.status} to a Range request: it must serve byte ranges`
            : `the source URL answered ${res.status}`,
          res.status,
          retryableStatus(res.status),
        );
      }
      const total = /^bytes 0-0\/(\d+)$/.exec(res.headers.get("content-range") ?? "")?.[1];
      if (total === undefined) {
        throw new EdgeError("the source URL's 206 has no Content-Range with the size", 206, false);
      }
      const size = Number(total);
      if (opts.maxBytes !== undefined && size > opts.maxBytes) throw new DownloadTooLarge(size);
      return { url: resolved, size };
    });
  }

  // ---- plumbing ----

  private jobPath(jobId: string, action: string): string {
    return `/internal/jobs/${encodeURIComponent(jobId)}/${action}`;
  }

  private resolve(url: string): string {
    return new URL(url, `${this.base}/`).toString();
  }

  private async put(
    signed: SignedOutput,
    body: () => NonNullable<RequestInit["body"]>,
    size: number,
    contentType: string,
    signal?: AbortSignal,
  ): Promise<void> {
    const headers: Record<string, string> = { "content-type": contentType };
    for (const [k, v] of Object.entries(signed.headers)) headers[k.toLowerCase()] = v;
    headers["content-length"] = String(size);
    await this.withRetry(signal, async () => {
      const res = await fetch(this.resolve(signed.url), {
        method: "PUT",
        body: body(),
        headers,
        signal: this.attemptSignal(signal, this.uploadTimeoutMs),
      });
      await res.body?.cancel();
      if (!res.ok) {
        throw new EdgeError(
          `PUT ${signed.path} answered ${res.status}`,
          res.status,
          retryableStatus(res.status),
        );
      }
    });
  }

  private attemptSignal(signal: AbortSignal | undefined, timeoutMs: number): AbortSignal {
    const timeout = AbortSignal.timeout(timeoutMs);
    return signal ? AbortSignal.any([signal, timeout]) : timeout;
  }

  private async withRetry<T>(signal: AbortSignal | undefined, attempt: () => Promise<T>): Promise<T> {
    for (let i = 0; ; i++) {
      try {
        return await attempt();
      } catch (err) {
        if (signal?.aborted) throw signal.reason;
        if (!isRetryable(err) || i >= this.retry.retries) throw err;
        const delay = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** i);
        await sleep(delay * (0.75 + Math.random() * 0.5), signal);
      }
    }
  }

  /** POSTs JSON with the bearer token; null for 204; the parsed answer for 2xx. */
  private async call<T>(
    path: string,
    body: unknown,
    schema: z.ZodType<T>,
    signal?: AbortSignal,
  ): Promise<T | null> {
    return this.withRetry(signal, async () => {
      const res = await fetch(`${this.base}${path}`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${this.options.token}`,
          "content-type": "application/json",
          accept: "application/json",
        },
        body: JSON.stringify(body),
        signal: this.attemptSignal(signal, this.requestTimeoutMs),
      });
      const text = await res.text();
      if (res.status === 204) return null;
      let json: unknown = null;
      if (text) {
        try {
          json = JSON.parse(text);
        } catch {
          if (res.ok) throw new EdgeError(`POST ${path}: answer is not JSON`, res.status, false);
        }
      }
      if (res.ok) {
        const parsed = schema.safeParse(json);
        if (!parsed.success) {
          throw new EdgeError(
            `POST ${path}: unexpected answer (${parsed.error.issues[0]?.message})`,
            res.status,
            false,
          );
        }
        return parsed.data;
      }
      const detail = problemDetail(json) ?? `${res.status}`;
      if (res.status === 409) throw new LeaseLost(detail);
      throw new EdgeError(
        `POST ${path} answered ${res.status}: ${detail}`,
        res.status,
        retryableStatus(res.status),
      );
    });
  }
}

function problemDetail(json: unknown): string | null {
  if (typeof json !== "object" || json === null) return null;
  const p = json as { detail?: unknown; title?: unknown };
  const text = typeof p.detail === "string" ? p.detail : typeof p.title === "string" ? p.title : null;
  return text;
}
