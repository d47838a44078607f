// The master-playlist filter with the tall rungs (1440p, 2160p): each plan's cap keeps exactly the
// renditions at or below it, and Save-Data still caps a premium viewer, both in the filter itself and
// through the /media route (workerd, R2, a signed playback token).
import { env } from "cloudflare:test";
import HLS from "hls-parser";
import type { MasterPlaylist, MediaPlaylist } from "hls-parser/types";
import { describe, expect, it } from "vitest";
import { api, seedAccount, storeReadyVideo } from "../../test/harness";
import { filterMasterPlaylist, lowestHeight } from "./playlists";
import { currentGeneration } from "./revocation";
import { issuePlaybackToken } from "./token";

/** A UHD source's master as the origin writes it (tallest first), trimmed to five rungs. */
const TALL_MASTER = `#EXTM3U
#EXT-X-VERSION:7
#EXT-X-INDEPENDENT-SEGMENTS
#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",NAME="Audio",DEFAULT=YES,AUTOSELECT=YES,CHANNELS="2",URI="audio/playlist.m3u8"
#EXT-X-STREAM-INF:BANDWIDTH=16928000,AVERAGE-BANDWIDTH=14128000,RESOLUTION=3840x2160,FRAME-RATE=30.000,CODECS="avc1.640033,mp4a.40.2",AUDIO="aud"
2160p/playlist.m3u8
#EXT-X-STREAM-INF:BANDWIDTH=9728000,AVERAGE-BANDWIDTH=8128000,RESOLUTION=2560x1440,FRAME-RATE=30.000,CODECS="avc1.640032,mp4a.40.2",AUDIO="aud"
1440p/playlist.m3u8
#EXT-X-STREAM-INF:BANDWIDTH=6128000,AVERAGE-BANDWIDTH=5128000,RESOLUTION=1920x1080,FRAME-RATE=30.000,CODECS="avc1.640028,mp4a.40.2",AUDIO="aud"
1080p/playlist.m3u8
#EXT-X-STREAM-INF:BANDWIDTH=3488000,AVERAGE-BANDWIDTH=2928000,RESOLUTION=1280x720,FRAME-RATE=30.000,CODECS="avc1.64001f,mp4a.40.2",AUDIO="aud"
720p/playlist.m3u8
#EXT-X-STREAM-INF:BANDWIDTH=1808000,AVERAGE-BANDWIDTH=1528000,RESOLUTION=854x480,FRAME-RATE=30.000,CODECS="avc1.64001f,mp4a.40.2",AUDIO="aud"
480p/playlist.m3u8
`;

/** hls-parser in strict mode: what RFC 8216 forbids throws instead of being logged. */
function parseStrict(text: string): ReturnType<typeof HLS.parse> {
  HLS.setOptions({ strictMode: true });
  return HLS.parse(text);
}

/** [RESOLUTION, URI] of each variant left, in order: an attribute line and its URI must stay paired. */
function variants(master: string): [string, string][] {
  const lines = master.split("\n");
  return lines.flatMap((line, i) => {
    if (!line.startsWith("#EXT-X-STREAM-INF:")) return [];
    return [[/RESOLUTION=(\d+x\d+)/.exec(line)?.[1] ?? "", lines[i + 1] ?? ""] as [string, string]];
  });
}

const row = (size: string, name: string): [string, string] => [size, `${name}/playlist.m3u8`];
const R2160 = row("3840x2160", "2160p");
const R1440 = row("2560x1440", "1440p");
const R1080 = row("1920x1080", "1080p");
const R720 = row("1280x720", "720p");
const R480 = row("854x480", "480p");

describe("filterMasterPlaylist with rungs above 1080p", () => {
  it("keeps exactly the rungs at or below each plan's cap: free 720, standard 1080, premium 2160", () => {
    const cases: [number, [string, string][]][] = [
      [720, [R720, R480]],
      [1080, [R1080, R720, R480]],
      [2160, [R2160, R1440, R1080, R720, R480]],
    ];
    for (const [cap, expected] of cases) {
      const { playlist, kept } = filterMasterPlaylist(TALL_MASTER, cap);
      expect(variants(playlist), `cap ${cap}`).toEqual(expected);
      expect(kept).toBe(expected.length);
      // The header and the audio rendition stay whatever the cap.
      expect(playlist.startsWith("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n")).toBe(true);
      expect(playlist).toContain('URI="audio/playlist.m3u8"');
    }
  });

  it("leaves a master a third-party parser (hls-parser, strict) reads with each kept variant intact", () => {
    const whole = parseStrict(TALL_MASTER) as MasterPlaylist;
    const byUri = new Map(whole.variants.map((v) => [v.uri, v]));
    for (const cap of [240, 480, 720, 1080, 1440, 2160]) {
      const { playlist, kept } = filterMasterPlaylist(TALL_MASTER, cap);
      if (kept === 0) continue; // the route falls back to the lowest rung (lowestHeight) itself
      const parsed = parseStrict(playlist) as MasterPlaylist;
      expect(parsed.isMasterPlaylist, `cap ${cap}`).toBe(true);
      expect(parsed.variants).toHaveLength(kept);
      for (const v of parsed.variants) {
        const original = byUri.get(v.uri);
        expect(v.resolution?.height, `cap ${cap} ${v.uri}`).toBeLessThanOrEqual(cap);
        // BANDWIDTH, AVERAGE-BANDWIDTH, CODECS, RESOLUTION and the audio group survive the filter.
        expect([v.bandwidth, v.averageBandwidth, v.codecs, v.resolution, v.frameRate]).toEqual([
          original?.bandwidth,
          original?.averageBandwidth,
          original?.codecs,
          original?.resolution,
          original?.frameRate,
        ]);
        expect(v.audio.map((a) => [a.groupId, a.uri])).toEqual([["aud", "audio/playlist.m3u8"]]);
      }
    }
  });

  it("compares heights, not names: 1439 stops below 1440p, 1440 takes it, 2159 stops below 2160p", () => {
    expect(variants(filterMasterPlaylist(TALL_MASTER, 1439).playlist)[0]).toEqual(R1080);
    expect(variants(filterMasterPlaylist(TALL_MASTER, 1440).playlist)[0]).toEqual(R1440);
    expect(variants(filterMasterPlaylist(TALL_MASTER, 2159).playlist)[0]).toEqual(R1440);
  });

  it("applies a Save-Data cap of 480 to a premium viewer as to anyone", () => {
    const saveData = Math.min(2160, 480);
    expect(variants(filterMasterPlaylist(TALL_MASTER, saveData).playlist)).toEqual([R480]);
    expect(lowestHeight(TALL_MASTER)).toBe(480);
  });
});

