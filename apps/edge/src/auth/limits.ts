import type { Context } from "hono";
import { AppError } from "../lib/errors";
import { sha256Hex } from "../lib/ids";
import type { AppEnv } from "../types";
import { rateLimiter } from "./rate-limiter";

/**
 * Rate limits of the account flows (docs/auth.md). Constants rather than config: they are part of
 * the security rules, and tests pin them.
 */
export const LIMITS = {
  /** Failed signups or email changes (the email was taken) per client: bounds probing for accounts. */
  signupProbesPerClient: { limit: 5, windowSeconds: 3600 },
  /** Wrong passwords when re-authenticating (delete account, change email, phone, password), per session. */
  reauthPerSession: { limit: 10, windowSeconds: 300 },
  /**
   * Past the soft limit of attempts on one email (from anywhere) in the login window, each attempt
   * from a client that is not known for the email takes the next slot, `stepMs` after the last one;
   * one whose slot is more than `maxDelayMs` away is refused. A known client (signed in to this email
   * within `knownClientDays`) is never slowed or refused.
   */
  loginEmailSlowdown: { stepMs: 1000, maxDelayMs: 5000, knownClientDays: 30 },
  /**
   * Cancelling undo links: the caller's client must have been known to the link's address (signed
   * in with it) this long before the link was issued — an owner's established address, not one a
   * password thief signed in from on the way to changing the email.
   */
  undoCancelEstablishedDays: 7,
  /** Wrong guesses of typed codes per account and purpose, across every code issued. */
  codeGuessesPerAccount: { limit: 10, windowSeconds: 3600 },
  /** Requests for a code or reset link, by what is limited. */
  codeRequests: {
    perAccount: { limit: 5, windowSeconds: 3600 },
    /** One client asking for one destination: the limit a stranger hits. */
    perDestinationAndClient: { limit: 5, windowSeconds: 3600 },
    /** Everyone asking for one destination: well above what one client may send (anti mail-bomb). */
    perDestination: { limit: 30, windowSeconds: 3600 },
    perClient: { limit: 20, windowSeconds: 3600 },
  },
} as const;

export interface Limit {
  limit: number;
  windowSeconds: number;
}

/** The client address Cloudflare reports; "unknown" outside Cloudflare (all such callers share it). */
export const clientAddress = (c: Context<AppEnv>) => c.req.header("cf-connecting-ip") ?? "unknown";

/**
 * The key every per-client limit counts under. An IPv4 address is one client; an IPv6 address is
 * reduced to its /64, since one subscriber commonly holds a whole /64 and could otherwise rotate
 * through 2^64 addresses. An IPv4-mapped IPv6 address is its IPv4 address. Anything else (including
 * "unknown") is its own bucket.
 */
