/**
 * The accounts the fuzz test acts as, and per operation the legitimate requests its schema-driven
 * cases cannot make (a live refresh token, a mailed code), so some case of every operation gets
 * through (the lease-holding job calls get as far as "this lease is not yours").
 */
import { JOB_REQUESTS } from "../authorization/jobs";
import {
  api,
  apiJson,
  codeIn,
  eventually,
  mailbox,
  mailedCode,
  type SeededAccount,
  seedAccount,
  tokenMailed,
  unique,
} from "../harness";
import { ADMIN_SETTINGS_STATEFUL } from "./admin-settings";
import { ADS_STATEFUL } from "./ads";
import { ANALYTICS_STATEFUL } from "./analytics";
import { MODERATION_STATEFUL } from "./moderation";
import { PAYOUTS_STATEFUL } from "./payouts";
import { REPORTS_STATEFUL } from "./reports";
import { fuzzClientAddress } from "./send";
import { WEBHOOKS_STATEFUL } from "./webhooks";

/** Operations whose success ends the caller's session: each valid-token case gets a fresh session. */
export const SESSION_ENDING = new Set(["POST /api/v1/auth/logout"]);

export interface World {
  /** Owns a channel and a second profile; the token most authenticated cases use. */
  main: SeededAccount;
  /** Signs in anew for each session-ending case. */
  donor: SeededAccount;
  admin: SeededAccount;
  victim: SeededAccount;
}

export async function seedWorld(): Promise<World> {
  const [main, donor, admin, victim] = await Promise.all([
    // Also an advertiser and a moderator, so the ads routes' cases get past the role check (those
    // roles reach only the ads routes and moderation of others' things, whose ids it never names).
    seedAccount({
      tag: "fuzzmain",
      channel: true,
      profiles: [{ name: "Second" }],
      roles: ["advertiser", "moderator"],
    }),
    seedAccount({ tag: "fuzzdonor" }),
    seedAccount({ tag: "fuzzadmin", roles: ["admin"] }),
    seedAccount({ tag: "fuzzvictim", channel: true }),
  ]);
  return { main, donor, admin, victim };
}

/** A legitimate request whose body needs server state no schema sample can have (a live token, a mailed code). */
interface StatefulCase {
  body: unknown;
  /** The bearer token to send, when not the operation's usual one. */
  token?: string;
  /** The path, when the operation's has parameters. */
  path?: string;
}

/** A throwaway account, for requests that change or end what they act on. */
const throwaway = (tag: string) => seedAccount({ tag });
const newPhone = () => `+1415${String(Math.floor(Math.random() * 1e7)).padStart(7, "0")}`;

/**
 * Per operation, legitimate requests the schema-driven cases cannot make, so that some case of every
 * operation gets through (the lease-holding job calls get as far as "this lease is not yours").
 */
export const STATEFUL: Record<string, (w: World, videoId: string) => Promise<StatefulCase>> = {
  "POST /api/v1/auth/refresh": async (w) => ({
    body: {
      refreshToken: (
        await apiJson<{ refreshToken: string }>("/api/v1/auth/login", 200, {
          method: "POST",
          json: { email: w.donor.email, password: w.donor.password },
          ip: fuzzClientAddress(),
        })
      ).refreshToken,
    },
  }),
  "POST /api/v1/auth/verify-email": async () => {
    const account = await seedAccount({ tag: "fuzzverify" });
    return { body: { code: await mailedCode(account.email) }, token: account.accessToken };
  },
  "POST /api/v1/auth/login": async (w) => ({ body: { email: w.donor.email, password: w.donor.password } }),
  "POST /api/v1/auth/password-reset/confirm": async () => {
    const account = await throwaway("fuzzreset");
    await api("/api/v1/auth/password-reset/request", {
      method: "POST",
      json: { email: account.email },
      ip: fuzzClientAddress(),
    });
    // The link is mailed after the response.
    const token = await tokenMailed(account.email, "Reset token");
    return { body: { token, password: "a brand new fuzz password" } };
  },
  "POST /api/v1/me/password": async () => {
    const account = await throwaway("fuzzpassword");
    return {
      body: { currentPassword: account.password, newPassword: "a brand new fuzz password" },
      token: account.accessToken,
    };
  },
  "DELETE /api/v1/me": async () => {
    const account = await throwaway("fuzzdelete");
    return { body: { password: account.password }, token: account.accessToken };
  },
  "POST /api/v1/me/email": async () => {
    const account = await throwaway("fuzzemail");
    return {
      body: { email: `${unique("fuzznew")}@example.test`, password: account.password },
      token: account.accessToken,
    };
  },
  "POST /api/v1/auth/email-change/undo": async () => {
    // A verified account moves to a new address; the notice to the old one carries the undo token.
    const account = await throwaway("fuzzundo");
    await apiJson("/api/v1/auth/verify-email", 204, {
      method: "POST",
      token: account.accessToken,
      json: { code: await mailedCode(account.email) },
    });
    await apiJson("/api/v1/me/email", 200, {
      method: "POST",
      token: account.accessToken,
      json: { email: `${unique("fuzzundonew")}@example.test`, password: account.password },
    });
    const token = await tokenMailed(account.email, "Undo token");
    return { body: { token, password: "a brand new fuzz password" } };
  },
  "DELETE /api/v1/me/email/undo-links": async () => {
    // With the account's own password: 204 (nothing pending), past authentication and validation.
    const account = await throwaway("fuzzundolinks");
    return { body: { password: account.password }, token: account.accessToken };
  },
  "POST /api/v1/me/phone": async () => {
    const account = await throwaway("fuzzphone");
    return { body: { phone: newPhone(), password: account.password }, token: account.accessToken };
  },
  "POST /api/v1/me/phone/verify": async () => {
    const account = await throwaway("fuzzphoneverify");
    const phone = newPhone();
    await apiJson("/api/v1/me/phone", 202, {
      method: "POST",
      token: account.accessToken,
      json: { phone, password: account.password },
    });
    const body = await eventually(async () => (await mailbox(phone)).sms[0]?.body);
    return { body: { code: codeIn(body) }, token: account.accessToken };
  },
  "POST /api/v1/me/notifications/read": async () => ({ body: { all: true } }),
  "POST /api/v1/events/playback": async (_w, videoId) => ({
    body: {
      beacons: [
        {
          id: `fz-${crypto.randomUUID()}`,
          videoId,
          sessionId: "fuzz-session",
          kind: "start",
          positionMs: 0,
          occurredAt: new Date().toISOString(),
        },
      ],
    },
  }),
  // The ads routes, as their own advertiser or a moderator (the fuzz world has neither).
  ...ADS_STATEFUL,
  // The origin's payouts API on a closed period (the creator routes need none: main owns a channel).
  ...PAYOUTS_STATEFUL,
  // Trust and safety: real targets, cases, strikes and appeals (claimed first where a route needs it).
  ...REPORTS_STATEFUL,
  ...MODERATION_STATEFUL,
  // Analytics of the fuzz world's own ready video (a sample id names nothing).
  ...ANALYTICS_STATEFUL,
  ...WEBHOOKS_STATEFUL,
  // The admin's configuration (saved back to the defaults) and a throwaway account's suspension.
  ...ADMIN_SETTINGS_STATEFUL,
  // The origin's requests on a job it holds no lease of, as the authorisation matrix makes them.
  ...Object.fromEntries(
    Object.entries(JOB_REQUESTS).map(([op, { path, json }]) => [op, async () => ({ path, body: json })]),
  ),
};
