/** API helpers for the subscriptions tests (run in workerd). */
import { count, eq } from "drizzle-orm";
import { testDb } from "../../../test/fixtures";
import { api, apiJson, seedAccount } from "../../../test/harness";
import { channels, subscriptions } from "../../db/schema";

export interface State {
  channelId: string;
  subscribed: boolean;
  level: "all" | "none" | null;
  subscribedAt: string | null;
  subscriberCount: number;
}

/** An item of GET /me/subscriptions. */
export interface SubscriptionItem {
  channel: { id: string; handle: string; subscriberCount: number };
  level: string;
  subscribedAt: string;
}

export const sub = (channelId: string) => `/api/v1/channels/${channelId}/subscription`;
export const put = (token: string, channelId: string, level: "all" | "none" = "all") =>
  api(sub(channelId), { method: "PUT", token, json: { level } });
/** Follows a channel (200 expected) as the profile the token names. */
export const subscribe = (token: string, channelId: string, level: "all" | "none" = "all") =>
  apiJson(sub(channelId), 200, { method: "PUT", token, json: { level } });
export const del = (token: string, channelId: string) => api(sub(channelId), { method: "DELETE", token });

/** How many subscription rows the profile still has. */
export async function rowsOf(profileId: string): Promise<number> {
  const row = await testDb()
    .select({ n: count() })
    .from(subscriptions)
    .where(eq(subscriptions.profileId, profileId))
    .get();
  return row?.n ?? 0;
}

/** The stored count and the number of rows it must equal. */
export async function counts(channelId: string) {
  const db = testDb();
  const channel = await db
    .select({ counted: channels.subscriberCount })
    .from(channels)
    .where(eq(channels.id, channelId))
    .get();
  const rows = await db
    .select({ n: count() })
    .from(subscriptions)
    .where(eq(subscriptions.channelId, channelId))
    .get();
  return channel ? { counted: channel.counted, rows: rows?.n ?? 0 } : null;
}

/** Seeds `accounts` accounts with 5 profiles each and returns every profile's token. */
export async function seedProfiles(accounts: number, tag: string): Promise<string[]> {
  const seeded = await Promise.all(
    Array.from({ length: accounts }, () => seedAccount({ tag, profiles: [{}, {}, {}, {}] })),
  );
  return seeded.flatMap((a) => a.profiles.map((p) => p.token));
}
