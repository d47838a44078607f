/**
 * Authorisation-matrix entries of the payouts routes (issue 14; see matrix.ts).
 *
 * The creator's routes (/me/payouts/onboarding, /me/earnings, /me/payouts) act on the caller's own
 * channel: there is no channel id to name, so another creator simply reads their own (that two
 * creators see different statements is payouts/earnings.test.ts's). They refuse a kids profile (403,
 * `payouts.own`) and a grown-up without a channel (409: nothing to be paid for). The runs are
 * admins'. The origin's /internal/payouts API takes the origin token only: no user credential of
 * any kind gets past it (as the jobs API, authorization/jobs.ts).
 */
import { env } from "cloudflare:test";
import { eq, inArray } from "drizzle-orm";
import { expect } from "vitest";
import { creatorEarnings, payoutAccounts } from "../../src/db/schema";
import { testDb } from "../fixtures";
import { signedIn } from "./intruders";
import type { Intruder, MatrixEntry, MatrixRequest, OwnerCheck, World } from "./matrix";
import { afterRefusals } from "./phases";

let world: World | null = null;
const remember = (w: World) => {
  world = w;
};

/** A creator's route: kids refused by the permission, a viewer for having no channel. */
const ownChannel = { ...signedIn, viewer: 409, kids: 403 } as const;
const adminOnly = { ...signedIn, viewer: 403, otherAccount: 403, kids: 403 } as const;
const everyUser: Partial<Record<Intruder, 401>> = {
  anonymous: 401,
  expired: 401,
  tampered: 401,
  revoked: 401,
  otherAccount: 401,
  viewer: 401,
  kids: 401,
};
const origin: OwnerCheck["as"] = () => ({ token: env.PAYOUTS_TOKEN });

/** A period long closed (facts of 2020 never change), so the origin's reads answer 200. */
export const CLOSED_PERIOD = "2020-01";

/**
 * The origin's legitimate request per internal operation; the fuzz test sends the same ones as its
 * valid cases (fuzz/payouts.ts). The statements are empty: nothing any other test reads changes.
 */
export const PAYOUTS_INTERNAL_REQUESTS: Record<string, MatrixRequest> = {
  "GET /internal/payouts/periods/{period}": { path: `/internal/payouts/periods/${CLOSED_PERIOD}` },
  "GET /internal/payouts/periods/{period}/channels": {
    path: `/internal/payouts/periods/${CLOSED_PERIOD}/channels`,
  },
  "GET /internal/payouts/accounts": { path: "/internal/payouts/accounts" },
  "POST /internal/payouts/statements": {
    path: "/internal/payouts/statements",
    json: { earnings: [], payouts: [], run: null },
  },
};

afterRefusals("no refused attempt made a payout account or an earning", async () => {
  if (!world) return;
  const channels = [world.owner, world.kids, world.other]
    .map((a) => a.channelId)
    .filter((id): id is string => id !== null);
  expect(
    await testDb().select().from(payoutAccounts).where(inArray(payoutAccounts.channelId, channels)),
  ).toEqual([]);
  expect(
    await testDb()
      .select()
      .from(creatorEarnings)
      .where(eq(creatorEarnings.channelId, world.owner.channelId as string)),
  ).toEqual([]);
});

export const PAYOUTS_ENTRIES: MatrixEntry[] = [
  {
    operation: "POST /api/v1/me/payouts/onboarding",
    request: (w) => {
      remember(w);
      return { path: "/api/v1/me/payouts/onboarding" };
    },
    refuse: ownChannel,
    owner: { status: 200 },
  },
  {
    operation: "GET /api/v1/me/earnings",
    request: () => ({ path: "/api/v1/me/earnings" }),
    refuse: ownChannel,
    owner: { status: 200 },
  },
  {
    operation: "GET /api/v1/me/payouts",
    request: () => ({ path: "/api/v1/me/payouts" }),
    refuse: ownChannel,
    owner: { status: 200 },
  },
  {
    operation: "GET /api/v1/admin/payouts/runs",
    request: () => ({ path: "/api/v1/admin/payouts/runs" }),
    refuse: adminOnly,
    owner: { as: (w) => ({ token: w.admin.accessToken }), status: 200 },
  },
  ...Object.entries(PAYOUTS_INTERNAL_REQUESTS).map(
    ([operation, request]): MatrixEntry => ({
      operation,
      request: () => request,
      refuse: everyUser,
      owner: { as: origin, status: 200 },
    }),
  ),
];

/** Mutating payouts operations anyone may call: none (statements are the origin's, in the matrix). */
export const PAYOUTS_PUBLIC_OPERATIONS: Record<string, string> = {};
