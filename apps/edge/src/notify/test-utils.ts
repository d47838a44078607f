// Helpers for the notify tests (run in workerd): reach the local SaaS stand-in
// started by test/global-setup.ts, bound as SAAS_URL.
import { env } from "cloudflare:test";
import { expect } from "vitest";
import { DeliveryError } from "./errors";

export interface Recorded {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
  rawBody: string;
  status?: number;
  response?: unknown;
}

export const bindings = env as unknown as { SAAS_URL: string; SETTINGS: KVNamespace };

export function saasUrl(): string {
  const url = bindings.SAAS_URL;
  if (!url) throw new Error("SAAS_URL binding missing: is test/global-setup.ts in globalSetup?");
  return url;
}

export async function recorded(
  service: "resend" | "twilio",
  match: (r: Recorded) => boolean,
): Promise<Recorded[]> {
  const res = await fetch(`${saasUrl()}/__requests?service=${service}`);
  const all = (await res.json()) as Recorded[];
  return all.filter(match);
}

export function rand(): string {
  return crypto.randomUUID().slice(0, 8);
}

/** A random US number in E.164, unlikely to collide between tests. */
export function randomPhone(): string {
  return `+1555${String(Math.floor(Math.random() * 10_000_000)).padStart(7, "0")}`;
}

export async function deliveryError(p: Promise<unknown>): Promise<DeliveryError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DeliveryError);
  return err as DeliveryError;
}

/** The one element of `items`, failing the test when there are none or several. */
export function single<T>(items: T[]): T {
  expect(items).toHaveLength(1);
  return items[0] as T;
}
