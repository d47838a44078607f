/**
 * The authorisation matrix: every mutating route (and the reads of private things), every kind of
 * caller that must be refused by it, and the request its owner makes, which must not be.
 *
 * authorization-matrix.test.ts runs it in three phases:
 *   1. refusals: each entry's request from each caller in `refuse` (and each `attempts` forgery);
 *   2. the checks registered with `afterRefusals` (phases.ts): every refused attempt left the
 *      targets exactly as they were;
 *   3. owners: each entry's request from its owner (`owner`), which must get `owner.status`. This
 *      is what makes a 404 refusal mean something: a wrong path or a target that was never seeded
 *      answers the owner 404 too, and fails. Owner requests change things (that is their job), so
 *      they run last; those that end a session or erase an account run on a newly seeded owner
 *      (`fresh`), and those that destroy a target other owner checks use run at the very end (`last`).
 *
 * Coverage (the first test): every mutating operation of openapi.json is in the matrix or in
 * PUBLIC_OPERATIONS with a reason; every entry, public operation and extra operation names a route
 * that exists; and every entry proves something about its own route. Expired, tampered and revoked
 * tokens are refused by the shared `authenticate` middleware before any route runs, so they prove
 * nothing per route: they are kept, but not counted. Anonymous callers pass that middleware (public
 * routes serve them), yet a 401 for them says only "this route wants a token"; not counted either.
 * An entry counts as covered when
 *   - it refuses a signed-in caller (`otherAccount`, `viewer`, `kids`) or a forged request of its
 *     own (`attempts`: bad signatures and the like, for routes that take no token), or
 *   - its only rule is "be signed in" (the caller acts on its own account or profile, so there is
 *     no other owner to protect): then it says so in `signedInOnly`, with the reason, and must
 *     refuse `anonymous` — that 401 comes from the route itself (requireActor), and the owner's
 *     success on the same path shows the route is real.
 *
 * Adding a domain: a file beside this one exporting its entries (and public operations), spread
 * into MATRIX / PUBLIC_OPERATIONS below. Seed what the entries target in a `beforeAll`, and check
 * that refusals changed nothing with `afterRefusals` (not `afterAll`: owner requests run before
 * `afterAll` and are allowed to change things).
 */
import { mailedCode, type SeededAccount, textedCode } from "../harness";
import { ACCOUNT_SECURITY_ENTRIES, ACCOUNT_SECURITY_PUBLIC_OPERATIONS } from "./account-security";
import { ADMIN_USERS_ENTRIES, ADMIN_USERS_PUBLIC_OPERATIONS } from "./admin-users";
import { ADS_ENTRIES, ADS_PUBLIC_OPERATIONS } from "./ads";
import { ANALYTICS_ENTRIES, ANALYTICS_PUBLIC_OPERATIONS } from "./analytics";
import { AUDIT_ENTRIES, AUDIT_PUBLIC_OPERATIONS } from "./audit";
import { BILLING_ENTRIES, BILLING_PUBLIC_OPERATIONS } from "./billing";
import { CAPTIONS_ENTRIES, CAPTIONS_PUBLIC_OPERATIONS } from "./captions";
import { CATALOG_ENTRIES, CATALOG_PUBLIC_OPERATIONS } from "./catalog";
import { COMMENTS_ENTRIES, COMMENTS_PUBLIC_OPERATIONS } from "./comments";
import { DISCOVERY_ENTRIES, DISCOVERY_PUBLIC_OPERATIONS } from "./discovery";
import { EXTRA_ENTRIES, EXTRA_OPERATIONS } from "./extra-routes";
import { notKids, signedIn } from "./intruders";
import { JOB_ENTRIES, JOB_PUBLIC_OPERATIONS } from "./jobs";
import { MODERATION_ENTRIES, MODERATION_PUBLIC_OPERATIONS } from "./moderation";
import { PAYOUTS_ENTRIES, PAYOUTS_PUBLIC_OPERATIONS } from "./payouts";
import { PLAYLISTS_ENTRIES, PLAYLISTS_PUBLIC_OPERATIONS } from "./playlists";
import { REACTIONS_ENTRIES, REACTIONS_PUBLIC_OPERATIONS } from "./reactions";
import { REPORTS_ENTRIES, REPORTS_PUBLIC_OPERATIONS } from "./reports";
import { SETTINGS_ENTRIES, SETTINGS_PUBLIC_OPERATIONS } from "./settings";
import { STREAMS_ENTRIES, STREAMS_PUBLIC_OPERATIONS } from "./streams";
import { SUBSCRIPTIONS_ENTRIES, SUBSCRIPTIONS_PUBLIC_OPERATIONS } from "./subscriptions";
import { VIDEO_ENTRIES, VIDEO_PUBLIC_OPERATIONS } from "./videos";
import { WEBHOOKS_ENTRIES, WEBHOOKS_PUBLIC_OPERATIONS } from "./webhooks";

