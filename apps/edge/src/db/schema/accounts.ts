import type { Maturity, Role } from "@marquee/shared";
import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { cascadeRef, now, timestamps } from "./columns";

export const PROFILE_THEMES = ["system", "light", "dark"] as const;
export type ProfileTheme = (typeof PROFILE_THEMES)[number];

/** An account is a login: one email, one password, a set of roles, up to five profiles. */
export const accounts = sqliteTable(
  "accounts",
  {
    id: text("id").primaryKey(),
    email: text("email").notNull(),
    emailVerifiedAt: integer("email_verified_at"),
    phone: text("phone"),
    phoneVerifiedAt: integer("phone_verified_at"),
    displayName: text("display_name").notNull(),
    /** JSON array; `viewer` is implied and always present. */
    roles: text("roles", { mode: "json" }).$type<Role[]>().notNull().default(sql`'["viewer"]'`),
    /** Set by an admin (docs/moderation.md): sessions revoked, content hidden, sign-in refused. */
    suspendedAt: integer("suspended_at"),
    suspendedReason: text("suspended_reason"),
    ...timestamps(),
  },
  (t) => [uniqueIndex("accounts_email_unique").on(t.email)],
);

/** The owning account's id, on rows erased with it. */
export const accountRef = () => cascadeRef("account_id", () => accounts.id);

export const credentials = sqliteTable("credentials", {
  accountId: text("account_id")
    .primaryKey()
    .references(() => accounts.id, { onDelete: "cascade" }),
  passwordHash: text("password_hash").notNull(),
  updatedAt: integer("updated_at").notNull().default(now),
});

/**
 * A session is one sign-in on one device, and also the refresh-token family: every refresh
 * token minted for it shares `session_id`, so revoking the session revokes the family.
 */
export const sessions = sqliteTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    accountId: accountRef(),
    profileId: text("profile_id").references(() => profiles.id, { onDelete: "set null" }),
    userAgent: text("user_agent"),
    createdAt: integer("created_at").notNull().default(now),
    lastUsedAt: integer("last_used_at").notNull().default(now),
    expiresAt: integer("expires_at").notNull(),
    revokedAt: integer("revoked_at"),
    revokedReason: text("revoked_reason"),
  },
  (t) => [index("sessions_account_idx").on(t.accountId)],
);

/** Refresh tokens are stored only as SHA-256 hashes; `used_at` marks a rotated one. */
export const refreshTokens = sqliteTable(
  "refresh_tokens",
  {
    tokenHash: text("token_hash").primaryKey(),
    sessionId: cascadeRef("session_id", () => sessions.id),
    createdAt: integer("created_at").notNull().default(now),
    expiresAt: integer("expires_at").notNull(),
    usedAt: integer("used_at"),
  },
  (t) => [index("refresh_tokens_session_idx").on(t.sessionId)],
);

export const profiles = sqliteTable(
  "profiles",
  {
    id: text("id").primaryKey(),
    accountId: accountRef(),
    name: text("name").notNull(),
    avatarUrl: text("avatar_url"),
    language: text("language").notNull().default("en"),
    maturity: text("maturity").$type<Maturity>().notNull().default("adult"),
    /** The web app's colour scheme; "system" follows the device. */
    theme: text("theme").$type<ProfileTheme>().notNull().default("system"),
    /** While true, playback beacons are accepted but not added to history or affinities. */
    historyPaused: integer("history_paused", { mode: "boolean" }).notNull().default(false),
    ...timestamps(),
  },
  (t) => [index("profiles_account_idx").on(t.accountId)],
);

/** The owning profile's id, on rows erased with it. */
export const profileRef = () => cascadeRef("profile_id", () => profiles.id);
