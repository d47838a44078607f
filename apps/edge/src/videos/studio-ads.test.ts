// The studio (GET /me/videos) lists the account's content only: an advertiser's creatives belong to
// their campaign pages (GET /ads/campaigns), not among their videos.
import { describe, expect, it } from "vitest";
import { insertVideo } from "../../test/fixtures";
import { listAll, seedAccount } from "../../test/harness";

describe("the studio list and ad creatives", () => {
  it("holds the account's content videos but none of its ad creatives", async () => {
    const owner = await seedAccount({ tag: "studioads", roles: ["advertiser"], channel: true });
    const content = await insertVideo(owner, { visibility: "private", createdAt: Date.now() - 2000 });
    const ready = await insertVideo(owner, {
      kind: "ad",
      visibility: "private",
      createdAt: Date.now() - 1000,
    });
    const processing = await insertVideo(owner, { kind: "ad", visibility: "private", status: "processing" });
    const seen = await listAll<{ id: string }>("/api/v1/me/videos", owner.accessToken);
    expect(seen.map((v) => v.id)).toEqual([content]);
    expect(seen.map((v) => v.id)).not.toContain(ready);
    expect(seen.map((v) => v.id)).not.toContain(processing);
  });
});
