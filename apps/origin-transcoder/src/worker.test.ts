// The whole origin (`bun src/main.ts`, real ffmpeg) against a fake edge written for this test
// (test/fake-edge.ts: the internal API + signed storage PUTs, per docs/media-pipeline.md). Checks the
// progressive publish order, the completion result, failure reasons, lease loss and SIGTERM.
import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTestPatternClip, remuxToMpegTs, runTool } from "../../../scripts/lib/media-tools";
import { FakeEdge, type FakeEvent } from "../test/fake-edge";
import { ORIGIN_TEST_TOKEN, spawnOrigin } from "../test/origin-process";
import { checkLadderConformance } from "./hls-conformance.testkit";
import { parseMediaPlaylist } from "./playlist";
import { REASONS } from "./probe";

const TOKEN = ORIGIN_TEST_TOKEN;

type Put = Extract<FakeEvent, { kind: "put" }>;
type Heartbeat = Extract<FakeEvent, { kind: "heartbeat" }>;

interface Origin {
  child: ChildProcess;
  port: number;
  logs: string[];
}

async function startOrigin(edge: FakeEdge, workDir: string): Promise<Origin> {
  const child = spawnOrigin(edge.base, workDir);
  const logs: string[] = [];
  let buf = "";
  const port = await new Promise<number>((resolve, reject) => {
    const onData = (d: Buffer) => {
      buf += d.toString();
      let nl = buf.indexOf("\n");
      while (nl >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        nl = buf.indexOf("\n");
        logs.push(line);
        const parsed = JSON.parse(line) as { msg?: string; port?: number };
        if (parsed.msg === "listening") resolve(parsed.port as number);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (d: Buffer) => logs.push(d.toString().trim()));
    child.once("exit", (code) => reject(new Error(`origin exited with ${code}: ${logs.join("\n")}`)));
  });
  return { child, port, logs };
}

async function stopOrigin(origin: Origin): Promise<number | null> {
  if (origin.child.exitCode !== null) return origin.child.exitCode;
  const exited = once(origin.child, "exit");
  origin.child.kill("SIGTERM");
  const [code] = await exited;
  return code as number | null;
}

/** Command lines of running processes that mention `needle` (ffmpeg children of a job dir). */
async function processesMentioning(needle: string): Promise<string[]> {
  const ps = await runTool("ps", ["-eo", "args"]);
  return ps.stdout.split("\n").filter((l) => l.includes(needle) && !l.startsWith("ps "));
}

let dir: string;
let clip: string;
let longClip: string;
let textFile: string;
/** Uploads that name a local file (the clip) instead of being a video: each demuxer family. */
let referencing: { kind: string; path: string; reason: string; text: string }[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "origin-worker-"));
  clip = join(dir, "clip.mp4");
  longClip = join(dir, "long.mp4");
  textFile = join(dir, "notes.mp4");
  await Promise.all([
    makeTestPatternClip(clip, { size: "640x360", seconds: 14, preset: "ultrafast" }),
    makeTestPatternClip(longClip, { size: "640x360", seconds: 40, preset: "ultrafast" }),
    writeFile(textFile, "not a video\n".repeat(100)),
  ]);
  // HLS segments must be streamable (MPEG-TS), so the playlist names a .ts copy of the clip.
  const clipTs = join(dir, "clip.ts");
  await remuxToMpegTs(clip, clipTs);
  const refused = (kind: string) => `the file is ${kind}, not a video file; upload the video file itself`;
  referencing = [
    {
      kind: "hls",
      path: join(dir, "playlist.m3u8"),
      reason: refused("an HLS playlist"),
      text: `#EXTM3U\n#EXT-X-TARGETDURATION:14\n#EXTINF:14.0,\nfile:${clipTs}\n#EXT-X-ENDLIST\n`,
    },
    {
      kind: "concat",
      path: join(dir, "list.ffconcat"),
      reason: refused("an ffconcat script"),
      text: `ffconcat version 1.0\nfile 'file:${clip}'\n`,
    },
    {
      kind: "dash",
      path: join(dir, "manifest.mpd"),
      reason: refused("a DASH manifest"),
      text: `<?xml version="1.0"?>\n<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static" mediaPresentationDuration="PT14S" minBufferTime="PT2S" profiles="urn:mpeg:dash:profile:isoff-on-demand:2011"><Period><AdaptationSet mimeType="video/mp4"><Representation id="1" bandwidth="800000" width="640" height="360"><BaseURL>file:${clip}</BaseURL></Representation></AdaptationSet></Period></MPD>\n`,
    },
  ];
  await Promise.all(referencing.map((r) => writeFile(r.path, r.text)));
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("origin worker (bun src/main.ts, real ffmpeg, fake edge)", () => {
  it("fails a bad source, then publishes a clip progressively and completes it", async () => {
    const workDir = join(dir, "work-1");
    const edge = new FakeEdge(TOKEN, join(dir, "storage-1"), 3000);
    edge.enqueue({ id: "job_bad", videoId: "vid-bad", sourcePath: textFile });
    edge.enqueue({ id: "job_swapped", videoId: "vid-swapped", sourcePath: clip, storedEtag: "overwritten" });
    for (const r of referencing)
      edge.enqueue({ id: `job_${r.kind}`, videoId: `vid-${r.kind}`, sourcePath: r.path });
    edge.enqueue({ id: "job_1", videoId: "vid-1", sourcePath: clip });
    await edge.start();
    const origin = await startOrigin(edge, workDir);
    try {
      // While it runs, /healthz lists the job.
      await edge.waitFor((e) => e.kind === "heartbeat" && e.jobId === "job_1" && e.stage === "transcoding");
      const health = (await (await fetch(`http://127.0.0.1:${origin.port}/healthz`)).json()) as {
        worker: { accepting: boolean; jobs: { id: string }[] };
      };
      expect(health.worker.accepting).toBe(true);
      expect(health.worker.jobs.map((j) => j.id)).toEqual(["job_1"]);

      const done = await edge.waitFor((e) => e.kind === "complete" && e.jobId === "job_1", 90_000);
      const ev = edge.events;

      // The bad source failed for good, with the probe's reason.
      const fail = ev.find((e) => e.kind === "fail" && e.jobId === "job_bad");
      expect(fail).toMatchObject({ reason: REASONS.unreadable, retryable: false });
      // A source overwritten after upload-complete (another ETag than the lease pins) is not
      // transcoded: the download is refused and the job fails for good.
      expect(ev.find((e) => e.kind === "fail" && e.jobId === "job_swapped")).toMatchObject({
        reason: "the source file changed after the upload was completed; upload it again as a new video",
        retryable: false,
      });
      expect(ev.filter((e) => e.kind === "put" && e.videoId === "vid-swapped")).toEqual([]);
      // A playlist, a concat script or a manifest naming a file on the origin's disk is refused for
      // good with what it is, and nothing of it (the named file's frames) is published.
      for (const r of referencing) {
        const events = ev.filter((e) => "jobId" in e && e.jobId === `job_${r.kind}`);
        expect(
          events.find((e) => e.kind === "fail" || e.kind === "complete"),
          r.kind,
        ).toMatchObject({
          kind: "fail",
          reason: r.reason,
          retryable: false,
        });
        expect(
          ev.filter((e) => e.kind === "put" && e.videoId === `vid-${r.kind}`),
          r.kind,
        ).toEqual([]);
      }

      // ---- progressive order ----
      const puts = ev.filter((e): e is Put => e.kind === "put" && e.videoId === "vid-1");
      const stored = new Map<string, number>();
      const playlists = new Map<string, string[]>();
      let masterSeq = 0;
      for (const p of puts) {
        const m = p.path.match(/^hls\/([^/]+)\/playlist\.m3u8$/);
        if (m) {
          const rendition = m[1] as string;
          const pl = parseMediaPlaylist(p.text ?? "");
          expect(pl.mapUri).toBe("init.mp4");
          for (const uri of [pl.mapUri, ...pl.segments.map((s) => s.uri)]) {
            expect(stored.has(`hls/${rendition}/${uri}`), `${uri} stored before ${p.path}`).toBe(true);
          }
          playlists.set(rendition, [...(playlists.get(rendition) ?? []), p.text ?? ""]);
        }
        if (p.path === "hls/master.m3u8" && masterSeq === 0) {
          masterSeq = p.seq;
          for (const r of ["360p", "240p", "audio"]) {
            const last = playlists.get(r)?.at(-1) ?? "";
            expect(
              parseMediaPlaylist(last).segments.length,
              `${r} has a segment before the master`,
            ).toBeGreaterThan(0);
          }
        }
        // Never the same bytes twice: a segment goes up once, a playlist only when it changed.
        if (p.path.endsWith(".m4s") || p.path.endsWith("init.mp4")) expect(stored.has(p.path)).toBe(false);
        stored.set(p.path, p.size);
      }
      for (const [r, versions] of playlists) {
        expect(new Set(versions).size, `${r} playlist versions are distinct`).toBe(versions.length);
        expect(versions.at(-1)).toContain("#EXT-X-ENDLIST");
        expect(versions[0], `${r}: first stored playlist is an unfinished EVENT playlist`).not.toContain(
          "#EXT-X-ENDLIST",
        );
        expect(versions[0]).toContain("#EXT-X-PLAYLIST-TYPE:EVENT");
      }
      // Playable before the ladder finished: the master went up before the last segment did.
      const lastSegmentSeq = Math.max(...puts.filter((p) => p.path.endsWith(".m4s")).map((p) => p.seq));
      expect(masterSeq).toBeGreaterThan(0);
      expect(masterSeq).toBeLessThan(lastSegmentSeq);

      // playable:true rides on the heartbeat right after the master, before completion.
      const beats = ev.filter((e): e is Heartbeat => e.kind === "heartbeat" && e.jobId === "job_1");
      const firstPlayable = beats.find((b) => b.playable);
      expect(firstPlayable).toBeDefined();
      expect(firstPlayable?.seq).toBeGreaterThan(masterSeq);
      expect(firstPlayable?.seq).toBeLessThan(done.seq);
      expect(beats.filter((b) => b.seq < masterSeq).every((b) => !b.playable)).toBe(true);
      const progress = beats.map((b) => b.progress);
      for (let i = 1; i < progress.length; i++)
        expect(progress[i]).toBeGreaterThanOrEqual(progress[i - 1] as number);
      expect(new Set(beats.map((b) => b.stage))).toContain("transcoding");

      // ---- what is stored ----
      const segments = [...stored.keys()].filter((k) => k.endsWith(".m4s"));
      for (const r of ["360p", "240p", "audio"]) {
        const final = parseMediaPlaylist(
          await readFile(edge.storedPath("vid-1", `hls/${r}/playlist.m3u8`), "utf8"),
        );
        expect(final.ended).toBe(true);
        // 14 s on the schedule 0.5, 1, 2, 6, 10 s: six segments, the audio's cut where the video's are.
        expect(final.segments.map((s) => s.uri)).toEqual([
          "seg_00001.m4s",
          "seg_00002.m4s",
          "seg_00003.m4s",
          "seg_00004.m4s",
          "seg_00005.m4s",
          "seg_00006.m4s",
        ]);
        const durations = final.segments.map((s) => Math.round(s.duration * 10) / 10);
        expect(durations.slice(0, 5), r).toEqual([0.5, 0.5, 1, 4, 4]);
        expect(final.targetDuration, r).toBe(4);
        for (const s of final.segments) expect(stored.has(`hls/${r}/${s.uri}`)).toBe(true);
      }
      for (const f of ["poster.jpg", "thumb_1.jpg", "thumb_5.jpg"])
        expect(stored.has(`thumbs/${f}`)).toBe(true);
      expect(stored.has("storyboard/sprite.jpg")).toBe(true);
      const vtt = await readFile(edge.storedPath("vid-1", "storyboard/storyboard.vtt"), "utf8");
      expect(vtt.match(/sprite\.jpg#xywh=\d+,\d+,160,90/g)).toHaveLength(7);
      const master = await readFile(edge.storedPath("vid-1", "hls/master.m3u8"), "utf8");
      expect(master).toContain('URI="audio/playlist.m3u8"');
      expect(master).toMatch(
        /RESOLUTION=640x360,FRAME-RATE=30\.000,CODECS="avc1\.64001e,mp4a\.40\.2",AUDIO="aud"\n360p\/playlist\.m3u8/,
      );
      expect(master).toMatch(
        /RESOLUTION=426x240,.*CODECS="avc1\.640015,mp4a\.40\.2".*\n240p\/playlist\.m3u8/,
      );

      // A third-party parser accepts every stored playlist: VOD, ENDLIST, BANDWIDTH ≥ the RFC 8216 peak.
      await checkLadderConformance({
        text: (path) => readFile(edge.storedPath("vid-1", `hls/${path}`), "utf8"),
        size: async (path) => (await stat(edge.storedPath("vid-1", `hls/${path}`))).size,
      });

      // ---- the completion result ----
      expect(done).toMatchObject({
        result: {
          width: 640,
          height: 360,
          segmentCount: segments.length,
          renditions: [
            { name: "360p", width: 640, height: 360, codecs: "avc1.64001e,mp4a.40.2" },
            { name: "240p", width: 426, height: 240, codecs: "avc1.640015,mp4a.40.2" },
          ],
        },
      });
      if (done.kind !== "complete") throw new Error("unreachable");
      // 6 segments × (2 rungs + audio): none of ffmpeg's half-second audio pieces is stored as such.
      expect(segments).toHaveLength(18);
      expect(Math.abs(done.result.durationMs - 14_000)).toBeLessThan(200);
      for (const r of done.result.renditions) {
        expect(master).toContain(`BANDWIDTH=${r.bandwidth},`);
        expect(r.bandwidth).toBeGreaterThan(100_000);
      }

      // The job's temp dir is removed right after completion.
      await expect.poll(() => readdir(workDir), { timeout: 5000 }).toEqual([]);
    } finally {
      const code = await stopOrigin(origin);
      await edge.stop();
      if (code !== 0) console.error(origin.logs.join("\n"));
      expect(code).toBe(0);
    }
  }, 120_000);

  it("discards a job whose lease is lost, and releases a running job's lease on SIGTERM", async () => {
    const workDir = join(dir, "work-2");
    await mkdir(workDir, { recursive: true });
    const edge = new FakeEdge(TOKEN, join(dir, "storage-2"), 3000);
    edge.enqueue({ id: "job_lost", videoId: "vid-lost", sourcePath: clip, loseLeaseWhenPlayable: true });
    edge.enqueue({ id: "job_long", videoId: "vid-long", sourcePath: longClip });
    await edge.start();
    const origin = await startOrigin(edge, workDir);
    let code: number | null = null;
    try {
      const lost = await edge.waitFor(
        (e) => e.kind === "heartbeat" && e.jobId === "job_lost" && e.answered === 409,
      );
      // The worker drops the lost job (ffmpeg killed) and moves on to the next one.
      await edge.waitFor((e) => e.kind === "lease" && e.jobId === "job_long");
      await edge.waitFor((e) => e.kind === "put" && e.videoId === "vid-long" && e.path.endsWith(".m4s"));
      expect(await processesMentioning(workDir)).toHaveLength(1); // the one ffmpeg of job-long

      code = await stopOrigin(origin);
      expect(code).toBe(0);
      const ev = edge.events;
      expect(ev.find((e) => e.kind === "release" && e.jobId === "job_long")).toBeDefined();
      expect(
        ev.filter((e) => (e.kind === "complete" || e.kind === "fail") && e.jobId === "job_long"),
      ).toEqual([]);
      const afterLoss = ev.filter(
        (e) => "jobId" in e && e.jobId === "job_lost" && e.seq > lost.seq && e.at > lost.at + 1000,
      );
      expect(afterLoss).toEqual([]);
      expect(
        ev.filter((e) => e.kind !== "put" && "jobId" in e && e.jobId === "job_lost").map((e) => e.kind),
      ).not.toContain("complete");
      expect(await processesMentioning(workDir)).toEqual([]); // no ffmpeg left behind
      expect(await readdir(workDir)).toEqual([]); // temp dirs removed
    } finally {
      if (code === null) await stopOrigin(origin);
      await edge.stop();
      if (code !== 0) console.error(origin.logs.join("\n"));
    }
  }, 120_000);
});
