/**
 * Where a request's D1 session starts (docs/read-replicas.md). A session is sequentially
 * consistent within itself: once it has written, its later reads see the write, wherever they run.
 * Across requests, the client carries the session's last bookmark in `X-D1-Bookmark`.
 */

export const BOOKMARK_HEADER = "x-d1-bookmark";

/**
 * D1 bookmarks are Durable Object SQLite bookmarks: four lower-case hex fields, 8-8-8-32
 * (`0000007b-0000b26e-00001538-0c3e87bb37b3db5cc52eedb93cd3b96b`), lexically ordered by time.
 * Anything else is refused before it reaches `withSession`: workerd accepts any string there and
 * would echo it back as the session's bookmark forever (it keeps the greatest one it has seen).
 */
const BOOKMARK = /^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{32}$/;
const BOOKMARK_LENGTH = 59;

export function parseBookmark(value: string | null | undefined): string | null {
  if (!value || value.length !== BOOKMARK_LENGTH || !BOOKMARK.test(value)) return null;
  return value;
}

/**
 * GET routes whose answer must reflect writes this client's bookmark cannot cover, so they read
 * the primary. Sign-in and tokens (a revoked session or a new password is never read stale);
 * billing, earnings and payouts (a Stripe/PayPal webhook, not the browser, wrote the subscription
 * the user comes back to see, and money figures are never shown stale); staff pages, admin and
 * moderation (role changes, moderation and payout runs are acted on from what they show).
 */
const PRIMARY_READ_PREFIXES = [
  "/api/v1/auth/",
  "/api/v1/webhooks/",
  "/api/v1/me/billing",
  "/api/v1/me/earnings",
  "/api/v1/me/payouts",
  "/api/v1/admin/",
  "/api/v1/moderation/",
];

/**
 * Reads that sign a media grant. Revocation moves the video's media generation (KV) after the
 * narrowing write to the row (private, premium, re-rated, deleted, taken down); a grant signed from
 * a replica's older row but with the new generation would outlive the revocation for the token's
 * whole life, so the row that decides the grant is read on the primary.
 */
const PRIMARY_READ_PATHS = [/^\/api\/v1\/videos\/[^/]+\/playback$/];

const READ_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export type SessionReason =
  | "write" // a mutating method: its checks read the primary, its writes go there anyway
  | "internal" // the origin's routes (job leases, payout facts): exact state only
  | "primary-route" // a read in PRIMARY_READ_PREFIXES
  | "malformed-bookmark" // the client asked for consistency we cannot parse: the primary honours any
  | "bookmark" // reads at least as new as the client's last response
  | "unconstrained"; // no bookmark: the nearest copy

export interface SessionStart {
  constraint: D1SessionBookmark | D1SessionConstraint;
  reason: SessionReason;
}

/**
 * The first-query constraint of a request's session. Writes start on the primary: a handler that
 * reads before it writes (a balance, a uniqueness check, a state machine) must not decide on a
 * replica's past, and the primary is at least as new as any bookmark the client holds, so
 * read-your-writes still holds. Reads start at the client's bookmark, or anywhere without one.
 */
export function sessionStart(method: string, path: string, header: string | null | undefined): SessionStart {
  if (path === "/internal" || path.startsWith("/internal/")) {
    return { constraint: "first-primary", reason: "internal" };
  }
  if (!READ_METHODS.has(method.toUpperCase())) return { constraint: "first-primary", reason: "write" };
  if (
    PRIMARY_READ_PREFIXES.some((prefix) => path.startsWith(prefix)) ||
    PRIMARY_READ_PATHS.some((re) => re.test(path))
  ) {
    return { constraint: "first-primary", reason: "primary-route" };
  }
  const bookmark = parseBookmark(header);
  if (bookmark) return { constraint: bookmark, reason: "bookmark" };
  // A header that is present but not a bookmark (a mangling proxy, an old client) still meant
  // "at least as new as my last write": only the primary can promise that without parsing it.
  if (header) return { constraint: "first-primary", reason: "malformed-bookmark" };
  return { constraint: "first-unconstrained", reason: "unconstrained" };
}

/**
 * The bookmark to hand back: the session's latest, or the one the client sent when this request
 * ran no query (or never opened its session: db/client.ts `lazySessionDb`) (so a query-free response never makes the client forget it). Null when there is
 * neither: nothing to carry. D1's own bookmark is passed on as it is, not through `parseBookmark`:
 * were its format ever to change, clients would send it back, be read from the primary (the
 * "malformed-bookmark" case, logged) and stay correct, instead of silently losing read-your-writes.
 */
export function responseBookmark(
  session: D1DatabaseSession | null,
  sent: string | null | undefined,
): string | null {
  return session?.getBookmark() ?? parseBookmark(sent);
}
