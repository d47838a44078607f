/**
 * Sending fuzz cases and judging the answers: the rules every response must follow (status below
 * 500, problem+json errors, an x-request-id), with a client address per request.
 */
import { env } from "cloudflare:test";
import { api, apiJson, type SeededAccount } from "../harness";
import type { FuzzCase } from "./cases";

/** A client address per request, outside the range the harness uses, so throttles stay ours. */
let addressCounter = 0;
export const fuzzClientAddress = () => {
  const n = addressCounter++;
  return n % 5 === 0 ? `2001:db8::${(n & 0xffff).toString(16)}` : `198.18.${(n >> 8) & 255}.${n & 255}`;
};

export async function signIn(account: SeededAccount): Promise<string> {
  const pair = await apiJson<{ accessToken: string }>("/api/v1/auth/login", 200, {
    method: "POST",
    json: { email: account.email, password: account.password },
    ip: fuzzClientAddress(),
  });
  return pair.accessToken;
}

export interface Outcome {
  fuzzCase: FuzzCase;
  status: number;
  /** Why the response breaks the rules; empty when it is fine. */
  problems: string[];
  body: string;
  /** Set when the client itself refused to send the request (e.g. a newline in a header). */
  skipped?: string;
}

export function check(c: FuzzCase, res: Response, text: string): string[] {
  const problems: string[] = [];
  const status = res.status;
  if (!res.headers.get("x-request-id")) problems.push("no x-request-id header");
  if (status >= 500) problems.push("server error");
  if (c.expect && !c.expect.includes(status)) problems.push(`expected ${c.expect.join(" or ")}`);
  if (c.reject?.includes(status)) problems.push(`must not be ${status}`);
  if (c.echoRequestId && res.headers.get("x-request-id") !== c.echoRequestId) {
    problems.push(`x-request-id ${res.headers.get("x-request-id")} does not echo ${c.echoRequestId}`);
  }
  if (status === 429 && !res.headers.get("retry-after")) problems.push("429 without retry-after");
  if (status >= 400) {
    const contentType = res.headers.get("content-type") ?? "";
    if (!contentType.startsWith("application/problem+json"))
      problems.push(`content-type is "${contentType}"`);
    if (c.method !== "HEAD") {
      try {
        const doc = JSON.parse(text) as Record<string, unknown>;
        if (doc.status !== status)
          problems.push(`problem status ${String(doc.status)} differs from ${status}`);
        if (typeof doc.title !== "string" || !doc.title) problems.push("problem has no title");
        if (typeof doc.type !== "string" || !doc.type) problems.push("problem has no type");
      } catch {
        problems.push("body is not JSON");
      }
    }
  }
  return problems;
}

function streamOf(bytes: Uint8Array): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + 16 * 1024));
      offset += 16 * 1024;
    },
  });
}

export async function send(c: FuzzCase, authorization: string | null): Promise<Outcome> {
  const headers = new Headers();
  try {
    for (const [k, v] of Object.entries(c.headers)) headers.set(k, v);
    if (authorization !== null) headers.set("authorization", authorization);
  } catch (error) {
    return { fuzzCase: c, status: 0, problems: [], body: "", skipped: String(error) };
  }
  if (!headers.has("cf-connecting-ip")) headers.set("cf-connecting-ip", fuzzClientAddress());
  // Bytes, never a string: a string body would make fetch add its own text/plain content type.
  const bytes =
    c.body === undefined ? undefined : typeof c.body === "string" ? new TextEncoder().encode(c.body) : c.body;
  let res: Response;
  try {
    res = await api(c.url, {
      method: c.method,
      headers,
      ...(bytes ? { body: c.stream ? streamOf(bytes) : bytes } : {}),
    });
  } catch (error) {
    if (error instanceof TypeError && !c.stream) {
      return { fuzzCase: c, status: 0, problems: [], body: "", skipped: String(error) };
    }
    return { fuzzCase: c, status: 0, problems: [`fetch threw: ${String(error)}`], body: "" };
  }
  const text = await res.text();
  if (c.op === "POST /internal/jobs/lease" && res.status === 200) await releaseLeased(text);
  return { fuzzCase: c, status: res.status, problems: check(c, res, text), body: text };
}

/**
 * A fuzz case that leased a real job (a valid origin token and a well-formed body) hands it straight
 * back: the queue is global and other test files are waiting on their own jobs.
 */
async function releaseLeased(body: string): Promise<void> {
  const job = JSON.parse(body) as { id: string; leaseToken: string };
  await api(`/internal/jobs/${job.id}/release`, {
    method: "POST",
    headers: { authorization: `Bearer ${env.ORIGIN_TOKEN}` },
    json: { leaseToken: job.leaseToken },
  });
}

export async function runPool<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
