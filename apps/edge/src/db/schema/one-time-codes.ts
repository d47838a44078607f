import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { accountRef } from "./accounts";
import { now } from "./columns";

export type OneTimeCodePurpose = "verify_email" | "verify_phone" | "password_reset" | "undo_email_change";

/** Email/phone verification codes and password-reset tokens, stored hashed, single use. */
export const oneTimeCodes = sqliteTable(
  "one_time_codes",
  {
    id: text("id").primaryKey(),
    accountId: accountRef(),
    purpose: text("purpose").$type<OneTimeCodePurpose>().notNull(),
    codeHash: text("code_hash").notNull(),
    /** The address the code was sent to; a code is void if the address changed since. */
    target: text("target").notNull(),
    attempts: integer("attempts").notNull().default(0),
    createdAt: integer("created_at").notNull().default(now),
    expiresAt: integer("expires_at").notNull(),
    usedAt: integer("used_at"),
  },
  (t) => [
    index("one_time_codes_account_idx").on(t.accountId, t.purpose),
    index("one_time_codes_hash_idx").on(t.codeHash),
    // Signup and email change ask whether a live undo link holds an address for its owner.
    index("one_time_codes_target_idx").on(t.target, t.purpose),
  ],
);