/** Kinds of caller that try to break a rule. */
export type Intruder =
  | "anonymous" // no token
  | "expired" // a correctly signed token past its exp
  | "tampered" // a real token whose payload was edited
  | "revoked" // a token whose session was logged out
  | "otherAccount" // signed in as another creator (it has a channel of its own), not the owner
  | "viewer" // signed in as a plain viewer: no channel, no role beyond "viewer"
  | "kids"; // a kids profile of the owner's own account

/** Refusals the shared middleware gives before any route runs, or that only say "send a token". */
export const UNCOUNTED: readonly Intruder[] = ["anonymous", "expired", "tampered", "revoked"];

export interface World {
  owner: SeededAccount; // has a channel (creator) and a second profile
  other: SeededAccount; // has its own channel
  viewer: SeededAccount; // no channel: roles ["viewer"]
  kids: SeededAccount; // owner-like account whose request is sent from its kids profile
  admin: SeededAccount;
}

export interface MatrixRequest {
  path: string;
  json?: unknown;
  /** A raw body (storage PUTs); `json` is for the API. */
  body?: Uint8Array;
  headers?: Record<string, string>;
}

/** A forged request of the entry's own (for routes authenticated otherwise than by a user token). */
export interface Attempt {
  name: string;
  request: (w: World) => MatrixRequest | Promise<MatrixRequest>;
  status: 401 | 403 | 404;
}

/** Who makes the owner's legitimate request: a bearer token, or none (a signed URL carries its own). */
export interface Caller {
  token?: string;
}

export interface OwnerCheck {
  /** Who makes the legitimate request; the world's owner (its first profile) when absent. */
  as?: (w: World) => Caller;
  /**
   * What the owner gets: 2xx, or an answer that is no refusal (never 401/403) for a state the
   * test world cannot satisfy, explained in `because`.
   */
  status: number | readonly number[];
  /** Required when `status` is not (only) 2xx. */
  because?: string;
  /**
   * The owner's 404 is the route being absent (the router's own "No route matches"); without it,
   * an owner's 404 must come from the route.
   */
  routeAbsent?: boolean;
  /** Undoes what the owner's request did to state other test files share (a leased job). */
  settle?: (res: Response, body: string) => Promise<void>;
  /** The request ends a session or erases the account or a profile: it runs on a newly seeded owner. */
  fresh?: boolean;
  /** The request destroys a target that other owner checks use: it runs after every other one. */
  last?: boolean;
}

export interface MatrixEntry {
  /** "METHOD /openapi/path" exactly as in openapi.json (or in EXTRA_OPERATIONS). */
  operation: string;
  /** The request the owner could legitimately make (built for the account it targets). */
  request: (w: World, as: SeededAccount) => MatrixRequest | Promise<MatrixRequest>;
  /** Who must be refused, and with which status. */
  refuse: Partial<Record<Intruder, 401 | 403 | 404 | 409>>;
  /** Forged requests of the entry's own that must be refused. */
  attempts?: Attempt[];
  /** The owner's legitimate request: it must not be refused. */
  owner: OwnerCheck;
  /** Why the route's only rule is "be signed in" (see the coverage rules above). */
  signedInOnly?: string;
}

/** A wrong code, sent when none was mailed or texted (the check still runs). */
const NO_CODE = "000000";

/** A request that sends the code `received` finds (mailed or texted to the targeted account). */
const sendingCode =
  (path: string, received: (as: SeededAccount) => Promise<string | undefined>): MatrixEntry["request"] =>
  async (_w, as) => ({ path, json: { code: (await received(as)) || NO_CODE } });

