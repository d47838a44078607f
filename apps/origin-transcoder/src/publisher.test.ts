// The progressive publisher under Node, with a recording sink and a hand-made output directory that
// grows the way ffmpeg's does. (The worker test runs it against real ffmpeg output.)
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SignedOutput } from "@marquee/shared";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseStrict } from "./hls-conformance.testkit";
import { CONTENT_SCHEDULE, parseMediaPlaylist } from "./playlist";
import { type OutputSink, Publisher } from "./publisher";
import { topLevelBoxes } from "./tail";

interface Upload {
  path: string;
  size: number;
  text?: string;
}

function recordingSink(uploads: Upload[]): OutputSink {
  const signed = (path: string): SignedOutput => ({
    path,
    url: `http://x/${path}`,
    method: "PUT",
    headers: {},
  });
  return {
    outputs: async (files) => files.map((f) => signed(f.path)),
    uploadFile: async (s, filePath) => {
      const { size } = await stat(filePath);
      uploads.push({ path: s.path, size });
    },
    uploadBytes: async (s, bytes) => {
      uploads.push({ path: s.path, size: bytes.byteLength, text: new TextDecoder().decode(bytes) });
    },
  };
}

const piece = (n: number) => `seg_${String(n).padStart(5, "0")}.m4s`;

/** An ffmpeg-style audio playlist with these durations. */
const timedPlaylist = (durations: number[], ended = false) =>
  [
    "#EXTM3U",
    "#EXT-X-VERSION:7",
    "#EXT-X-TARGETDURATION:4",
    "#EXT-X-MEDIA-SEQUENCE:1",
    "#EXT-X-PLAYLIST-TYPE:EVENT",
    '#EXT-X-MAP:URI="../audio/init.mp4"',
    ...durations.flatMap((d, i) => [`#EXTINF:${d.toFixed(6)},`, piece(i + 1)]),
    ...(ended ? ["#EXT-X-ENDLIST"] : []),
    "",
  ].join("\n");

/** A minimal fMP4 media segment: styp, sidx, moof, mdat (payload `n` bytes). */
const fragment = (n: number) => {
  const b = (type: string, len: number) => {
    const out = new Uint8Array(8 + len);
    new DataView(out.buffer).setUint32(0, out.length);
    out.set(
      [...type].map((c) => c.charCodeAt(0)),
      4,
    );
    return out;
  };
  return Buffer.concat([b("styp", 4), b("sidx", 12), b("moof", 16), b("mdat", n)]);
};

const playlist = (segments: number, init: string, ended = false) =>
  [
    "#EXTM3U",
    "#EXT-X-VERSION:7",
    "#EXT-X-TARGETDURATION:4",
    "#EXT-X-MEDIA-SEQUENCE:1",
    "#EXT-X-PLAYLIST-TYPE:EVENT",
    `#EXT-X-MAP:URI="${init}"`,
    ...Array.from({ length: segments }, (_, i) => `#EXTINF:4.000000,\nseg_0000${i + 1}.m4s`),
    ...(ended ? ["#EXT-X-ENDLIST"] : []),
    "",
  ].join("\n");

let out: string;
beforeEach(async () => {
  out = await mkdtemp(join(tmpdir(), "origin-publisher-"));
  await mkdir(join(out, "hls", "720p"), { recursive: true });
  await mkdir(join(out, "hls", "audio"), { recursive: true });
});
afterEach(async () => {
  await rm(out, { recursive: true, force: true });
});

const until = async (cond: () => boolean) => {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(cond()).toBe(true);
};

