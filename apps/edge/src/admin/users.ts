/**
 * The admin's users (docs/moderation.md, "Account suspension"): a search over accounts and one
 * account's standing (roles, suspension, channel and its moderation state, active strikes).
 */

import type { ChannelModerationState, Role } from "@marquee/shared";
import { and, count, desc, eq, gt, isNotNull, isNull, like, or, type SQL, sql } from "drizzle-orm";
import { authorize } from "../auth/permissions";
import { accounts, channels, sessions, strikes } from "../db/schema";
import { AppError } from "../lib/errors";
import { decodeCursor, keysetPage, newestAfter, TimeKey } from "../lib/pagination";
import type { Services } from "../services";
import type { Actor } from "../types";
import type { UserQuery } from "./schemas";

const iso = (ms: number) => new Date(ms).toISOString();

/** The account and its channel, as one row. */
const userColumns = {
  id: accounts.id,
  email: accounts.email,
  displayName: accounts.displayName,
  roles: accounts.roles,
  suspendedAt: accounts.suspendedAt,
  suspendedReason: accounts.suspendedReason,
  createdAt: accounts.createdAt,
  channelId: channels.id,
  handle: channels.handle,
  channelName: channels.name,
  moderationState: channels.moderationState,
  demonetised: channels.demonetised,
};

/** A row of `userColumns` (the channel's columns are null for an account without one). */
interface UserRow {
  id: string;
  email: string;
  displayName: string;
  roles: Role[];
  suspendedAt: number | null;
  suspendedReason: string | null;
  createdAt: number;
  channelId: string | null;
  handle: string | null;
  channelName: string | null;
  moderationState: ChannelModerationState | null;
  demonetised: boolean | null;
}

function userView(r: UserRow) {
  return {
    id: r.id,
    email: r.email,
    displayName: r.displayName,
    roles: r.roles,
    suspension: r.suspendedAt === null ? null : { at: iso(r.suspendedAt), reason: r.suspendedReason },
    channel:
      r.channelId === null
        ? null
        : {
            id: r.channelId,
            handle: r.handle as string,
            name: r.channelName as string,
            moderationState: r.moderationState ?? "active",
            demonetised: r.demonetised ?? false,
          },
    createdAt: iso(r.createdAt),
  };
}

/** `text` as a LIKE pattern matching itself literally (its %, _ and \ escaped). */
const literal = (text: string) => text.replace(/[\\%_]/g, (ch) => `\\${ch}`);

/**
 * The search: an email prefix, a display name containing `q`, or a channel handle prefix. LIKE is
 * written with `sql` because drizzle's `like` cannot say ESCAPE, which a `%` or `_` typed by the
 * admin needs. The display-name match scans accounts (a substring has no index): admins only.
 */
function matching(q: string): SQL {
  const text = literal(q.toLowerCase());
  const handle = literal(q.replace(/^@/, "").toLowerCase());
  return or(
    sql`${accounts.email} LIKE ${`${text}%`} ESCAPE '\\'`,
    sql`lower(${accounts.displayName}) LIKE ${`%${text}%`} ESCAPE '\\'`,
    sql`lower(${channels.handle}) LIKE ${`${handle}%`} ESCAPE '\\'`,
  ) as SQL;
}

/** GET /admin/users: accounts newest first, narrowed by `q`, a role, suspended or not. */
export async function listUsers(s: Services, actor: Actor, query: UserQuery) {
  authorize(actor, "admin.users.read");
  const after = query.cursor ? decodeCursor(query.cursor, "admin-users", TimeKey) : null;
  const rows = await s.db
    .select(userColumns)
    .from(accounts)
    .leftJoin(channels, eq(channels.accountId, accounts.id))
    .where(
      and(
        query.q ? matching(query.q) : undefined,
        // Roles are a JSON array of a closed set of words: the quoted word matches exactly one role.
        query.role ? like(accounts.roles, `%"${query.role}"%`) : undefined,
        query.suspended === undefined
          ? undefined
          : query.suspended
            ? isNotNull(accounts.suspendedAt)
            : isNull(accounts.suspendedAt),
        after ? newestAfter(accounts.createdAt, accounts.id, after) : undefined,
      ),
    )
    .orderBy(desc(accounts.createdAt), desc(accounts.id))
    .limit(query.limit + 1);
  const page = keysetPage(rows, query.limit, "admin-users", (last) => ({ t: last.createdAt, i: last.id }));
  return { items: page.items.map(userView), nextCursor: page.nextCursor };
}

/** One account's standing, or null when there is no such account. */
export async function userStanding(s: Pick<Services, "db">, userId: string, now = Date.now()) {
  // Not one batch: drizzle maps a batched join's rows by column name, and accounts.id and
  // channels.id would collide. Three reads at once instead.
  const [found, standing, live] = await Promise.all([
    s.db
      .select(userColumns)
      .from(accounts)
      .leftJoin(channels, eq(channels.accountId, accounts.id))
      .where(eq(accounts.id, userId)),
    s.db
      .select({ kind: strikes.kind, n: count() })
      .from(strikes)
      .where(and(eq(strikes.accountId, userId), isNull(strikes.liftedAt), gt(strikes.expiresAt, now)))
      .groupBy(strikes.kind),
    s.db
      .select({ n: count() })
      .from(sessions)
      .where(and(eq(sessions.accountId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, now))),
  ]);
  const row = found[0];
  if (!row) return null;
  const of = (kind: string) => standing.find((r) => r.kind === kind)?.n ?? 0;
  return {
    ...userView(row),
    activeStrikes: of("strike"),
    activeWarnings: of("warning"),
    liveSessions: live[0]?.n ?? 0,
  };
}

/** GET /admin/users/{userId}. */
export async function getUser(s: Services, actor: Actor, userId: string) {
  authorize(actor, "admin.users.read");
  const user = await userStanding(s, userId);
  if (!user) throw new AppError("not_found", "No such user");
  return user;
}