/** A number of this run's own, so the dev mailbox's texts to it are the matrix's. */
const PHONE = `+1415${String(Math.floor(Math.random() * 1e7)).padStart(7, "0")}`;

/** Routes that act on the caller's own account: there is no other owner to protect. */
const OWN_ACCOUNT = "acts on the caller's own account and session; any live session may";

const CORE: MatrixEntry[] = [
  {
    operation: "POST /api/v1/auth/logout",
    request: () => ({ path: "/api/v1/auth/logout" }),
    refuse: signedIn,
    signedInOnly: OWN_ACCOUNT,
    owner: { status: 204, fresh: true },
  },
  {
    operation: "POST /api/v1/auth/verify-email/request",
    request: () => ({ path: "/api/v1/auth/verify-email/request" }),
    refuse: signedIn,
    signedInOnly: OWN_ACCOUNT,
    owner: { status: 202 },
  },
  {
    operation: "POST /api/v1/auth/verify-email",
    // The code the mailer sent to the targeted account (an intruder sends it with its own token).
    request: sendingCode("/api/v1/auth/verify-email", (as) => mailedCode(as.email)),
    refuse: signedIn,
    signedInOnly: OWN_ACCOUNT,
    owner: { status: 204 },
  },
  {
    operation: "PATCH /api/v1/me",
    request: () => ({ path: "/api/v1/me", json: { displayName: "Intruder" } }),
    refuse: notKids,
    owner: { status: 200 },
  },
  {
    operation: "DELETE /api/v1/me",
    request: (_w, as) => ({ path: "/api/v1/me", json: { password: as.password } }),
    refuse: notKids,
    owner: { status: 204, fresh: true },
  },
  {
    operation: "POST /api/v1/me/password",
    request: (_w, as) => ({
      path: "/api/v1/me/password",
      json: { currentPassword: as.password, newPassword: "a new long password" },
    }),
    refuse: notKids,
    owner: { status: 204, fresh: true },
  },
  {
    operation: "POST /api/v1/me/phone",
    // Adding a phone re-checks the password (as the targeted account's own).
    request: (_w, as) => ({ path: "/api/v1/me/phone", json: { phone: PHONE, password: as.password } }),
    refuse: notKids,
    owner: { status: 202 },
  },
  {
    operation: "POST /api/v1/me/phone/verify",
    // The code texted to the number the owner check of POST /me/phone (declared above) added.
    request: sendingCode("/api/v1/me/phone/verify", () => textedCode(PHONE)),
    refuse: notKids,
    owner: { status: 204 },
  },
  {
    operation: "POST /api/v1/me/profiles",
    request: () => ({ path: "/api/v1/me/profiles", json: { name: "Extra" } }),
    refuse: notKids,
    owner: { status: 201 },
  },
  {
    operation: "PATCH /api/v1/me/profiles/{profileId}",
    request: (w) => ({ path: `/api/v1/me/profiles/${w.owner.profiles[1]?.id}`, json: { name: "Renamed" } }),
    refuse: { ...signedIn, otherAccount: 404, viewer: 404 },
    owner: { status: 200 },
  },
  {
    operation: "DELETE /api/v1/me/profiles/{profileId}",
    request: (w) => ({ path: `/api/v1/me/profiles/${w.owner.profiles[1]?.id}` }),
    refuse: { ...signedIn, otherAccount: 404, viewer: 404 },
    owner: { status: 204, fresh: true },
  },
  {
    operation: "POST /api/v1/me/profiles/{profileId}/switch",
    request: (w) => ({ path: `/api/v1/me/profiles/${w.owner.profiles[1]?.id}/switch` }),
    refuse: { ...signedIn, otherAccount: 404, viewer: 404 },
    owner: { status: 200 },
  },
  {
    operation: "POST /api/v1/me/channel",
    request: () => ({
      path: "/api/v1/me/channel",
      json: { handle: `h${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`, name: "New" },
    }),
    // A plain viewer may make its channel (that is how one becomes a creator): not refused.
    refuse: notKids,
    owner: {
      as: (w) => ({ token: w.viewer.accessToken }),
      status: 201,
      last: true,
    },
  },
  {
    operation: "PATCH /api/v1/channels/{channelId}",
    request: (w) => ({ path: `/api/v1/channels/${w.owner.channelId}`, json: { name: "Taken over" } }),
    refuse: { ...signedIn, otherAccount: 403, viewer: 403, kids: 403 },
    owner: { status: 200 },
  },
  {
    operation: "PUT /api/v1/admin/users/{userId}/role",
    request: (w) => ({ path: `/api/v1/admin/users/${w.owner.accountId}/role`, json: { roles: ["admin"] } }),
    refuse: { ...signedIn, viewer: 403, otherAccount: 403, kids: 403 },
    // The admin makes a newly seeded account admin (never the shared owner, whose roles are checked).
    owner: { as: (w) => ({ token: w.admin.accessToken }), status: 200, fresh: true },
  },
];

