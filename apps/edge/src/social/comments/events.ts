import { and, eq, inArray, or, type SQL } from "drizzle-orm";
import { createDb, type Db } from "../../db/client";
import { comments } from "../../db/schema";
import { deleteInBatches, type ErasureSubject, onErasure } from "../../events/erasure";
import { hasNoReplies } from "./counts";

/**
 * account.deleted / profile.deleted (docs/events.md): the subject's comments stay for the threads
 * they belong to but lose their author (profile and account ids dropped; shown as "deleted user").
 * Held comments that nobody else ever saw, and that no reply hangs from, are erased instead. A
 * deleted account takes every comment of the account; a deleted profile only that profile's (the
 * account's other profiles keep theirs). Idempotent: a second run finds nothing left to change.
 */
export async function anonymiseComments(db: Db, subject: ErasureSubject): Promise<void> {
  const { accountId, profileIds, wholeAccount } = subject;
  const byProfile = profileIds.length > 0 ? inArray(comments.profileId, [...profileIds]) : undefined;
  const authored = wholeAccount ? or(eq(comments.accountId, accountId), byProfile) : byProfile;
  if (!authored) return;
  const pick = (where: SQL | undefined, batchRows: number) =>
    inArray(comments.id, db.select({ id: comments.id }).from(comments).where(where).limit(batchRows));
  const who = wholeAccount ? `account ${accountId}` : `profile ${profileIds.join(", ")}`;

  await deleteInBatches(`${who}'s comments`, async (batchRows) => {
    const unseen = and(authored, eq(comments.status, "held"), hasNoReplies(db, comments.id));
    const erased = await db.delete(comments).where(pick(unseen, batchRows));
    const anonymised = await db
      .update(comments)
      .set({ profileId: null, accountId: null, updatedAt: Date.now() })
      .where(pick(authored, batchRows));
    // A run is done once neither statement found a full batch.
    return Math.max(erased.meta.changes, anonymised.meta.changes);
  });
}

/** What the comments domain does with queue events (registered in events/consumer.ts). */
export const commentsEventHandlers = onErasure((env, subject) =>
  anonymiseComments(createDb(env.DB), subject),
);
