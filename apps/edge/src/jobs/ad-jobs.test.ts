// Transcode jobs of ad creatives through the internal API: the lease tells the origin it is an ad
// and carries the creative's duration limit; a finished ad is ready but never announced.
import { env } from "cloudflare:test";
import { and, count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { insertVideo, storeSource, testDb } from "../../test/fixtures";
import { eventually, seedAccount, videoRow } from "../../test/harness";
import { loadConfig } from "../config";
import { processedEvents } from "../db/schema";
import { globalQueue } from "../transcode-queue/test-utils";
import { bodyOf, heartbeat, internal, leaseOverHttp, queuedVideo, RESULT, storeMaster } from "./test-utils";

const publishedCount = async (videoId: string) =>
  (
    await testDb()
      .select({ n: count() })
      .from(processedEvents)
      .where(and(eq(processedEvents.subject, videoId), eq(processedEvents.type, "video.published")))
      .get()
  )?.n ?? 0;

async function queuedAd(): Promise<string> {
  const advertiser = await seedAccount({ tag: "adjobs", roles: ["advertiser"], channel: true });
  const videoId = await insertVideo(advertiser, {
    kind: "ad",
    visibility: "private",
    status: "queued",
    playable: false,
  });
  await storeSource(videoId);
  await globalQueue().enqueue(videoId);
  return videoId;
}

describe("internal API: ad creatives", () => {
  it("leases an ad's job as kind ad with ADS_MAX_CREATIVE_SECONDS as its duration limit; content as content", async () => {
    const ad = await queuedAd();
    const job = await leaseOverHttp(ad);
    expect(job.kind).toBe("ad");
    expect(job.limits.maxDurationSeconds).toBe(loadConfig(env).ads.maxCreativeSeconds);
    const content = await leaseOverHttp(await queuedVideo());
    expect(content.kind).toBe("content");
    expect(content.limits.maxDurationSeconds).toBeGreaterThan(job.limits.maxDurationSeconds);
  });

  it("makes a finished ad ready without announcing it (no video.published), while content is announced", async () => {
    const ad = await queuedAd();
    const content = await queuedVideo();
    for (const videoId of [ad, content]) {
      const job = await leaseOverHttp(videoId);
      // Playable first (where content is announced), then complete.
      await bodyOf(await heartbeat(job.id, job.leaseToken, 50), 200);
      await storeMaster(videoId);
      await bodyOf(
        await internal(`/jobs/${job.id}/complete`, { leaseToken: job.leaseToken, result: RESULT }),
        200,
      );
    }
    expect(await videoRow(ad)).toMatchObject({ status: "ready", playable: true, visibility: "private" });
    // The content's event was handled: the ad's, published before it had it been, would be too.
    await eventually(async () => ((await publishedCount(content)) === 1 ? true : null));
    await new Promise((r) => setTimeout(r, 300));
    expect(await publishedCount(ad)).toBe(0);
  });
});