export const MATRIX: MatrixEntry[] = [
  ...CORE,
  ...ACCOUNT_SECURITY_ENTRIES,
  ...VIDEO_ENTRIES,
  ...JOB_ENTRIES,
  ...REACTIONS_ENTRIES,
  ...COMMENTS_ENTRIES,
  ...SUBSCRIPTIONS_ENTRIES,
  ...CATALOG_ENTRIES,
  ...DISCOVERY_ENTRIES,
  ...BILLING_ENTRIES,
  ...STREAMS_ENTRIES,
  ...ADS_ENTRIES,
  ...PAYOUTS_ENTRIES,
  ...REPORTS_ENTRIES,
  ...MODERATION_ENTRIES,
  ...ANALYTICS_ENTRIES,
  ...AUDIT_ENTRIES,
  ...ADMIN_USERS_ENTRIES,
  ...SETTINGS_ENTRIES,
  ...WEBHOOKS_ENTRIES,
  ...PLAYLISTS_ENTRIES,
  ...CAPTIONS_ENTRIES,
  ...EXTRA_ENTRIES,
];

/** Routes outside openapi.json (not JSON APIs), each with what it is; all must be in the matrix. */
export { EXTRA_OPERATIONS };

/** Mutating operations anyone may call, and why. */
export const PUBLIC_OPERATIONS: Record<string, string> = {
  ...ACCOUNT_SECURITY_PUBLIC_OPERATIONS,
  ...VIDEO_PUBLIC_OPERATIONS,
  ...JOB_PUBLIC_OPERATIONS,
  ...REACTIONS_PUBLIC_OPERATIONS,
  ...COMMENTS_PUBLIC_OPERATIONS,
  ...SUBSCRIPTIONS_PUBLIC_OPERATIONS,
  ...CATALOG_PUBLIC_OPERATIONS,
  ...DISCOVERY_PUBLIC_OPERATIONS,
  ...BILLING_PUBLIC_OPERATIONS,
  ...STREAMS_PUBLIC_OPERATIONS,
  ...ADS_PUBLIC_OPERATIONS,
  ...PAYOUTS_PUBLIC_OPERATIONS,
  ...REPORTS_PUBLIC_OPERATIONS,
  ...MODERATION_PUBLIC_OPERATIONS,
  ...ANALYTICS_PUBLIC_OPERATIONS,
  ...AUDIT_PUBLIC_OPERATIONS,
  ...ADMIN_USERS_PUBLIC_OPERATIONS,
  ...SETTINGS_PUBLIC_OPERATIONS,
  ...WEBHOOKS_PUBLIC_OPERATIONS,
  ...PLAYLISTS_PUBLIC_OPERATIONS,
  ...CAPTIONS_PUBLIC_OPERATIONS,
  "POST /api/v1/auth/signup": "creates an account",
  "POST /api/v1/auth/login": "exchanges credentials for tokens (throttled)",
  "POST /api/v1/auth/refresh": "authenticated by the refresh token itself",
  "POST /api/v1/auth/password-reset/request": "answers 202 for any email",
  "POST /api/v1/auth/password-reset/confirm": "authenticated by the reset token",
};

/** The refusals that count towards an entry's coverage (see the rules at the top). */
export function countedRefusals(entry: MatrixEntry): string[] {
  return [
    ...(Object.keys(entry.refuse) as Intruder[]).filter((i) => !UNCOUNTED.includes(i)),
    ...(entry.attempts ?? []).map((a) => a.name),
  ];
}
