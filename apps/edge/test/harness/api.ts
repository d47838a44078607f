/**
 * Calling the app as a client does: `api`/`apiJson` through SELF.fetch, with ids unique per call so
 * test files can share storage without seeing each other's rows.
 */
import { SELF } from "cloudflare:test";

export const BASE = "http://marquee.test";

let counter = 0;
export const unique = (tag = "t") =>
  `${tag}${Date.now().toString(36)}${(counter++).toString(36)}${crypto.randomUUID().slice(0, 6)}`;
export const uniqueEmail = (tag = "user") => `${unique(tag)}@example.test`;

export const randomIp = () => `10.${rand255()}.${rand255()}.${rand255()}`;
function rand255() {
  return Math.floor(Math.random() * 255);
}

/** A client address per test module, so the per-client login throttle of one file never trips another. */
const moduleClientIp = randomIp();

export interface ApiOptions extends Omit<RequestInit, "body"> {
  token?: string;
  json?: unknown;
  body?: BodyInit;
  ip?: string;
}

export async function api(path: string, options: ApiOptions = {}): Promise<Response> {
  const { token, json, ip, headers, ...init } = options;
  const h = new Headers(headers);
  if (token) h.set("authorization", `Bearer ${token}`);
  if (json !== undefined) h.set("content-type", "application/json");
  if (!h.has("cf-connecting-ip")) h.set("cf-connecting-ip", ip ?? moduleClientIp);
  return SELF.fetch(`${BASE}${path}`, {
    ...init,
    headers: h,
    ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
  });
}

/** Like `api` but asserts the status and returns the parsed JSON body. */
export async function apiJson<T = Record<string, unknown>>(
  path: string,
  status: number,
  options: ApiOptions = {},
): Promise<T> {
  const res = await api(path, options);
  const text = await res.text();
  if (res.status !== status) {
    throw new Error(
      `${options.method ?? "GET"} ${path}: expected ${status}, got ${res.status}: ${text.slice(0, 500)}`,
    );
  }
  return (text ? JSON.parse(text) : null) as T;
}

/** The app's OpenAPI document, as clients (and the route-driven tests) read it. */
export async function openApiDocument<T>(): Promise<T> {
  return apiJson<T>("/api/openapi.json", 200);
}

/** What the dev mailer and SMS sender delivered to `to`, newest first. */
export const mailbox = (to: string) =>
  apiJson<{ email: { text: string }[]; sms: { body: string }[] }>(
    `/dev/mailbox?to=${encodeURIComponent(to)}`,
    200,
  );

/** The first match of `pattern` (a six-digit code by default) in a mailed or texted text. */
export const codeIn = (text = "", pattern = /\b(\d{6})\b/) => pattern.exec(text)?.[1] ?? "";

/** Decodes a JWT's payload without verifying it (tests inspect claims the server signed). */
export function jwtClaims(token: string): Record<string, unknown> {
  const part = token.split(".")[1] ?? "";
  return JSON.parse(atob(part.replaceAll("-", "+").replaceAll("_", "/")));
}

/** Polls until `check` returns a value, for effects that happen asynchronously (queues, alarms). */
export async function eventually<T>(
  check: () => Promise<T | undefined | null | false>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}
