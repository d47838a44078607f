import { expect } from "vitest";
import { counts } from "../../src/social/subscriptions/test-utils";
import { signedIn } from "./intruders";
import type { MatrixEntry } from "./matrix";
import { afterRefusals } from "./phases";

const OWN_PROFILE = "acts on the caller's own active profile (its subscriptions, inbox, preferences)";

const targeted = new Set<string>();

const onChannel = (channelId: string | null) => {
  if (channelId) targeted.add(channelId);
  return `/api/v1/channels/${channelId}/subscription`;
};

afterRefusals("no refused attempt subscribed anyone", async () => {
  for (const channelId of targeted) expect(await counts(channelId)).toEqual({ counted: 0, rows: 0 });
});

export const SUBSCRIPTIONS_ENTRIES: MatrixEntry[] = [
  {
    operation: "PUT /api/v1/channels/{channelId}/subscription",
    request: (w) => ({ path: onChannel(w.other.channelId), json: { level: "all" } }),
    refuse: signedIn,
    signedInOnly: OWN_PROFILE,
    owner: { status: 200 },
  },
  {
    operation: "DELETE /api/v1/channels/{channelId}/subscription",
    request: (w) => ({ path: onChannel(w.other.channelId) }),
    refuse: signedIn,
    signedInOnly: OWN_PROFILE,
    owner: { status: 204 },
  },
  {
    operation: "POST /api/v1/me/notifications/read",
    request: () => ({ path: "/api/v1/me/notifications/read", json: { all: true } }),
    refuse: signedIn,
    signedInOnly: OWN_PROFILE,
    owner: { status: 200 },
  },
  {
    operation: "PUT /api/v1/me/notification-preferences",
    request: () => ({ path: "/api/v1/me/notification-preferences", json: { mention: false } }),
    refuse: signedIn,
    signedInOnly: OWN_PROFILE,
    owner: { status: 200 },
  },
];

/** Mutating subscriptions and notifications operations anyone may call, and why. */
export const SUBSCRIPTIONS_PUBLIC_OPERATIONS: Record<string, string> = {};
