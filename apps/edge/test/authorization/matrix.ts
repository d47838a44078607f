/**
 * The authorisation matrix: every mutating route, and every kind of caller that must be refused
 * by it. Later issues add their routes here; authorization-matrix.test.ts fails if an operation
 * in openapi.json is neither in the matrix nor listed as public with a reason.
 */
import type { SeededAccount } from "../harness";
import { CATALOG_ENTRIES, CATALOG_PUBLIC_OPERATIONS } from "./catalog";
import { COMMENTS_ENTRIES, COMMENTS_PUBLIC_OPERATIONS } from "./comments";
import { DISCOVERY_ENTRIES, DISCOVERY_PUBLIC_OPERATIONS } from "./discovery";
import { signedIn } from "./intruders";
import { JOB_ENTRIES, JOB_PUBLIC_OPERATIONS } from "./jobs";
import { REACTIONS_ENTRIES, REACTIONS_PUBLIC_OPERATIONS } from "./reactions";
import { SUBSCRIPTIONS_ENTRIES, SUBSCRIPTIONS_PUBLIC_OPERATIONS } from "./subscriptions";
import { VIDEO_ENTRIES, VIDEO_PUBLIC_OPERATIONS } from "./videos";

/** Kinds of caller that try to break a rule. */
export type Intruder =
  | "anonymous" // no token
  | "expired" // a correctly signed token past its exp
  | "tampered" // a real token whose payload was edited
  | "revoked" // a token whose session was logged out
  | "otherAccount" // signed in, but not the owner
  | "viewer" // signed in, lacks the role
  | "kids"; // a kids profile of the owner's own account

export interface World {
  owner: SeededAccount; // has a channel (creator) and a second profile
  other: SeededAccount; // has its own channel
  kids: SeededAccount; // owner-like account whose request is sent from its kids profile
  admin: SeededAccount;
}

export interface MatrixRequest {
  path: string;
  json?: unknown;
}

export interface MatrixEntry {
  /** "METHOD /openapi/path" exactly as in openapi.json. */
  operation: string;
  /** The request the owner could legitimately make (built for the account it targets). */
  request: (w: World, as: SeededAccount) => MatrixRequest;
  /** Who must be refused, and with which status. */
  refuse: Partial<Record<Intruder, 401 | 403 | 404 | 409>>;
}

const CORE: MatrixEntry[] = [
  {
    operation: "POST /api/v1/auth/logout",
    request: () => ({ path: "/api/v1/auth/logout" }),
    refuse: signedIn,
  },
  {
    operation: "POST /api/v1/auth/verify-email/request",
    request: () => ({ path: "/api/v1/auth/verify-email/request" }),
    refuse: signedIn,
  },
  {
    operation: "POST /api/v1/auth/verify-email",
    request: () => ({ path: "/api/v1/auth/verify-email", json: { code: "123456" } }),
    refuse: signedIn,
  },
  {
    operation: "PATCH /api/v1/me",
    request: () => ({ path: "/api/v1/me", json: { displayName: "Intruder" } }),
    refuse: { ...signedIn, kids: 403 },
  },
  {
    operation: "DELETE /api/v1/me",
    request: (_w, as) => ({ path: "/api/v1/me", json: { password: as.password } }),
    refuse: { ...signedIn, kids: 403 },
  },
  {
    operation: "POST /api/v1/me/password",
    request: (_w, as) => ({
      path: "/api/v1/me/password",
      json: { currentPassword: as.password, newPassword: "a new long password" },
    }),
    refuse: { ...signedIn, kids: 403 },
  },
  {
    operation: "POST /api/v1/me/phone",
    request: () => ({ path: "/api/v1/me/phone", json: { phone: "+14155550123" } }),
    refuse: { ...signedIn, kids: 403 },
  },
  {
    operation: "POST /api/v1/me/phone/verify",
    request: () => ({ path: "/api/v1/me/phone/verify", json: { code: "123456" } }),
    refuse: { ...signedIn, kids: 403 },
  },
  {
    operation: "POST /api/v1/me/profiles",
    request: () => ({ path: "/api/v1/me/profiles", json: { name: "Extra" } }),
    refuse: { ...signedIn, kids: 403 },
  },
  {
    operation: "PATCH /api/v1/me/profiles/{profileId}",
    request: (w) => ({ path: `/api/v1/me/profiles/${w.owner.profiles[1]?.id}`, json: { name: "Renamed" } }),
    refuse: { ...signedIn, otherAccount: 404 },
  },
  {
    operation: "DELETE /api/v1/me/profiles/{profileId}",
    request: (w) => ({ path: `/api/v1/me/profiles/${w.owner.profiles[1]?.id}` }),
    refuse: { ...signedIn, otherAccount: 404 },
  },
  {
    operation: "POST /api/v1/me/profiles/{profileId}/switch",
    request: (w) => ({ path: `/api/v1/me/profiles/${w.owner.profiles[1]?.id}/switch` }),
    refuse: { ...signedIn, otherAccount: 404 },
  },
  {
    operation: "POST /api/v1/me/channel",
    request: () => ({
      path: "/api/v1/me/channel",
      json: { handle: `h${Date.now().toString(36)}`, name: "New" },
    }),
    refuse: { ...signedIn, kids: 403 },
  },
  {
    operation: "PATCH /api/v1/channels/{channelId}",
    request: (w) => ({ path: `/api/v1/channels/${w.owner.channelId}`, json: { name: "Taken over" } }),
    refuse: { ...signedIn, otherAccount: 403, kids: 403 },
  },
  {
    operation: "PUT /api/v1/admin/users/{userId}/role",
    request: (w) => ({ path: `/api/v1/admin/users/${w.owner.accountId}/role`, json: { roles: ["admin"] } }),
    refuse: { ...signedIn, viewer: 403, otherAccount: 403, kids: 403 },
  },
];

export const MATRIX: MatrixEntry[] = [
  ...CORE,
  ...VIDEO_ENTRIES,
  ...JOB_ENTRIES,
  ...REACTIONS_ENTRIES,
  ...COMMENTS_ENTRIES,
  ...SUBSCRIPTIONS_ENTRIES,
  ...CATALOG_ENTRIES,
  ...DISCOVERY_ENTRIES,
];

/** Mutating operations anyone may call, and why. */
export const PUBLIC_OPERATIONS: Record<string, string> = {
  ...VIDEO_PUBLIC_OPERATIONS,
  ...JOB_PUBLIC_OPERATIONS,
  ...REACTIONS_PUBLIC_OPERATIONS,
  ...COMMENTS_PUBLIC_OPERATIONS,
  ...SUBSCRIPTIONS_PUBLIC_OPERATIONS,
  ...CATALOG_PUBLIC_OPERATIONS,
  ...DISCOVERY_PUBLIC_OPERATIONS,
  "POST /api/v1/auth/signup": "creates an account",
  "POST /api/v1/auth/login": "exchanges credentials for tokens (throttled)",
  "POST /api/v1/auth/refresh": "authenticated by the refresh token itself",
  "POST /api/v1/auth/password-reset/request": "answers 202 for any email",
  "POST /api/v1/auth/password-reset/confirm": "authenticated by the reset token",
};
