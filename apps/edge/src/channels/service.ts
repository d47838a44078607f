import { eq, or } from "drizzle-orm";
import { authorize, can } from "../auth/permissions";
import { accounts, channels } from "../db/schema";
import { uniqueViolation } from "../lib/db-errors";
import { AppError } from "../lib/errors";
import { newId } from "../lib/ids";
import { channelHiddenOf } from "../moderation/channel-hidden";
import type { Services } from "../services";
import type { Actor } from "../types";

const channelView = (ch: typeof channels.$inferSelect) => ({
  id: ch.id,
  handle: ch.handle,
  name: ch.name,
  description: ch.description,
  ownerAccountId: ch.accountId,
  /** Exact: D1's subscription triggers keep it (docs/social.md, "Subscriptions"). */
  subscriberCount: ch.subscriberCount,
  createdAt: new Date(ch.createdAt).toISOString(),
});

/** Creating a channel is how an account becomes a creator: the role is granted in the same batch. */
export async function createChannel(
  s: Services,
  actor: Actor,
  input: { handle: string; name: string; description?: string },
) {
  const id = newId("chn");
  const roles = [...new Set([...actor.roles, "creator" as const])];
  try {
    await s.db.batch([
      s.db.insert(channels).values({
        id,
        accountId: actor.accountId,
        handle: input.handle,
        name: input.name,
        description: input.description ?? "",
      }),
      s.db.update(accounts).set({ roles, updatedAt: Date.now() }).where(eq(accounts.id, actor.accountId)),
    ]);
  } catch (cause) {
    const constraint = uniqueViolation(cause);
    if (constraint === "channels.account_id")
      throw new AppError("conflict", "This account already has a channel");
    if (constraint !== null) throw new AppError("conflict", `The handle @${input.handle} is taken`);
    throw cause;
  }
  return getChannel(s, id);
}

export async function getChannel(s: Services, idOrHandle: string) {
  const handle = idOrHandle.startsWith("@") ? idOrHandle.slice(1).toLowerCase() : idOrHandle.toLowerCase();
  const row = await s.db
    .select()
    .from(channels)
    .where(or(eq(channels.id, idOrHandle), eq(channels.handle, handle)))
    .get();
  if (!row) throw new AppError("not_found", "No such channel");
  return channelView(row);
}

/**
 * The channel page: a channel held pending review or suspended, or whose account is suspended, is
 * 404 to everyone but its owner and staff (docs/moderation.md, "Visibility").
 */
export async function getChannelFor(s: Services, actor: Actor | null, idOrHandle: string) {
  const handle = idOrHandle.startsWith("@") ? idOrHandle.slice(1).toLowerCase() : idOrHandle.toLowerCase();
  const row = await s.db
    .select({ channel: channels, suspendedAt: accounts.suspendedAt })
    .from(channels)
    .innerJoin(accounts, eq(accounts.id, channels.accountId))
    .where(or(eq(channels.id, idOrHandle), eq(channels.handle, handle)))
    .get();
  if (!row) throw new AppError("not_found", "No such channel");
  const hidden = channelHiddenOf({
    moderationState: row.channel.moderationState,
    suspendedAt: row.suspendedAt,
  });
  const privileged =
    actor !== null && (actor.accountId === row.channel.accountId || can(actor, "moderation.queue"));
  if (hidden && !privileged) throw new AppError("not_found", "No such channel");
  return channelView(row.channel);
}

export async function updateChannel(
  s: Services,
  actor: Actor,
  channelId: string,
  patch: { name?: string; description?: string },
) {
  const row = await s.db.select().from(channels).where(eq(channels.id, channelId)).get();
  if (!row) throw new AppError("not_found", "No such channel");
  authorize(actor, "channel.manage", { ownerAccountId: row.accountId });
  await s.db
    .update(channels)
    .set({ ...patch, updatedAt: Date.now() })
    .where(eq(channels.id, channelId));
  return getChannel(s, channelId);
}
