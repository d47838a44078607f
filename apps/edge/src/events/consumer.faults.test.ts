// The events consumer under faults (docs/faults.md), through the plugin's queue machinery
// (createMessageBatch, getQueueResult): a delivery whose work fails on D1 or R2 is retried, not
// acknowledged, and its redelivery applies the event once; an event delivered twice (the queue is
// at-least-once) is applied once.

import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import type { CommentCreated, DomainEvent } from "@marquee/shared";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { insertComment, insertVideo, lowerId, testDb } from "../../test/fixtures";
import { apiJson, type SeededAccount, seedAccount } from "../../test/harness";
import { D1Faults, envWithFaults, type Faults, R2Faults } from "../../test/harness/faults";
import { processedEvents } from "../db/schema";
import worker from "../index";

let owner: SeededAccount;
let commenter: SeededAccount;
beforeAll(async () => {
  [owner, commenter] = await Promise.all([
    seedAccount({ channel: true, tag: "qfault" }),
    seedAccount({ tag: "qfault" }),
  ]);
});

let attempt = 0;

/** Delivers `events` as one batch to the worker's queue handler with `faults`; the ack/retry state. */
async function deliver(events: DomainEvent[], faults: Faults = {}, attempts = 1) {
  const batch = createMessageBatch<DomainEvent>(
    "marquee-events",
    events.map((body) => ({ id: `msg-${attempt++}`, timestamp: new Date(), attempts, body })),
  );
  const ctx = createExecutionContext();
  // The worker's own queue handler, as the runtime calls it (typed as any handler, so a context
  // argument the entry does not name yet still reaches it).
  const handler = (worker as ExportedHandler<Env>).queue;
  if (!handler) throw new Error("the worker has no queue handler");
  await handler(batch as MessageBatch<unknown>, envWithFaults(faults), ctx);
  const result = await getQueueResult(batch, ctx);
  const ids = batch.messages.map((m) => m.id);
  return {
    acked: ids.filter((id) => result.explicitAcks.includes(id)).length,
    retried: ids.filter((id) => result.retryMessages.some((r) => r.msgId === id)).length,
    ackAll: result.ackAll,
    retryAll: result.retryBatch.retry,
  };
}

/** A new comment by `commenter` on a new video of `owner`, and its `comment.created` event. */
async function commentCreated(): Promise<CommentCreated> {
  const videoId = await insertVideo(owner, { maturity: "kids" });
  const commentId = await insertComment(videoId, commenter);
  return {
    id: `comment.created:${commentId}`,
    type: "comment.created",
    occurredAt: new Date().toISOString(),
    payload: {
      commentId,
      videoId,
      videoOwnerAccountId: owner.accountId,
      authorProfileId: commenter.profileId,
      excerpt: "a comment",
    },
  };
}

/** The owner's notifications about the comment, and the consumer's record of the event. */
async function applied(event: CommentCreated) {
  const page = await apiJson<{ items: { data: Record<string, string> }[] }>(
    "/api/v1/me/notifications?limit=100",
    200,
    { token: owner.accessToken },
  );
  const records = await testDb().select().from(processedEvents).where(eq(processedEvents.id, event.id));
  return {
    notifications: page.items.filter((n) => n.data.commentId === event.payload.commentId).length,
    records: records.length,
  };
}

describe("events consumer under D1 faults", () => {
  it("each of its D1 statements failing on the first delivery: retried, not acked; the redelivery applies it once", async () => {
    const dry = new D1Faults();
    const first = await commentCreated();
    expect(await deliver([first], { d1: dry })).toMatchObject({ acked: 1, retried: 0 });
    expect(await applied(first)).toEqual({ notifications: 1, records: 1 });
    const statements = dry.requestStatements();
    // Read "seen?", the handler's reads, record it as processed.
    expect(statements.length).toBeGreaterThanOrEqual(3);
    expect(statements.some((sql) => /insert into "processed_events"/i.test(sql))).toBe(true);

    for (let index = 0; index < statements.length; index++) {
      const event = await commentCreated();
      const faults = new D1Faults({ failAt: index });
      const what = `statement ${index} (${statements[index]?.slice(0, 80)})`;
      expect(await deliver([event], { d1: faults }), what).toMatchObject({ acked: 0, retried: 1 });
      expect(faults.failed, what).toBe(1);
      expect((await applied(event)).records, what).toBe(0);
      expect(await deliver([event], {}, 2), what).toMatchObject({ acked: 1, retried: 0 });
      expect(await applied(event), what).toEqual({ notifications: 1, records: 1 });
    }
  });

  it("an event delivered twice, in one batch or in two, is applied once and acked each time", async () => {
    const event = await commentCreated();
    expect(await deliver([event, event])).toMatchObject({ acked: 2, retried: 0 });
    expect(await deliver([event])).toMatchObject({ acked: 1, retried: 0 });
    expect(await applied(event)).toEqual({ notifications: 1, records: 1 });
  });

  it("one failing message of a batch is retried alone; the others are acked", async () => {
    const [ok, failing] = [await commentCreated(), await commentCreated()];
    // The statements' SQL does not name the event (its id is bound), so the fault picks the second
    // message's first statement by its turn: it comes right after the first message's work.
    const dry = new D1Faults();
    const probe = await commentCreated();
    await deliver([probe], { d1: dry });
    const perMessage = dry.requestStatements().length;
    const faults = new D1Faults({ failAt: perMessage });
    expect(await deliver([ok, failing], { d1: faults })).toMatchObject({ acked: 1, retried: 1 });
    expect((await applied(ok)).records).toBe(1);
    expect((await applied(failing)).records).toBe(0);
    expect(await deliver([failing], {}, 2)).toMatchObject({ acked: 1 });
    expect(await applied(failing)).toEqual({ notifications: 1, records: 1 });
    expect(await applied(ok)).toEqual({ notifications: 1, records: 1 });
  });
});

describe("events consumer under R2 faults", () => {
  it("video.deleted whose media removal fails is retried; the redelivery removes the media and records it once", async () => {
    const videoId = lowerId("vid", "qf");
    await env.MEDIA.put(`videos/${videoId}/hls/master.m3u8`, "#EXTM3U");
    await env.MEDIA.put(`videos/${videoId}/source`, "bytes");
    const event: DomainEvent = {
      id: lowerId("evt", "qf"),
      type: "video.deleted",
      occurredAt: new Date().toISOString(),
      payload: { videoId, channelId: owner.channelId as string },
    };
    const r2 = new R2Faults({ match: new RegExp(`^(delete|list) .*${videoId}`) });
    expect(await deliver([event], { r2 })).toMatchObject({ acked: 0, retried: 1 });
    expect(r2.failed).toBeGreaterThanOrEqual(1);
    const records = () => testDb().select().from(processedEvents).where(eq(processedEvents.id, event.id));
    expect(await records()).toEqual([]);
    expect((await env.MEDIA.list({ prefix: `videos/${videoId}/` })).objects).toHaveLength(2);

    expect(await deliver([event], {}, 2)).toMatchObject({ acked: 1, retried: 0 });
    expect((await env.MEDIA.list({ prefix: `videos/${videoId}/` })).objects).toHaveLength(0);
    expect(await records()).toHaveLength(1);
  });
});
