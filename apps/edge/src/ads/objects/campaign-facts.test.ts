import { runInDurableObject } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { testDb } from "../../../test/fixtures";
import { adImpressions } from "../../db/schema";
import { newId } from "../../lib/ids";
import { campaignObject, endSeededCampaigns, seedAdvertiserCampaign } from "../test-utils";

afterEach(endSeededCampaigns);

const DAY = 86_400_000;

describe("the campaign outbox's revenue facts", () => {
  it("stamps recorded_at with D1's clock when stored: a late delivery lands in the open period", async () => {
    const { campaignId } = await seedAdvertiserCampaign({ cpmBidCents: 500 });
    const obj = campaignObject(campaignId);
    const sessionId = newId("ads");
    await obj.reserve({
      sessionId,
      priceMillicents: 300,
      creativeVideoId: "vid_creative",
      videoId: "vid_content",
      channelId: "ch_content",
      viewerKey: `profile:${newId("p")}`,
    });
    await obj.track(sessionId, ["impression"]);
    // The object billed it 40 days ago and D1 was unreachable since: the outbox still holds it.
    const billedAt = Date.now() - 40 * DAY;
    await runInDurableObject(obj, (_o, state) => {
      state.storage.sql.exec(
        "UPDATE sessions SET billed_at = ?, flushed = 0 WHERE id = ?",
        billedAt,
        sessionId,
      );
    });
    const before = Date.now();
    await obj.flush();
    const after = Date.now();
    const [row] = await testDb().select().from(adImpressions).where(eq(adImpressions.sessionId, sessionId));
    expect(row).toMatchObject({ servedAt: billedAt, channelId: "ch_content", priceMillicents: 300 });
    // D1's clock, not the object's billing time; an integer of ms (D1 and the worker's clocks may
    // differ by the worker's frozen-during-I/O time, hence the second of slack).
    expect(Number.isInteger(row?.recordedAt)).toBe(true);
    expect(row?.recordedAt).toBeGreaterThanOrEqual(before - 1_000);
    expect(row?.recordedAt).toBeLessThanOrEqual(after + 1_000);

    // A second flush of the same fact (the outbox forgot it was written) keeps the first stamp.
    const first = row?.recordedAt;
    await runInDurableObject(obj, (_o, state) => {
      state.storage.sql.exec("UPDATE sessions SET flushed = 0 WHERE id = ?", sessionId);
    });
    await new Promise((r) => setTimeout(r, 20));
    await obj.flush();
    const [again] = await testDb().select().from(adImpressions).where(eq(adImpressions.sessionId, sessionId));
    expect(again?.recordedAt).toBe(first);
  });
});
