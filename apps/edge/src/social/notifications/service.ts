import { eq, sql } from "drizzle-orm";
import { requireProfile } from "../../auth/permissions";
import { viewerMaturity } from "../../catalog/maturity";
import { notificationPreferences } from "../../db/schema";
import { AppError } from "../../lib/errors";
import { decodeCursor, encodeCursor, type ListQuery } from "../../lib/pagination";
import type { Services } from "../../services";
import type { Actor } from "../../types";
import { inboxOf } from "./delivery";
import { NotificationsKey } from "./schemas";
import { NOTIFICATION_TYPES, type NotificationType } from "./types";

/** The profile whose inbox this is: the token's active profile. */
const ownerOf = (actor: Actor) => requireProfile(actor, "notifications.read");
/**
 * The level the inbox filters by: the profile's maturity as read from D1 for this request (not
 * the token's), so a profile lowered to kids stops seeing adult notifications at once.
 */
const levelOf = (actor: Actor) => viewerMaturity(actor);

/** The list's cursor kind (lib/pagination.ts): it names the `seq` of the last notification served. */
const CURSOR = "notifications";

export async function listNotifications(s: Services, actor: Actor, query: ListQuery) {
  const before = query.cursor ? decodeCursor(query.cursor, CURSOR, NotificationsKey).s : null;
  const { items, nextSeq, unread } = await inboxOf(s.env, ownerOf(actor)).list(
    before,
    query.limit,
    levelOf(actor),
  );
  return { items, nextCursor: nextSeq === null ? null : encodeCursor(CURSOR, { s: nextSeq }), unread };
}

export async function markRead(s: Services, actor: Actor, body: { ids?: string[]; all?: true }) {
  return inboxOf(s.env, ownerOf(actor)).markRead(body.all ? "all" : (body.ids ?? []), levelOf(actor));
}

export async function unreadCount(s: Services, actor: Actor) {
  return { unread: await inboxOf(s.env, ownerOf(actor)).unreadCount(levelOf(actor)) };
}

export type Preferences = Record<NotificationType, boolean>;

export async function getPreferences(s: Services, actor: Actor): Promise<Preferences> {
  const rows = await s.db
    .select({ type: notificationPreferences.type, enabled: notificationPreferences.enabled })
    .from(notificationPreferences)
    .where(eq(notificationPreferences.profileId, ownerOf(actor)));
  const prefs = Object.fromEntries(NOTIFICATION_TYPES.map((t) => [t, true])) as Preferences;
  for (const r of rows) {
    if ((NOTIFICATION_TYPES as readonly string[]).includes(r.type))
      prefs[r.type as NotificationType] = r.enabled;
  }
  return prefs;
}

/** Sets the given types (others keep their value); read by the fan-out from the next event on. */
export async function setPreferences(
  s: Services,
  actor: Actor,
  patch: Partial<Record<NotificationType, boolean | undefined>>,
): Promise<Preferences> {
  const profileId = ownerOf(actor);
  const changes = NOTIFICATION_TYPES.flatMap((type) => {
    const enabled = patch[type];
    return enabled === undefined ? [] : [{ profileId, type, enabled }];
  });
  if (changes.length > 0) {
    await s.db
      .insert(notificationPreferences)
      .values(changes)
      .onConflictDoUpdate({
        target: [notificationPreferences.profileId, notificationPreferences.type],
        set: { enabled: sql`excluded.enabled` },
      });
  }
  return getPreferences(s, actor);
}

/** The subprotocol a browser offers next to `bearer.<token>`; the answer echoes it back. */
export const LIVE_PROTOCOL = "marquee.v1";

/**
 * Hands an authenticated WebSocket upgrade to the profile's Inbox object, which accepts it with
 * the hibernation API. The object trusts the headers set here: it is reachable only through the
 * worker's binding. A socket opened by a session that is revoked meanwhile is closed by the object
 * (4401) rather than refused here.
 */
export async function openLive(s: Services, actor: Actor, protocol: string | null): Promise<Response> {
  const profileId = ownerOf(actor);
  // The inbox re-checks this session (and this profile) before every frame it sends.
  const headers = new Headers({
    upgrade: "websocket",
    "x-marquee-session": actor.sessionId,
    "x-marquee-profile": profileId,
  });
  if (protocol) headers.set("x-marquee-protocol", protocol);
  const res = await inboxOf(s.env, profileId).fetch("https://inbox.internal/live", { headers });
  if (res.status === 101 && res.webSocket) {
    // A fresh response: the stub's headers are immutable, and the middlewares add theirs.
    return new Response(null, { status: 101, webSocket: res.webSocket, headers: res.headers });
  }
  if (res.status === 429) {
    throw new AppError("rate_limited", "Too many live connections for this profile", {
      headers: { "retry-after": "30" },
    });
  }
  if (res.status === 410) throw new AppError("gone", "This inbox was erased");
  throw new AppError("internal", `The inbox refused the connection (${res.status})`);
}
