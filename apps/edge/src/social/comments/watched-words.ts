/**
 * Watched words: a global list (admins) and one list per channel (its owner), each replaced whole
 * by PUT. A comment on a video is checked against the global list and the video's channel's list.
 */

import { asc, eq, inArray } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { sealQuietly } from "../../audit/chain";
import { auditActorOf, auditInsert } from "../../audit/log";
import { authorize } from "../../auth/permissions";
import { getChannel } from "../../channels/service";
import { watchedWords } from "../../db/schema";
import { chunksOf } from "../../events/erasure";
import type { Services } from "../../services";
import type { Actor } from "../../types";

export const GLOBAL_SCOPE = "global";
/** D1 allows 100 bound parameters per statement: two per row, so 40 rows per INSERT. */
const ROWS_PER_INSERT = 40;

async function listScope(s: Services, scope: string): Promise<string[]> {
  const rows = await s.db
    .select({ word: watchedWords.word })
    .from(watchedWords)
    .where(eq(watchedWords.scope, scope))
    .orderBy(asc(watchedWords.word));
  return rows.map((r) => r.word);
}

/**
 * Replaces a list in one batch (a transaction): readers see the old list or the new one. `also`
 * joins the batch (the audit row of an admin's change).
 */
async function replaceScope(
  s: Services,
  scope: string,
  words: string[],
  also: BatchItem<"sqlite">[] = [],
): Promise<string[]> {
  const inserts = chunksOf([...new Set(words)], ROWS_PER_INSERT).map((chunk) =>
    s.db
      .insert(watchedWords)
      .values(chunk.map((word) => ({ scope, word })))
      .onConflictDoNothing(),
  );
  await s.db.batch([s.db.delete(watchedWords).where(eq(watchedWords.scope, scope)), ...inserts, ...also]);
  return listScope(s, scope);
}

/** The words that apply to a comment on a video of `channelId`: global plus the channel's own. */
export async function wordsFor(s: Services, channelId: string): Promise<string[]> {
  const rows = await s.db
    .select({ word: watchedWords.word })
    .from(watchedWords)
    .where(inArray(watchedWords.scope, [GLOBAL_SCOPE, channelId]));
  return rows.map((r) => r.word);
}

async function channelScope(s: Services, actor: Actor, channelIdOrHandle: string): Promise<string> {
  const channel = await getChannel(s, channelIdOrHandle);
  authorize(actor, "channel.watchwords", { ownerAccountId: channel.ownerAccountId });
  return channel.id;
}

export async function getChannelWords(s: Services, actor: Actor, channelId: string) {
  return { words: await listScope(s, await channelScope(s, actor, channelId)) };
}

export async function putChannelWords(s: Services, actor: Actor, channelId: string, words: string[]) {
  return { words: await replaceScope(s, await channelScope(s, actor, channelId), words) };
}

export async function getGlobalWords(s: Services, actor: Actor) {
  authorize(actor, "admin.watchwords");
  return { words: await listScope(s, GLOBAL_SCOPE) };
}

/** An admin's change of the global list is audited (the whole list before and after). */
export async function putGlobalWords(s: Services, actor: Actor, words: string[]) {
  authorize(actor, "admin.watchwords");
  const before = await listScope(s, GLOBAL_SCOPE);
  const after = [...new Set(words)].sort();
  const audit = auditInsert(s, auditActorOf(actor), {
    action: "admin.watched_words.set",
    targetType: "watched_words",
    targetId: GLOBAL_SCOPE,
    before: { words: before },
    after: { words: after },
  });
  const stored = await replaceScope(s, GLOBAL_SCOPE, words, [audit]);
  await sealQuietly(s, "admin.watched_words.set");
  return { words: stored };
}
