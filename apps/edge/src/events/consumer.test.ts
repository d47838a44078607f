import { env } from "cloudflare:test";
import { describe, it } from "vitest";
import { lowerId } from "../../test/fixtures";
import { eventually } from "../../test/harness";
import { publishEvent } from "./publish";

describe("video deletion cleanup", () => {
  it("removes a deleted video's media when video.deleted is consumed", async () => {
    const id = lowerId("vid", "hk");
    await env.MEDIA.put(`videos/${id}/hls/master.m3u8`, "#EXTM3U");
    await env.MEDIA.put(`videos/${id}/source`, "bytes");
    await publishEvent(env, "video.deleted", { videoId: id, channelId: "chn_x" });
    await eventually(
      async () => (await env.MEDIA.list({ prefix: `videos/${id}/` })).objects.length === 0,
      15_000,
    );
  });
});
