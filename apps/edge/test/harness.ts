/**
 * The seeding harness later issues reuse: accounts, profiles and channels made through the real
 * API (so they are exactly what users get), with unique ids per call so test files can share
 * storage without seeing each other's rows.
 */

import { env, SELF } from "cloudflare:test";
import type { Maturity, Role } from "@marquee/shared";

export const BASE = "http://marquee.test";

let counter = 0;
export const unique = (tag = "t") =>
  `${tag}${Date.now().toString(36)}${(counter++).toString(36)}${crypto.randomUUID().slice(0, 6)}`;
export const uniqueEmail = (tag = "user") => `${unique(tag)}@example.test`;

/** A client address per test module, so the per-client login throttle of one file never trips another. */
const moduleClientIp = `10.${rand255()}.${rand255()}.${rand255()}`;
function rand255() {
  return Math.floor(Math.random() * 255);
}

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

export interface SeededProfile {
  id: string;
  name: string;
  maturity: Maturity;
  /** An access token whose active profile is this one. */
  token: string;
}

export interface SeededAccount {
  accountId: string;
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
  profileId: string;
  profiles: SeededProfile[];
  channelId: string | null;
  roles: Role[];
}

export interface SeedOptions {
  roles?: Role[];
  /** Extra profiles beyond the default one, e.g. [{ maturity: "kids" }]. */
  profiles?: { name?: string; maturity?: Maturity }[];
  channel?: boolean;
  tag?: string;
}

export async function seedAccount(options: SeedOptions = {}): Promise<SeededAccount> {
  const email = uniqueEmail(options.tag ?? "seed");
  const password = `pw-${crypto.randomUUID()}`;
  const pair = await apiJson<{
    accessToken: string;
    refreshToken: string;
    accountId: string;
    profileId: string;
  }>("/api/v1/auth/signup", 201, {
    method: "POST",
    json: { email, password, displayName: "Seeded Person" },
    // Each seeded account signs up from an address of its own: signups in flight from one address
    // count against its signup limit until they succeed (src/auth/signup-probing.test.ts).
    ip: `10.${rand255()}.${rand255()}.${rand255()}`,
  });
  let channelId: string | null = null;
  if (options.channel) {
    const ch = await apiJson<{ id: string }>("/api/v1/me/channel", 201, {
      method: "POST",
      token: pair.accessToken,
      json: { handle: unique("ch").slice(0, 30).toLowerCase(), name: "Seeded Channel" },
    });
    channelId = ch.id;
  }
  const profiles: SeededProfile[] = [
    { id: pair.profileId, name: "Seeded Person", maturity: "adult", token: pair.accessToken },
  ];
  for (const p of options.profiles ?? []) {
    const created = await apiJson<{ id: string; name: string; maturity: Maturity }>(
      "/api/v1/me/profiles",
      201,
      {
        method: "POST",
        token: pair.accessToken,
        json: { name: p.name ?? unique("p").slice(0, 20), maturity: p.maturity ?? "adult" },
      },
    );
    const switched = await apiJson<{ accessToken: string }>(`/api/v1/me/profiles/${created.id}/switch`, 200, {
      method: "POST",
      token: pair.accessToken,
    });
    profiles.push({ ...created, token: switched.accessToken });
  }
  const roles = [
    ...new Set<Role>([
      "viewer",
      ...(options.channel ? (["creator"] as const) : []),
      ...(options.roles ?? []),
    ]),
  ];
  // Roles other than creator are granted by an admin; the harness writes them directly.
  if (options.roles?.length) {
    await env.DB.prepare("UPDATE accounts SET roles = ? WHERE id = ?")
      .bind(JSON.stringify(roles), pair.accountId)
      .run();
  }
  return {
    accountId: pair.accountId,
    email,
    password,
    accessToken: pair.accessToken,
    refreshToken: pair.refreshToken,
    profileId: pair.profileId,
    profiles,
    channelId,
    roles,
  };
}

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