describe("/media master and rungs for a UHD video", () => {
  async function tallVideo(tag: string): Promise<string> {
    const owner = await seedAccount({ tag, channel: true });
    const id = await storeReadyVideo(owner);
    await env.MEDIA.put(`videos/${id}/hls/master.m3u8`, TALL_MASTER);
    const variant = `#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:4\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXT-X-MAP:URI="init.mp4"\n#EXTINF:4.0,\nseg_00001.m4s\n#EXT-X-ENDLIST\n`;
    for (const r of ["2160p", "1440p"]) {
      await env.MEDIA.put(`videos/${id}/hls/${r}/playlist.m3u8`, variant);
      await env.MEDIA.put(`videos/${id}/hls/${r}/seg_00001.m4s`, new Uint8Array(64));
    }
    return id;
  }

  /** A media path signed with the plan's cap, as playback issuance would (token.ts). */
  async function mediaPath(id: string, maxHeight: number, path: string): Promise<string> {
    const token = await issuePlaybackToken(env.MEDIA_SIGNING_KEY, {
      videoId: id,
      expires: Math.floor(Date.now() / 1000) + 600,
      maxHeight,
      generation: await currentGeneration(env.SETTINGS, id),
    });
    return `/media/${id}/${token}/${path}`;
  }

  const names = (text: string) => variants(text).map(([, uri]) => uri.split("/")[0]);

  it("serves each cap its rungs, and Save-Data cuts a premium viewer down to 480p", async () => {
    const id = await tallVideo("pltall");
    const master = async (cap: number, headers?: Record<string, string>) => {
      const res = await api(await mediaPath(id, cap, "hls/master.m3u8"), { headers });
      expect(res.status).toBe(200);
      return names(await res.text());
    };
    expect(await master(720)).toEqual(["720p", "480p"]);
    expect(await master(1080)).toEqual(["1080p", "720p", "480p"]);
    expect(await master(2160)).toEqual(["2160p", "1440p", "1080p", "720p", "480p"]);
    expect(await master(2160, { "save-data": "on" })).toEqual(["480p"]);
  });

  it("serves playlists hls-parser (strict) accepts: the filtered master, and a finished rung as VOD", async () => {
    const id = await tallVideo("pltallparse");
    const master = await api(await mediaPath(id, 1080, "hls/master.m3u8"));
    const parsed = parseStrict(await master.text()) as MasterPlaylist;
    expect(parsed.variants.map((v) => v.uri)).toEqual([
      "1080p/playlist.m3u8",
      "720p/playlist.m3u8",
      "480p/playlist.m3u8",
    ]);
    const rung = await api(await mediaPath(id, 2160, "hls/2160p/playlist.m3u8"));
    expect(rung.status).toBe(200);
    const media = parseStrict(await rung.text()) as MediaPlaylist;
    expect([media.isMasterPlaylist, media.playlistType, media.endlist]).toEqual([false, "VOD", true]);
    expect(media.segments.map((s) => [s.uri, s.duration, s.map?.uri])).toEqual([
      ["seg_00001.m4s", 4, "init.mp4"],
    ]);
  });

  it("refuses a rung above the cap on direct request: 2160p for standard, and for premium with Save-Data", async () => {
    const id = await tallVideo("pltalldirect");
    const seg = (rung: string) => `hls/${rung}/seg_00001.m4s`;
    expect((await api(await mediaPath(id, 2160, seg("2160p")))).status).toBe(200);
    expect((await api(await mediaPath(id, 2160, seg("1440p")))).status).toBe(200);
    expect((await api(await mediaPath(id, 1080, seg("1440p")))).status).toBe(403);
    expect((await api(await mediaPath(id, 1080, seg("2160p")))).status).toBe(403);
    const saveData = { headers: { "save-data": "on" } };
    expect((await api(await mediaPath(id, 2160, seg("2160p")), saveData)).status).toBe(403);
  });
});
