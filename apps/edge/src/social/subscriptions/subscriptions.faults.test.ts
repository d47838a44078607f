// Subscribing under D1 faults (docs/faults.md): the row and the channel's subscriber count move
// together (the count is kept by D1 triggers, in the row's own statement), so after a 503 the count
// matches the rows, and sending the request again leaves exactly one subscription.
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { testDb } from "../../../test/fixtures";
import { api, type SeededAccount, seedAccount } from "../../../test/harness";
import { callWithFaults, failEachStatementInTurn } from "../../../test/harness/faults";
import { channels, subscriptions } from "../../db/schema";

let subscriber: SeededAccount;
beforeAll(async () => {
  subscriber = await seedAccount({ tag: "sfault" });
});

/** The channel's count and its subscription rows: they must always agree. */
async function subscribers(channelId: string) {
  const db = testDb();
  const row = await db
    .select({ count: channels.subscriberCount })
    .from(channels)
    .where(eq(channels.id, channelId))
    .get();
  const rows = await db.select().from(subscriptions).where(eq(subscriptions.channelId, channelId));
  return { count: row?.count, rows: rows.length };
}

async function newChannel(): Promise<string> {
  const owner = await seedAccount({ channel: true, tag: "sfault" });
  return owner.channelId as string;
}

const path = (channelId: string) => `/api/v1/channels/${channelId}/subscription`;

describe("subscriptions under D1 faults", () => {
  it("subscribing: 503 for each failing statement, the count matching the rows; subscribing again counts one", async () => {
    const statements = await failEachStatementInTurn<string>({
      scene: newChannel,
      act: (channelId, faults) =>
        callWithFaults(faults, path(channelId), {
          method: "PUT",
          token: subscriber.accessToken,
          json: { level: "all" },
        }),
      okStatus: 200,
      afterFailure: async (channelId) => {
        expect(await subscribers(channelId)).toEqual({ count: 0, rows: 0 });
      },
      afterRetry: async (channelId) => {
        expect(await subscribers(channelId)).toEqual({ count: 1, rows: 1 });
      },
    });
    expect(statements.some((sql) => /insert into "subscriptions"/i.test(sql))).toBe(true);
  });

  it("unsubscribing: 503 for each failing statement, the subscription whole; unsubscribing again leaves none", async () => {
    await failEachStatementInTurn<string>({
      scene: async () => {
        const channelId = await newChannel();
        const res = await api(path(channelId), {
          method: "PUT",
          token: subscriber.accessToken,
          json: { level: "all" },
        });
        expect(res.status).toBe(200);
        return channelId;
      },
      act: (channelId, faults) =>
        callWithFaults(faults, path(channelId), { method: "DELETE", token: subscriber.accessToken }),
      okStatus: 204,
      afterFailure: async (channelId) => {
        expect(await subscribers(channelId)).toEqual({ count: 1, rows: 1 });
      },
      afterRetry: async (channelId) => {
        expect(await subscribers(channelId)).toEqual({ count: 0, rows: 0 });
      },
    });
  });
});