export function clientKey(address: string): string {
  const a = address.trim().toLowerCase();
  if (!a.includes(":")) return a;
  const groups = ipv6Groups(a.split("%")[0] ?? "");
  if (!groups) return a;
  const [g0, g1, g2, g3, g4, g5, g6 = 0, g7 = 0] = groups;
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0xffff)
    return [g6 >> 8, g6 & 255, g7 >> 8, g7 & 255].join(".");
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(":")}::/64`;
}

/** The eight 16-bit groups of an IPv6 address (compressed, or ending in a dotted quad), or null. */
function ipv6Groups(address: string): number[] | null {
  let s = address;
  const quad = /^(.*:)(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (quad) {
    const b = quad.slice(2).map(Number);
    if (b.some((x) => x > 255)) return null;
    const [b0 = 0, b1 = 0, b2 = 0, b3 = 0] = b;
    s = `${quad[1]}${((b0 << 8) | b1).toString(16)}:${((b2 << 8) | b3).toString(16)}`;
  }
  const halves = s.split("::");
  if (halves.length > 2) return null;
  const parts = (h: string | undefined) => (h ? h.split(":") : []);
  const head = parts(halves[0]);
  const tail = parts(halves[1]);
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  if (!all.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return null;
  return all.map((g) => Number.parseInt(g, 16));
}

/**
 * What the email's rate limiter remembers of a client that signed in to it: a hash of the pair, never
 * the address. (Unkeyed: the IPv4 space is small enough to search, so it hides addresses from a
 * casual reader of the storage, not from a determined one; the storage holds nothing else.)
 */
export const knownClientHash = (email: string, client: string): Promise<string> =>
  sha256Hex(JSON.stringify(["known-client", email, client]));

export const tooMany = (wait: number, what: string) =>
  new AppError("rate_limited", `Too many ${what}. Try again in ${wait} seconds.`, {
    headers: { "retry-after": String(wait) },
  });

export interface Gate {
  /** Forgive this attempt (it succeeded) — or, with `clearAll`, every attempt under the key. */
  forgive(clearAll?: boolean): Promise<void>;
}

/**
 * Counts one attempt under every key, or refuses with 429 if any key is at its limit. A refusal
 * takes back the attempts the other keys had just counted, so a refused request costs nothing
 * under keys that had room (one noisy key cannot drain another).
 */
export async function gate(env: Env, keys: [string, Limit][], what: string): Promise<Gate> {
  const stubs = keys.map(([key]) => rateLimiter(env, key));
  const decisions = await Promise.all(
    keys.map(([, l], i) => stubs[i]?.begin(l.limit, l.windowSeconds) ?? Promise.reject()),
  );
  const settleAll = (clearAll: boolean) =>
    Promise.all(
      decisions.map((d, i) =>
        d.allowed ? stubs[i]?.settle(d.attemptId ?? 0, true, clearAll) : Promise.resolve(),
      ),
    ).then(() => undefined);
  if (decisions.some((d) => !d.allowed)) {
    await settleAll(false);
    throw tooMany(Math.max(...decisions.map((d) => d.retryAfterSeconds ?? 0)), what);
  }
  return { forgive: (clearAll = false) => settleAll(clearAll) };
}

/**
 * The budgets of whoever asks for a code or link: per account, per client and per (destination,
 * client). These are the hard limits a stranger hits, and they are the caller's own: a stranger
 * exhausting them stops no one else.
 */
export function callerCodeGate(
  env: Env,
  kind: CodeKind,
  scope: { accountId?: string; destination: string; client: string },
): Promise<Gate> {
  const l = LIMITS.codeRequests;
  const client = clientKey(scope.client);
  const keys: [string, Limit][] = [
    [`code:${kind}:pair:${JSON.stringify([scope.destination, client])}`, l.perDestinationAndClient],
    [`code:${kind}:client:${client}`, l.perClient],
  ];
  if (scope.accountId) keys.push([`code:${kind}:account:${scope.accountId}`, l.perAccount]);
  return gate(env, keys, "code requests");
}

/**
 * The destination's own budget, far above what one client may send: it bounds how much mail (or
 * SMS) everyone together can aim at one address. Counted only for a request that will send.
 */
export const destinationCodeGate = (env: Env, kind: CodeKind, destination: string): Promise<Gate> =>
  gate(env, [[`code:${kind}:to:${destination}`, LIMITS.codeRequests.perDestination]], "code requests");

type CodeKind = "verify_email" | "verify_phone" | "password_reset";

/**
 * Both of the above, for a request that sends whenever it passes them. `skipDestination` is for a
 * client known to the destination (it signed in with that email): a crowd of strangers filling the
 * destination's budget must not stop its owner.
 */
export async function codeRequestGate(
  env: Env,
  kind: CodeKind,
  scope: { accountId?: string; destination: string; client: string; skipDestination?: boolean },
): Promise<Gate> {
  const caller = await callerCodeGate(env, kind, scope);
  if (scope.skipDestination) return caller;
  const destination = await destinationCodeGate(env, kind, scope.destination).catch(async (e) => {
    await caller.forgive();
    throw e;
  });
  return {
    forgive: (clearAll) =>
      Promise.all([caller.forgive(clearAll), destination.forgive(clearAll)]).then(() => {}),
  };
}

/**
 * Attempts that would tell whether an email is registered (signup, email change), per client: five
 * an hour, forgiven only when the attempt succeeds, so the 429 past it says nothing about an email.
 */
export const probingGate = (env: Env, address: string): Promise<Gate> =>
  gate(
    env,
    [[`signup:client:${clientKey(address)}`, LIMITS.signupProbesPerClient]],
    "attempts with an email that may be taken",
  );
