/**
 * Authorisation-matrix entries of the subscriptions and notifications domains (see matrix.ts).
 *
 * Everything here acts on the caller's own active profile (its subscriptions, its inbox, its
 * preferences), so there is no other owner to protect: the callers to refuse are those without a
 * live session. Kids profiles may subscribe and read their inbox (`subscription.manage` and
 * `notifications.read` only need a profile). Subscribing to one's own channel (409) and acting
 * from a token whose profile was deleted (403) are tested in src/social/.
 *
 * The subscription entries target the `other` account's channel; `afterRefusals` (registered when
 * the matrix test imports this module) checks that no refused attempt subscribed anyone to it. The
 * owner then subscribes and unsubscribes.
 */
import { count, eq } from "drizzle-orm";
import { expect } from "vitest";
import { channels, subscriptions } from "../../src/db/schema";
import { testDb } from "../fixtures";
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
  for (const channelId of targeted) {
    const db = testDb();
    const [channel] = await db
      .select({ counted: channels.subscriberCount })
      .from(channels)
      .where(eq(channels.id, channelId));
    const [stored] = await db
      .select({ rows: count() })
      .from(subscriptions)
      .where(eq(subscriptions.channelId, channelId));
    expect({ ...channel, ...stored }).toEqual({ counted: 0, rows: 0 });
  }
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
