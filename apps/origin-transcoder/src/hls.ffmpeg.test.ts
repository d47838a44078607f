// HLS conformance of what the whole origin (`bun src/main.ts`, Debian's ffmpeg) publishes, against the
// fake edge, read back with a third-party parser (hls-parser, strict): finished playlists are VOD with
// ENDLIST, BANDWIDTH covers the RFC 8216 peak segment bit rate measured from the stored bytes (init
// segments included), and the audio has no sub-second tail.
//
// Two small 640×360 clips (2 rungs + audio), cut on the schedule 0.5, 1, 2, 6, 10 … s (short first
// segments): 8 s (segments 1 + 1 + 4 + 2 s; the audio, cut by ffmpeg into one-second pieces, joined
// into segments ending at the same times), and 6.6 s, whose audio ends with a 0.6 s segment after
// 6 s (joined to the one before: 1 + 1 + 4.6 s, TARGETDURATION 5).
import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ffprobe, makeTestPatternClip } from "../../../scripts/lib/media-tools";
import { FakeEdge, type FakeEvent } from "../test/fake-edge";
import { ORIGIN_TEST_TOKEN, spawnOrigin } from "../test/origin-process";
import { checkLadderConformance, type LadderFigures, parseStrict } from "./hls-conformance.testkit";
import { parseMediaPlaylist } from "./playlist";

type Put = Extract<FakeEvent, { kind: "put" }>;
type Complete = Extract<FakeEvent, { kind: "complete" }>;

const CLIPS = { eight: 8, sixAndHalf: 6.6 } as const;
type ClipName = keyof typeof CLIPS;
const videoId = (name: ClipName) => `vid-hls-${name}`;

let dir: string;
let edge: FakeEdge;
let origin: ChildProcess | null = null;
const logs: string[] = [];
const done = {} as Record<ClipName, Complete>;
const figures = {} as Record<ClipName, LadderFigures>;

const stored = (name: ClipName, path: string) => edge.storedPath(videoId(name), path);
const puts = (name: ClipName) =>
  edge.events.filter((e): e is Put => e.kind === "put" && e.videoId === videoId(name));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "origin-hls-"));
  edge = new FakeEdge(ORIGIN_TEST_TOKEN, join(dir, "storage"), 5000);
  for (const [name, seconds] of Object.entries(CLIPS) as [ClipName, number][]) {
    const path = join(dir, `${name}.mp4`);
    await makeTestPatternClip(path, { size: "640x360", seconds, noise: true, preset: "ultrafast" });
    edge.enqueue({ id: `job-${videoId(name)}`, videoId: videoId(name), sourcePath: path });
  }
  await edge.start();
  origin = spawnOrigin(edge.base, join(dir, "work"));
  origin.stdout?.on("data", (d: Buffer) => logs.push(d.toString().trim()));
  origin.stderr?.on("data", (d: Buffer) => logs.push(d.toString().trim()));
  for (const name of Object.keys(CLIPS) as ClipName[]) {
    const jobId = `job-${videoId(name)}`;
    const end = await edge.waitFor(
      (e) => (e.kind === "complete" || e.kind === "fail") && e.jobId === jobId,
      120_000,
    );
    if (end.kind !== "complete")
      throw new Error(`${jobId} failed: ${JSON.stringify(end)}\n${logs.join("\n")}`);
    done[name] = end;
  }
}, 180_000);

