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

/** A page of a list endpoint, as `pageOf(...)` (src/lib/pagination.ts) answers it. */
export interface ListPage<T> {
  items: T[];
  nextCursor: string | null;
}

/** Every page of a list from its first, `limit` items a page (200 expected each); throws past 100 pages. */
export async function listPages<T>(path: string, token?: string, limit = 2): Promise<ListPage<T>[]> {
  const pages: ListPage<T>[] = [];
  const sep = path.includes("?") ? "&" : "?";
  let cursor: string | null = null;
  do {
    if (pages.length === 100) throw new Error(`${path}: the list never ended`);
    const query = `${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const page: ListPage<T> = await apiJson<ListPage<T>>(`${path}${query}`, 200, { token });
    pages.push(page);
    cursor = page.nextCursor;
  } while (cursor);
  return pages;
}

/** Every item of a list, page by page, in order. */
export async function listAll<T>(path: string, token?: string, limit = 2): Promise<T[]> {
  return (await listPages<T>(path, token, limit)).flatMap((page) => page.items);
}

/** The app's OpenAPI document, as clients (and the route-driven tests) read it. */
export async function openApiDocument<T>(): Promise<T> {
  return apiJson<T>("/api/openapi.json", 200);
}

export interface Mailbox {
  email: { to: string; subject: string; text: string }[];
  sms: { to: string; body: string }[];
}

/** What the dev mailer and SMS sender delivered to `to`, newest first. */
export const mailbox = (to: string) =>
  apiJson<Mailbox>(`/dev/mailbox?to=${encodeURIComponent(to)}&limit=100`, 200);

/** The first match of `pattern` (a six-digit code by default) in a mailed or texted text. */
export const codeIn = (text = "", pattern = /\b(\d{6})\b/) => pattern.exec(text)?.[1] ?? "";

/** The code in the newest mail to `to` ("" if none). */
export const mailedCode = async (to: string) => codeIn((await mailbox(to)).email[0]?.text);

/** The `label: <token>` token of the newest mail to `to` that has one ("" if none yet). */
export const tokenIn = async (to: string, label: string) => {
  const text = (await mailbox(to)).email.map((m) => m.text).join("\n");
  return new RegExp(`${label}: ([A-Za-z0-9_-]+)`).exec(text)?.[1] ?? "";
};

/** The same, polled: some links are mailed after the response. */
export const tokenMailed = (to: string, label: string) => eventually(() => tokenIn(to, label));

/** The code in the newest text to `phone` ("" if none). */
export const textedCode = async (phone: string) => codeIn((await mailbox(phone)).sms[0]?.body);

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
