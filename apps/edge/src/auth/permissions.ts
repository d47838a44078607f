import type { Role } from "@marquee/shared";
import { AppError } from "../lib/errors";
import type { Actor } from "../types";

/**
 * The one place authorisation rules live. A route names the permission it needs and, for
 * owned things, the owner; it never writes its own role or ownership checks. Later domains add
 * their permissions to this table.
 */
interface Resource {
  ownerAccountId?: string;
  /** For things owned by one profile (comments): the author profile. */
  ownerProfileId?: string | null;
}

type Rule = (actor: Actor, resource: Resource) => boolean;

const hasRole = (actor: Actor, role: Role) => actor.roles.includes(role);
const owns = (actor: Actor, r: Resource) =>
  r.ownerAccountId !== undefined && r.ownerAccountId === actor.accountId;
const authored = (actor: Actor, r: Resource) =>
  typeof r.ownerProfileId === "string" && actor.profileId !== null && r.ownerProfileId === actor.profileId;
/** Social actions belong to a profile; a token whose profile was deleted cannot act. */
const hasProfile = (actor: Actor) => actor.profileId !== null;
const staff = (actor: Actor) => hasRole(actor, "moderator") || hasRole(actor, "admin");
/** Kids profiles watch; they never manage the account (Netflix's rule). */
const grownUp = (actor: Actor) => actor.profileMaturity !== "kids";

const RULES = {
  "account.read": () => true,
  "account.manage": (a) => grownUp(a),
  "profile.manage": (a, r) => grownUp(a) && owns(a, r),
  "profile.switch": (a, r) => owns(a, r),
  "channel.create": (a) => grownUp(a),
  "channel.manage": (a, r) => grownUp(a) && (owns(a, r) || hasRole(a, "admin")),
  /**
   * Where a channel's webhooks go and what signs them (docs/webhooks.md): its grown-up owner only.
   * An admin may read and remove them (channel.manage), not point the channel's events elsewhere.
   */
  "webhooks.direct": (a, r) => grownUp(a) && owns(a, r),
  "video.create": (a) => grownUp(a) && hasRole(a, "creator"),
  "video.manage": (a, r) => grownUp(a) && (owns(a, r) || hasRole(a, "admin")),
  /** Moderators may take any video down; only owners and admins edit. */
  "video.delete": (a, r) => grownUp(a) && (owns(a, r) || hasRole(a, "admin") || hasRole(a, "moderator")),
  "reaction.set": (a) => hasProfile(a),
  "comment.create": (a) => hasProfile(a),
  /** Only the profile that wrote a comment edits it (not other profiles of the same account). */
  "comment.edit": (a, r) => authored(a, r),
  /** The author, the video's owner (ownerAccountId = the video's), moderators and admins. */
  "comment.delete": (a, r) => authored(a, r) || (grownUp(a) && owns(a, r)) || staff(a),
  /** Approve held comments, pin, choose open/hold/off: the video's owner, moderators, admins. */
  "comment.moderate": (a, r) => (grownUp(a) && owns(a, r)) || staff(a),
  "channel.watchwords": (a, r) => (grownUp(a) && owns(a, r)) || hasRole(a, "admin"),
  "admin.watchwords": (a) => hasRole(a, "admin"),
  "subscription.manage": (a) => hasProfile(a),
  "notifications.read": (a) => hasProfile(a),
  /** Categories are a site-wide taxonomy: admins only. */
  "category.manage": (a) => hasRole(a, "admin"),
  /** History, resume positions and the personal feed belong to the active profile. */
  "history.read": (a) => hasProfile(a),
  "history.write": (a) => hasProfile(a),
  "feed.read": (a) => hasProfile(a),
  /** Playlists and Watch later belong to the active profile (docs/playlists.md). */
  "playlist.manage": (a) => hasProfile(a),
  "admin.roles.assign": (a) => hasRole(a, "admin"),
  /** Plans, prices and provider ids are site-wide: admins only. */
  "billing.plans.manage": (a) => hasRole(a, "admin"),
  "admin.users.read": (a) => grownUp(a) && hasRole(a, "admin"),
  /** Campaigns and creatives (docs/ads.md): advertisers their own (owner-checked), admins any. */
  "ads.campaigns.manage": (a, r) =>
    grownUp(a) &&
    (hasRole(a, "admin") || (hasRole(a, "advertiser") && (r.ownerAccountId === undefined || owns(a, r)))),
  /** Approving or rejecting a campaign's creative: moderators and admins. */
  "ads.review": (a) => staff(a),
  /** A channel's earnings, payouts and Stripe onboarding (docs/payouts.md): its owner only, never a kids profile. */
  "payouts.own": (a, r) => grownUp(a) && owns(a, r),
  /** Payout runs and the ledger's trial balance: admins. */
  "payouts.runs.read": (a) => hasRole(a, "admin"),
  /** Trust and safety (docs/moderation.md). Any profile reports and reads its own reports. */
  "report.create": (a) => hasProfile(a),
  "reports.own.read": (a) => hasProfile(a),
  /** The review queue and its decisions, and appeals: moderators and admins, never from a kids profile. */
  "moderation.queue": (a) => grownUp(a) && staff(a),
  /** A channel's strikes and their appeals: its grown-up owner. */
  "strikes.own": (a, r) => grownUp(a) && owns(a, r),
  /** Suspending and restoring accounts: admins only. */
  "admin.users.suspend": (a) => grownUp(a) && hasRole(a, "admin"),
  "admin.audit.read": (a) => grownUp(a) && hasRole(a, "admin"),
  "admin.config.manage": (a) => grownUp(a) && hasRole(a, "admin"),
  /** A video's or channel's analytics: its owner (a grown-up profile) or an admin. */
  "analytics.own": (a, r) => grownUp(a) && (owns(a, r) || hasRole(a, "admin")),
  /** Platform-wide playback quality. */
  "analytics.platform": (a) => grownUp(a) && hasRole(a, "admin"),
  /** The caller's own feature flags. */
  "flags.read": () => true,
} satisfies Record<string, Rule>;

export type Permission = keyof typeof RULES;

export function can(actor: Actor, permission: Permission, resource: Resource = {}): boolean {
  return (RULES[permission] as Rule)(actor, resource);
}

/**
 * Throws 403 when the actor lacks the permission. For owned resources a caller that is not the
 * owner gets 404 instead (`hideExistence`), so ids of other people's things cannot be probed.
 */
export function authorize(
  actor: Actor,
  permission: Permission,
  resource: Resource = {},
  options: { hideExistence?: boolean } = {},
): void {
  if (can(actor, permission, resource)) return;
  if (
    options.hideExistence &&
    resource.ownerAccountId !== undefined &&
    resource.ownerAccountId !== actor.accountId
  ) {
    throw new AppError("not_found");
  }
  throw new AppError("forbidden", `Your account lacks the permission "${permission}".`);
}

/** Permissions whose rule is "the token has a live profile": they act as that profile. */
type ProfilePermission =
  | "reaction.set"
  | "comment.create"
  | "subscription.manage"
  | "notifications.read"
  | "history.read"
  | "history.write"
  | "feed.read"
  | "playlist.manage"
  | "report.create"
  | "reports.own.read";

/**
 * `authorize(actor, permission)` for an action taken as the token's active profile, returning that
 * profile's id (403 for a token whose profile was deleted).
 */
export function requireProfile(actor: Actor, permission: ProfilePermission): string {
  authorize(actor, permission);
  // Every ProfilePermission's rule requires a profile; this narrows the type.
  if (actor.profileId === null) throw new AppError("forbidden", "Switch to a profile first");
  return actor.profileId;
}