afterAll(async () => {
  if (origin && origin.exitCode === null) {
    const exited = once(origin, "exit");
    origin.kill("SIGTERM");
    await exited;
  }
  await edge?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe("HLS conformance of the published ladder (real ffmpeg, hls-parser)", () => {
  it("publishes VOD playlists, BANDWIDTH ≥ the RFC 8216 peak (init included), AVERAGE-BANDWIDTH measured", async () => {
    for (const name of Object.keys(CLIPS) as ClipName[]) {
      figures[name] = await checkLadderConformance({
        text: (path) => readFile(stored(name, `hls/${path}`), "utf8"),
        size: async (path) => (await stat(stored(name, `hls/${path}`))).size,
      });
      expect(figures[name].variants.map((v) => v.uri)).toEqual(["360p/playlist.m3u8", "240p/playlist.m3u8"]);
      // The completion result reports the master's BANDWIDTH for each rung.
      expect(done[name].result.renditions.map((r) => r.bandwidth)).toEqual(
        figures[name].variants.map((v) => v.bandwidth),
      );
      console.log(
        `${name}: ${figures[name].variants.map((v) => `${v.uri.split("/")[0]} BANDWIDTH ${v.bandwidth} ≥ peak ${Math.round(v.peak)}, AVERAGE ${v.averageBandwidth}`).join("; ")}`,
      );
    }
  });

  it("joins the audio's sub-second tail to the segment before it", async () => {
    const audio = (name: ClipName) => figures[name].renditions.get("audio/playlist.m3u8");
    // 8 s: 0.5 + 0.5 + 1 + 4 + 2 s (ffmpeg's last piece, 0.02 s past 8 s, is in the last segment).
    const eight = audio("eight");
    expect(eight?.durations).toHaveLength(5);
    expect(eight?.seconds).toBeGreaterThan(8);
    expect(eight?.seconds).toBeLessThan(8.1);
    expect(eight?.durations.slice(2).every((d) => d >= 1)).toBe(true);
    // 6.6 s: the 0.6 s after 6 s became part of the fourth segment; its target duration rounds to 5.
    const short = audio("sixAndHalf");
    expect(short?.durations).toHaveLength(4);
    expect(short?.seconds).toBeCloseTo(6.6, 1);
    const text = await readFile(stored("sixAndHalf", "hls/audio/playlist.m3u8"), "utf8");
    expect(parseMediaPlaylist(text).targetDuration).toBe(5);
    // Every rung and the audio cut at the same times: 0.5, 1, 2, 6 s (the audio within an AAC frame).
    for (const name of Object.keys(CLIPS) as ClipName[]) {
      const ends = (uri: string) => {
        let t = 0;
        return (figures[name].renditions.get(uri)?.durations ?? []).map((d) => (t += d));
      };
      const video = ends("360p/playlist.m3u8");
      expect(ends("240p/playlist.m3u8")).toEqual(video);
      expect(video.slice(0, 4).map((t) => Math.round(t * 1000) / 1000)).toEqual([0.5, 1, 2, 6]);
      const cuts = ends("audio/playlist.m3u8").slice(0, -1);
      cuts.forEach((t, i) => {
        expect(Math.abs(t - (video[i] as number)), `${name}: audio cut ${i + 1}`).toBeLessThan(0.03);
      });
    }
    // The joined segments are sound fMP4: init + segments decode to every AAC frame of the audio.
    for (const name of Object.keys(CLIPS) as ClipName[]) {
      const pl = parseMediaPlaylist(await readFile(stored(name, "hls/audio/playlist.m3u8"), "utf8"));
      const parts = ["init.mp4", ...pl.segments.map((s) => s.uri)].map((u) =>
        readFile(stored(name, `hls/audio/${u}`)),
      );
      const file = join(dir, `${name}-audio.mp4`);
      await writeFile(file, Buffer.concat(await Promise.all(parts)));
      const info = await ffprobe(file, ["-count_packets", "-show_streams"]);
      const s = (info.streams as { codec_name: string; nb_read_packets: string }[])[0];
      expect(s?.codec_name).toBe("aac");
      const seconds = pl.segments.reduce((a, x) => a + x.duration, 0);
      expect(Math.abs(Number(s?.nb_read_packets) - (seconds * 48_000) / 1024), name).toBeLessThanOrEqual(1);
    }
    // The video keeps its own cut (a short last video segment is the picture's real end).
    const video = figures.sixAndHalf.renditions.get("360p/playlist.m3u8");
    expect(video?.durations.length).toBe(5);
  });

  it("never changes a stored segment: unfinished snapshots were EVENT, and every segment went up once", () => {
    for (const name of Object.keys(CLIPS) as ClipName[]) {
      const all = puts(name);
      const segments = all.filter((p) => p.path.endsWith(".m4s")).map((p) => p.path);
      expect(new Set(segments).size, `${name}: no segment stored twice`).toBe(segments.length);
      for (const r of ["360p", "240p", "audio"]) {
        const versions = all.filter((p) => p.path === `hls/${r}/playlist.m3u8`).map((p) => p.text ?? "");
        const final = parseMediaPlaylist(versions.at(-1) ?? "");
        const finalDurations = new Map(final.segments.map((s) => [s.uri, s.duration]));
        for (const v of versions.slice(0, -1)) {
          const parsed = parseStrict(v) as { playlistType?: string; endlist: boolean };
          expect(parsed.playlistType, `${name} ${r}: an unfinished snapshot is EVENT`).toBe("EVENT");
          expect(parsed.endlist).toBe(false);
          // A segment an EVENT snapshot listed keeps its duration in the final playlist.
          for (const s of parseMediaPlaylist(v).segments)
            expect(finalDurations.get(s.uri), `${name} ${r} ${s.uri}`).toBe(s.duration);
        }
      }
    }
    // The 8 s clip was playable before it finished, its audio's first segment out early.
    const eight = puts("eight");
    const master = eight.find((p) => p.path === "hls/master.m3u8")?.seq ?? 0;
    const lastSegment = Math.max(...eight.filter((p) => p.path.endsWith(".m4s")).map((p) => p.seq));
    expect(master).toBeGreaterThan(0);
    expect(master).toBeLessThan(lastSegment);
  });
});
