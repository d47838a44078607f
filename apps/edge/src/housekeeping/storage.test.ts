import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { lowerId } from "../../test/fixtures";
import { deletePrefix } from "./storage";

const vid = () => lowerId("vid", "hk");

describe("storage housekeeping", () => {
  it("deletes everything under a video's folder, across pages, and nothing beside it", async () => {
    const a = vid();
    const b = vid();
    await Promise.all(
      Array.from({ length: 1205 }, (_, i) => env.MEDIA.put(`videos/${a}/hls/720p/seg_${i}.m4s`, "x")),
    );
    await env.MEDIA.put(`videos/${b}/source`, "keep me");
    expect(await deletePrefix(env.MEDIA, `videos/${a}/`)).toBe(1205);
    expect((await env.MEDIA.list({ prefix: `videos/${a}/` })).objects).toHaveLength(0);
    expect(await env.MEDIA.head(`videos/${b}/source`)).not.toBeNull();
    await expect(deletePrefix(env.MEDIA, "videos")).rejects.toThrow();
  });
});
