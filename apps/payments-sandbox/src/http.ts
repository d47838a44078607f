/** What every handler returns; server.ts writes it (or, for drop-next-response, throws it away). */
import { randomBytes } from "node:crypto";

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/** One parsed request, as handlers see it. */
export interface Req {
  method: string;
  path: string;
  query: URLSearchParams;
  rawQuery: string;
  headers: Record<string, string | string[] | undefined>;
  rawBody: string;
}

export function json(status: number, value: unknown, headers: Record<string, string> = {}): Reply {
  return {
    status,
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(value),
  };
}

export function html(status: number, body: string): Reply {
  return { status, headers: { "content-type": "text/html; charset=utf-8" }, body };
}

export function redirect(location: string): Reply {
  return { status: 303, headers: { location }, body: "" };
}

export const header = (req: Req, name: string): string | undefined => {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
};

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** `cus_3Kq…`-style ids: a prefix and 14 random alphanumerics, as Stripe's look. */
export function newId(prefix: string, length = 14, sep = "_"): string {
  const bytes = randomBytes(length);
  let s = "";
  for (const b of bytes) s += ALPHABET[b % ALPHABET.length];
  return `${prefix}${sep}${s}`;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Cents → "17.99" (PayPal's decimal strings; integer arithmetic, no floats). */
export function centsToDecimal(cents: number): string {
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

/** "$17.99" for the hosted pages. */
export const formatMoney = (cents: number, currency: string): string =>
  currency.toLowerCase() === "usd"
    ? `$${centsToDecimal(cents)}`
    : `${centsToDecimal(cents)} ${currency.toUpperCase()}`;
