import type { Context } from "hono";
import { AppError } from "../lib/errors";
import type { AppEnv } from "../types";

/**
 * Rate limits of the account flows (docs/auth.md). Constants rather than config: they are part of
 * the security rules, and tests pin them.
 */
export const LIMITS = {
  /** Failed signups (the email was taken) per client address: bounds probing for accounts. */
  signupProbesPerClient: { limit: 5, windowSeconds: 3600 },
  /** Wrong passwords when re-authenticating (delete account, change email, phone, password), per session. */
  reauthPerSession: { limit: 10, windowSeconds: 300 },
  /** Past this many attempts on one email (from anywhere) in the login window, attempts are slowed. */
  loginEmailSlowdown: { stepMs: 1000, maxDelayMs: 5000 },
  /** Wrong guesses of typed codes per account and purpose, across every code issued. */
  codeGuessesPerAccount: { limit: 10, windowSeconds: 3600 },
  /** Requests for a code or reset link, by what is limited. */
  codeRequests: {
    perAccount: { limit: 5, windowSeconds: 3600 },
    perDestination: { limit: 5, windowSeconds: 3600 },
    perClient: { limit: 20, windowSeconds: 3600 },
  },
} as const;

export interface Limit {
  limit: number;
  windowSeconds: number;
}

/** The client address Cloudflare reports; "unknown" outside Cloudflare (all such callers share it). */
export const clientAddress = (c: Context<AppEnv>) => c.req.header("cf-connecting-ip") ?? "unknown";

export const throttle = (env: Env, key: string) => env.LOGIN_THROTTLE.get(env.LOGIN_THROTTLE.idFromName(key));

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
  const stubs = keys.map(([key]) => throttle(env, key));
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

/** The limits on sending a code or link: per account, per destination address and per client. */
export function codeRequestGate(
  env: Env,
  kind: "verify_email" | "verify_phone" | "password_reset",
  scope: { accountId?: string; destination: string; client: string },
): Promise<Gate> {
  const l = LIMITS.codeRequests;
  const keys: [string, Limit][] = [
    [`code:${kind}:to:${scope.destination}`, l.perDestination],
    [`code:${kind}:client:${scope.client}`, l.perClient],
  ];
  if (scope.accountId) keys.push([`code:${kind}:account:${scope.accountId}`, l.perAccount]);
  return gate(env, keys, "code requests");
}
