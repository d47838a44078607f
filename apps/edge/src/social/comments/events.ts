import type { AccountDeleted, ProfileDeleted } from "@marquee/shared";
import { and, eq, inArray, or, type SQL, sql } from "drizzle-orm";
import { createDb, type Db } from "../../db/client";
import { comments } from "../../db/schema";
import type { EventHandlers } from "../../events/handlers";

/** Rows changed per statement, and statements per delivery, while erasing an account's comments. */
const BATCH_ROWS = 500;
const MAX_BATCHES_PER_RUN = 40;

/**
 * account.deleted (docs/events.md): the account's comments stay for the threads they belong to but
 * lose their author (profile and account ids dropped; shown as "deleted user"). Held comments that
 * nobody else ever saw, and that no reply hangs from, are erased instead. Idempotent: a second run
 * finds nothing left to change. Works in bounded batches; an account with more comments than one
 * run handles fails the run on purpose, so the queue redelivers it and the next run carries on.
 */
export async function anonymiseAccountComments(db: Db, event: AccountDeleted): Promise<void> {
  const { accountId, profileIds } = event.payload;
  const authored = or(
    eq(comments.accountId, accountId),
    profileIds.length > 0 ? inArray(comments.profileId, profileIds) : undefined,
  );
  await anonymise(db, authored, `account ${accountId}`);
}

/** profile.deleted: the same for one profile's comments; the account's other profiles keep theirs. */
export async function anonymiseProfileComments(db: Db, event: ProfileDeleted): Promise<void> {
  const { profileId } = event.payload;
  await anonymise(db, eq(comments.profileId, profileId), `profile ${profileId}`);
}

async function anonymise(db: Db, authored: SQL | undefined, subject: string): Promise<void> {
  const pick = (where: SQL | undefined) =>
    inArray(comments.id, db.select({ id: comments.id }).from(comments).where(where).limit(BATCH_ROWS));

  for (let batch = 0; batch < MAX_BATCHES_PER_RUN; batch++) {
    const erased = await db
      .delete(comments)
      .where(
        pick(
          and(
            authored,
            eq(comments.status, "held"),
            sql`NOT EXISTS (SELECT 1 FROM comments AS r WHERE r.parent_id = ${comments.id})`,
          ),
        ),
      )
      .returning({ id: comments.id });
    const anonymised = await db
      .update(comments)
      .set({ profileId: null, accountId: null, updatedAt: Date.now() })
      .where(pick(and(authored)))
      .returning({ id: comments.id });
    if (erased.length < BATCH_ROWS && anonymised.length < BATCH_ROWS) return;
  }
  throw new Error(`${subject} has more comments than one run anonymises; continuing on redelivery`);
}

/** What the comments domain does with queue events (registered in events/consumer.ts). */
export const commentsEventHandlers: EventHandlers = {
  "account.deleted": [async (event, env) => anonymiseAccountComments(createDb(env.DB), event)],
  "profile.deleted": [async (event, env) => anonymiseProfileComments(createDb(env.DB), event)],
};