describe("Publisher", () => {
  it("uploads segments before the playlists that list them, the master once every rendition has one", async () => {
    const uploads: Upload[] = [];
    let playable = 0;
    const ac = new AbortController();
    const pub = new Publisher({
      sink: recordingSink(uploads),
      outDir: out,
      renditions: ["720p", "audio"],
      master: () => "#EXTM3U\n",
      signal: ac.signal,
      intervalMs: 20,
      onPlayable: () => playable++,
    });
    const v = (f: string) => join(out, "hls", "720p", f);
    const a = (f: string) => join(out, "hls", "audio", f);
    await writeFile(v("init.mp4"), "i".repeat(10));
    await writeFile(v("seg_00001.m4s"), "1".repeat(100));
    await writeFile(v("seg_00002.m4s"), "partial"); // being written: not listed yet
    await writeFile(v("playlist.m3u8"), playlist(1, "../720p/init.mp4"));
    pub.start();
    // Before the master, nothing goes up until every rendition has a segment: one batch then.
    await new Promise((r) => setTimeout(r, 150));
    expect(uploads).toEqual([]);
    expect(pub.playable).toBe(false);

    await writeFile(a("init.mp4"), "a".repeat(5));
    await writeFile(a("seg_00001.m4s"), "b".repeat(50));
    await writeFile(a("playlist.m3u8"), playlist(1, "../audio/init.mp4"));
    await until(() => playable === 1);
    const first = uploads.map((u) => u.path);
    // Files (in any order: they go up together), then the playlists naming them, then the master.
    expect(first.slice(0, 4).sort()).toEqual([
      "hls/720p/init.mp4",
      "hls/720p/seg_00001.m4s",
      "hls/audio/init.mp4",
      "hls/audio/seg_00001.m4s",
    ]);
    expect(first.slice(4, 6).sort()).toEqual(["hls/720p/playlist.m3u8", "hls/audio/playlist.m3u8"]);
    expect(first.slice(6)).toEqual(["hls/master.m3u8"]);
    expect(uploads.find((u) => u.path === "hls/720p/playlist.m3u8")?.text).toContain(
      '#EXT-X-MAP:URI="init.mp4"',
    );

    // A playlist that lists a segment not on disk is held back until the segment is there.
    await rm(v("seg_00002.m4s"));
    await writeFile(v("playlist.m3u8"), playlist(2, "../720p/init.mp4"));
    await new Promise((r) => setTimeout(r, 100));
    expect(uploads.filter((u) => u.path === "hls/720p/playlist.m3u8")).toHaveLength(1);
    await writeFile(v("seg_00002.m4s"), "2".repeat(120));
    await until(() => uploads.filter((u) => u.path === "hls/720p/playlist.m3u8").length === 2);

    // The end: final playlists with ENDLIST; nothing is uploaded twice.
    await writeFile(v("playlist.m3u8"), playlist(2, "../720p/init.mp4", true));
    await writeFile(a("seg_00002.m4s"), "c".repeat(40));
    await writeFile(a("playlist.m3u8"), playlist(2, "../audio/init.mp4", true));
    await pub.drain();
    const paths = uploads.map((u) => u.path);
    for (const p of paths.filter((x) => !x.endsWith(".m3u8")))
      expect(paths.filter((x) => x === p)).toHaveLength(1);
    const seen = new Set<string>();
    for (const u of uploads) {
      if (u.path.endsWith("playlist.m3u8")) {
        const rdir = u.path.slice(0, u.path.lastIndexOf("/"));
        for (const m of (u.text ?? "").matchAll(/^(seg_\d+\.m4s)$/gm))
          expect(seen).toContain(`${rdir}/${m[1]}`);
      }
      seen.add(u.path);
    }
    expect(pub.segmentCount()).toBe(4);
    expect(pub.segmentStats().get("720p")).toEqual([
      { duration: 4, bytes: 100 },
      { duration: 4, bytes: 120 },
    ]);
    expect(playable).toBe(1);
  });

  it("refuses to finish when a rendition never ended", async () => {
    await writeFile(join(out, "hls", "720p", "init.mp4"), "i");
    await writeFile(join(out, "hls", "720p", "seg_00001.m4s"), "1");
    await writeFile(join(out, "hls", "720p", "playlist.m3u8"), playlist(1, "init.mp4"));
    const pub = new Publisher({
      sink: recordingSink([]),
      outDir: out,
      renditions: ["720p"],
      master: () => "#EXTM3U\n",
      signal: new AbortController().signal,
    });
    await expect(pub.drain()).rejects.toThrow("rendition 720p has no finished playlist");
  });

  it("reports a failed upload through onError and stops", async () => {
    await writeFile(join(out, "hls", "720p", "init.mp4"), "i");
    await writeFile(join(out, "hls", "720p", "seg_00001.m4s"), "1");
    await writeFile(join(out, "hls", "720p", "playlist.m3u8"), playlist(1, "init.mp4"));
    const sink = recordingSink([]);
    sink.uploadFile = async () => {
      throw new Error("PUT answered 403");
    };
    let failure: unknown = null;
    const pub = new Publisher({
      sink,
      outDir: out,
      renditions: ["720p"],
      master: () => "#EXTM3U\n",
      signal: new AbortController().signal,
      intervalMs: 10,
      onError: (err) => {
        failure = err;
      },
    });
    pub.start();
    await until(() => failure !== null);
    await expect(pub.drain()).rejects.toThrow("PUT answered 403");
  });

  it("joins the audio's one-second pieces into the schedule's segments, holds back the end, joins a sub-second tail", async () => {
    const uploads: Upload[] = [];
    const pub = new Publisher({
      sink: recordingSink(uploads),
      outDir: out,
      renditions: ["audio"],
      master: () => "#EXTM3U\n",
      signal: new AbortController().signal,
      intervalMs: 10,
      joinShortTail: { renditions: ["audio"], expectedSeconds: 10, schedule: CONTENT_SCHEDULE },
    });
    const a = (f: string) => join(out, "hls", "audio", f);
    await writeFile(a("init.mp4"), "i".repeat(7));
    // ffmpeg's pieces (-hls_time 1): ten of about a second, then (once ended) a 0.02 s AAC tail.
    const payload = [400, 300, 100, 110, 120, 130, 200, 210, 220, 230, 30];
    for (const [i, n] of payload.entries()) await writeFile(a(piece(i + 1)), fragment(n));
    const pieces = [1.01, 0.99, 1, 1, 1, 1, 1, 1, 1, 1];
    // While encoding: segments end at 1, 2, 6, 10 s; those ending after 10 − 1.5 s stay back.
    await writeFile(a("playlist.m3u8"), timedPlaylist(pieces));
    pub.start();
    await until(() => uploads.some((u) => u.path === "hls/audio/playlist.m3u8"));
    const first = uploads.find((u) => u.path === "hls/audio/playlist.m3u8")?.text ?? "";
    expect(parseMediaPlaylist(first).segments.map((s) => [s.uri, s.duration])).toEqual([
      ["seg_00001.m4s", 1.01],
      ["seg_00002.m4s", 0.99],
      ["seg_00003.m4s", 4],
    ]);
    expect(first).toContain("#EXT-X-PLAYLIST-TYPE:EVENT");
    // TARGETDURATION is the steady length from the first snapshot on (it may never change).
    expect(parseMediaPlaylist(first).targetDuration).toBe(4);
    const fragmentBytes = (from: number, to: number) =>
      12 + payload.slice(from - 1, to).reduce((sum, n) => sum + 8 + 16 + 8 + n, 0);
    // The third segment is pieces 3–6 joined: one styp, their moof+mdat pairs, no sidx.
    expect(uploads.find((u) => u.path === "hls/audio/seg_00003.m4s")?.size).toBe(fragmentBytes(3, 6));
    const third = new Uint8Array(await readFile(a("group-seg_00003.m4s")));
    expect(topLevelBoxes(third).map((b) => b.type)).toEqual([
      "styp",
      ...Array(4).fill(["moof", "mdat"]).flat(),
    ]);
    expect(uploads.map((u) => u.path)).not.toContain("hls/audio/seg_00004.m4s");

    // ffmpeg ends the playlist with the 0.02 s tail: joined to the held-back fourth segment (6–10 s).
    await writeFile(a("playlist.m3u8"), timedPlaylist([...pieces, 0.02], true));
    await pub.drain();
    const final = uploads.filter((u) => u.path === "hls/audio/playlist.m3u8").at(-1)?.text ?? "";
    const parsed = parseStrict(final) as {
      playlistType?: string;
      endlist: boolean;
      segments: { uri: string; duration: number }[];
    };
    expect(parsed.playlistType).toBe("VOD");
    expect(parsed.endlist).toBe(true);
    expect(parsed.segments.map((s) => [s.uri, s.duration])).toEqual([
      ["seg_00001.m4s", 1.01],
      ["seg_00002.m4s", 0.99],
      ["seg_00003.m4s", 4],
      ["seg_00004.m4s", 4.02],
    ]);
    const paths = uploads.map((u) => u.path);
    for (const p of new Set(paths.filter((x) => x.endsWith(".m4s"))))
      expect(paths.filter((x) => x === p)).toHaveLength(1);
    expect(paths).not.toContain("hls/audio/seg_00005.m4s");
    const joinedSize = uploads.find((u) => u.path === "hls/audio/seg_00004.m4s")?.size;
    expect(joinedSize).toBe(fragmentBytes(7, 11));
    expect(pub.renditionStats().get("audio")).toEqual({
      segments: [
        { duration: 1.01, bytes: fragment(400).length },
        { duration: 0.99, bytes: fragment(300).length },
        { duration: 4, bytes: fragmentBytes(3, 6) },
        { duration: 4.02, bytes: joinedSize },
      ],
      initBytes: 7,
      targetDuration: 4,
    });
  });
});
