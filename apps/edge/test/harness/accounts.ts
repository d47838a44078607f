/**
 * Accounts, profiles and channels made through the real API, so they are exactly what users get.
 */
import type { Maturity, Role } from "@marquee/shared";
import { eq } from "drizzle-orm";
import { beforeAll } from "vitest";
import { accounts } from "../../src/db/schema";
import { testDb } from "../fixtures";
import { apiJson, randomIp, unique, uniqueEmail } from "./api";

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
    ip: randomIp(),
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
    await testDb().update(accounts).set({ roles }).where(eq(accounts.id, pair.accountId));
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

/** `count` accounts with a channel each, seeded in parallel (creators a test spreads videos over). */
export function seedCreators(count: number, tag: string): Promise<SeededAccount[]> {
  return Promise.all(Array.from({ length: count }, () => seedAccount({ tag, channel: true })));
}

/** The tokens of one account's adult (default), kids and teen profiles. */
export interface FamilyTokens {
  adult: string;
  kids: string;
  teen: string;
}

/** An account with an adult, a kids and a teen profile, for tests of what each maturity sees. */
export async function seedFamily(tag: string): Promise<FamilyTokens> {
  const family = await seedAccount({ tag, profiles: [{ maturity: "kids" }, { maturity: "teen" }] });
  const [adult, kids, teen] = family.profiles.map((p) => p.token) as [string, string, string];
  return { adult, kids, teen };
}

/**
 * Several accounts seeded at once, keyed by the part each plays in a test, e.g.
 * `seedCast("cmdel", { owner: { channel: true }, fan: {} })`; each is tagged `<tag><part>`.
 */
export async function seedCast<Part extends string>(
  tag: string,
  parts: Record<Part, SeedOptions>,
): Promise<Record<Part, SeededAccount>> {
  const entries = Object.entries(parts) as [Part, SeedOptions][];
  const seeded = await Promise.all(
    entries.map(([part, options]) => seedAccount({ tag: `${tag}${part}`, ...options })),
  );
  return Object.fromEntries(entries.map(([part], i) => [part, seeded[i]])) as Record<Part, SeededAccount>;
}

/**
 * The cast of seedCast, seeded once in a `beforeAll` of the file or describe block that calls this;
 * its fields are there once the tests run.
 */
export function seedCastBeforeAll<Part extends string>(
  tag: string,
  parts: Record<Part, SeedOptions>,
): Record<Part, SeededAccount> {
  const cast = {} as Record<Part, SeededAccount>;
  beforeAll(async () => {
    Object.assign(cast, await seedCast(tag, parts));
  });
  return cast;
}

/** `count` creators seeded once in a `beforeAll` (seedCreators); `creator(i)` is the i-th. */
export function seedCreatorsBeforeAll(count: number, tag: string): (i: number) => SeededAccount {
  let creators: SeededAccount[] = [];
  beforeAll(async () => {
    creators = await seedCreators(count, tag);
  });
  return (i) => creators[i] as SeededAccount;
}
