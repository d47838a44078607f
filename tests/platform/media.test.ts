// The media pipeline end to end, on the real local platform: workerd edge (wrangler dev), origin
// transcoders started by this test, Debian ffmpeg. Uploads (single, resumed multipart, the terminal
// uploader, the first-start demo) become HLS ladders that are checked with ffprobe; origins are
// killed mid-job and raced against each other.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FIRST_SEGMENTS_SECONDS } from "@marquee/shared";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signalGroup } from "../../scripts/lib/processes";
import { parseSubtitles, putCaptions, shownCue } from "./captions-lib";
import {
  CHROMIUM,
  CHROMIUM_ARGS,
  devVar,
  freePort,
  type Origin,
  type Platform,
  platformReady,
  ROOT,
  startOrigin,
  startPlatform,
  stopPlatform,
  until,
} from "./lib";
import {
  Api,
  checkLadder,
  makeClip,
  putFile,
  REFERENCING,
  signUpCreator,
  uploadSingle,
  writeReferencingUploads,
} from "./media-lib";

interface Video {
  id: string;
  status: string;
  progress: number;
  playable: boolean;
  failureReason: string | null;
}
interface Job {
  state: string;
  attempts: number;
  leases: number;
}

const newCreator = (prefix: string, password: string) => ({
  email: `${prefix}-${Date.now()}@example.test`,
  password,
  displayName: prefix,
  handle: `${prefix}_${Date.now().toString(36)}`,
  channelName: prefix,
});

describe("media pipeline end to end (real edge, real origins, ffmpeg)", () => {
  let platform: Platform;
  let base: string;
  let dir: string;
  let stateDir: string;
  const origins: Origin[] = [];
  let creator: Api;
  const clips: Record<string, string> = {};
  let singleId = "";

  const video = (id: string) => creator.call<Video>("GET", `/api/v1/videos/${id}`, undefined, 200);
  const job = async (id: string) => {
    const res = await fetch(`${base}/internal/videos/${id}/job`, {
      headers: { authorization: `Bearer ${devVar("ORIGIN_TOKEN")}` },
    });
    return (await res.json()) as Job;
  };
  const settled = async (id: string, ms = 150_000) => {
    let last: Video | undefined;
    await until(`video ${id} to finish processing`, ms, async () => {
      last = await video(id);
      return last.status === "ready" || last.status === "failed";
    });
    return last as Video;
  };
  const origin = async (name: string) => {
    const o = await startOrigin(name, base, join(dir, `work-${name}`));
    origins.push(o);
    return o;
  };
  const stopOrigin = async (o: Origin, signal: NodeJS.Signals) => {
    signalGroup(o.child.pid as number, signal);
    await until(`origin ${o.name} to exit`, 20_000, () => !o.alive());
  };
  const upload = (path: string, title: string) => uploadSingle(creator, path, title);
  const ladderOf = (id: string) => checkLadder(creator, id, dir);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "marquee-media-e2e-"));
    stateDir = join(dir, "state");
    mkdirSync(stateDir);
    platform = startPlatform({
      port: await freePort(),
      originPort: await freePort(),
      stateDir,
      env: {
        MARQUEE_ORIGIN: "0", // this test runs, kills and races origins itself
        MARQUEE_DEMO_SECONDS: "4",
        MARQUEE_EDGE_VARS: "JOB_LEASE_SECONDS=4",
      },
    });
    base = platform.base;
    clips.short = makeClip(join(dir, "short.mp4"), { seconds: 6 });
    clips.big = makeClip(join(dir, "big.mp4"), { seconds: 6, videoKbps: 9000, noise: true });
    clips.long = makeClip(join(dir, "long.mp4"), { seconds: 24, size: "960x540", noise: true });
    writeFileSync(join(dir, "not-a-video.mp4"), "This is a text file, not a video.\n".repeat(100));
    await writeReferencingUploads(dir, clips.short);
    await platformReady(platform);
    creator = await signUpCreator(new Api(base), {
      email: `creator-${Date.now()}@example.test`,
      password: "a long creator password",
      displayName: "Creator",
      handle: `e2e_${Date.now().toString(36)}`,
      channelName: "E2E",
    });
  });

  afterAll(async () => {
    for (const o of origins) signalGroup(o.child.pid as number, "SIGKILL");
    if (platform) await stopPlatform(platform);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("seeds a demo creator and video on first start, and the video becomes ready", async () => {
    await until("the demo seed", 120_000, () => existsSync(join(stateDir, "demo-seeded.json")));
    const { videoId } = JSON.parse(readFileSync(join(stateDir, "demo-seeded.json"), "utf8")) as {
      videoId: string;
    };
    await origin("a");
    const demo = new Api(base);
    const pair = await demo.call<{ accessToken: string }>(
      "POST",
      "/api/v1/auth/login",
      { email: "demo@marquee.local", password: "marquee-demo-password" },
      200,
    );
    demo.token = pair.accessToken;
    await until(
      "the demo video to be ready",
      150_000,
      async () => (await demo.call<Video>("GET", `/api/v1/videos/${videoId}`)).status === "ready",
    );
  });

  it("turns a single upload into a playable ladder: fMP4 segments, aligned keyframes, audio once", async () => {
    const id = await upload(clips.short as string, "Single upload");
    singleId = id;
    expect(await settled(id)).toMatchObject({ status: "ready", playable: true, progress: 100 });
    const ladder = await ladderOf(id);
    expect(ladder.rungs).toBe(2); // a 360p source: 360p and 240p, never upscaled
    expect(ladder.totalSeconds).toBeGreaterThan(5.5);
    // Conformance (checked inside ladderOf with hls-parser): print what was measured against what
    // the master advertises.
    for (const v of ladder.conformance.variants)
      console.log(
        `${v.uri}: BANDWIDTH ${v.bandwidth} ≥ peak ${Math.round(v.peak)}; AVERAGE ${v.averageBandwidth}`,
      );
  });

  it("captions in two languages: the master lists both (hls-parser), and in Chromium the player shows the chosen one's cue at its time", async () => {
    expect(singleId, "the single upload's video").not.toBe("");
    expect(await putCaptions(creator, singleId)).toEqual([201, 201]);
    const { manifestUrl } = await creator.call<{ manifestUrl: string }>(
      "GET",
      `/api/v1/videos/${singleId}/playback`,
    );
    const parsed = await parseSubtitles(manifestUrl);
    console.log(
      `  subtitles: ${parsed.renditions.map((r) => `${r.language} "${r.name}" (${r.segments} segment(s))`).join(", ")}`,
    );
    expect(parsed.variantsWithGroup, "every variant names the subtitles group").toBe(parsed.variants);
    expect(parsed.renditions.map((r) => [r.language, r.name]).sort()).toEqual([
      ["de", "Deutsch"],
      ["en", "English"],
    ]);
    for (const r of parsed.renditions)
      expect(r.text, `${r.language}'s segment at 2 s`).toContain(
        r.language === "de" ? "Hallo aus der Testküche" : "Hello from the test kitchen",
      );
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    try {
      // The page's language is German: Deutsch is listed first; English is chosen.
      const shown = await shownCue(browser, base, singleId, "en");
      console.log(
        `  menu ${shown.options.join(", ")}; showing ${shown.language} "${shown.label}": ${shown.cues.join(" / ")}`,
      );
      expect(shown.options).toEqual(["off", "de", "en"]);
      expect(shown).toMatchObject({ language: "en", cues: ["Hello from the test kitchen"], afterEnd: [] });
    } finally {
      await browser.close();
    }
  });

  it("resumes an interrupted multipart upload from the parts storage already has", async () => {
    const bytes = new Uint8Array(readFileSync(clips.big as string));
    const partSize = 5 * 1024 * 1024;
    expect(bytes.length).toBeGreaterThan(partSize);
    const created = await creator.call<{
      video: { id: string };
      upload: { kind: string; parts: { partNumber: number; url: string; size: number }[] };
    }>(
      "POST",
      "/api/v1/videos",
      { title: "Multipart", upload: { size: bytes.length, contentType: "video/mp4", partSize } },
      201,
    );
    expect(created.upload.kind).toBe("multipart");
    const first = created.upload.parts[0];
    expect(await putFile(first?.url ?? "", bytes.subarray(0, first?.size))).toBe(200);
    // The connection drops here. Later the client asks what is missing and sends only that.
    const id = created.video.id;
    const status = await creator.call<{
      uploadedParts: { partNumber: number }[];
      missingParts: { partNumber: number; url: string; size: number }[];
    }>("GET", `/api/v1/videos/${id}/upload`, undefined, 200);
    expect(status.uploadedParts.map((p) => p.partNumber)).toEqual([1]);
    expect(status.missingParts.map((p) => p.partNumber)).toEqual([2]);
    for (const part of status.missingParts) {
      const start = (part.partNumber - 1) * partSize;
      expect(await putFile(part.url, bytes.subarray(start, start + part.size))).toBe(200);
    }
    await creator.call("POST", `/api/v1/videos/${id}/upload-complete`, undefined, 202);
    expect(await settled(id)).toMatchObject({ status: "ready" });
    await ladderOf(id);
  });

  it("uploads with the terminal uploader, which prints its progress and with --wait waits until ready", async () => {
    const who = newCreator("cli", "a long cli password");
    const { email } = who;
    const cli = await signUpCreator(new Api(base), who);
    const run = spawnSync(
      "bun",
      [
        "scripts/upload.ts",
        clips.short as string,
        "--title",
        "From the terminal",
        "--api",
        base,
        "--email",
        email,
        "--password",
        "a long cli password",
        "--wait",
        "--timeout",
        "150",
      ],
      {
        cwd: ROOT,
        encoding: "utf8",
        env: { ...process.env, MARQUEE_UPLOAD_STATE: join(dir, "uploads.json") },
      },
    );
    // --wait exits 0 only once the video is ready (1 when failed or still processing after --timeout).
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/upload \[#+\] 100%/);
    expect(run.stderr).toMatch(/^process \[[#-]+\] +\d+% /m); // the processing bar, not a TTY: lines
    expect(run.stderr).toMatch(/^process ready \(\d+\.\d+s\)$/m);
    const { videoId } = JSON.parse(run.stdout.trim().split("\n").pop() ?? "{}") as { videoId: string };
    expect((await cli.call<Video>("GET", `/api/v1/videos/${videoId}`)).status).toBe("ready");
  });

  it("the terminal uploader resumes an interrupted multipart upload, sending only the missing parts", async () => {
    const who = newCreator("resume", "a long resume password");
    const { email, password } = who;
    const user = await signUpCreator(new Api(base), who);
    const path = clips.big as string;
    const bytes = new Uint8Array(readFileSync(path));
    const created = await user.call<{
      video: { id: string };
      upload: { parts: { url: string; size: number }[] };
    }>(
      "POST",
      "/api/v1/videos",
      {
        title: "Interrupted",
        upload: { size: bytes.length, contentType: "video/mp4", partSize: 5 * 1024 * 1024 },
      },
      201,
    );
    const first = created.upload.parts[0];
    expect(await putFile(first?.url ?? "", bytes.subarray(0, first?.size))).toBe(200);
    // What the uploader remembered before it was interrupted: this file → that video.
    const state = join(dir, "resume-state.json");
    const stat = statSync(path);
    writeFileSync(state, JSON.stringify({ [`${path}:${stat.size}:${stat.mtimeMs}`]: created.video.id }));
    const run = spawnSync(
      "bun",
      ["scripts/upload.ts", path, "--api", base, "--email", email, "--password", password],
      {
        cwd: ROOT,
        encoding: "utf8",
        env: { ...process.env, MARQUEE_UPLOAD_STATE: state },
      },
    );
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain(`resuming video ${created.video.id}`);
    expect(run.stdout).toMatch(/part 2\/2/);
    expect(JSON.parse(readFileSync(state, "utf8"))).toEqual({});
    await until(
      "the resumed upload to be ready",
      150_000,
      async () => (await user.call<Video>("GET", `/api/v1/videos/${created.video.id}`)).status === "ready",
    );
  });

  it("fails a text file named .mp4 with a clear reason, and refuses other bad uploads up front", async () => {
    const id = await upload(join(dir, "not-a-video.mp4"), "Not a video");
    const done = await settled(id);
    expect(done.status).toBe("failed");
    expect(done.failureReason ?? "").toMatch(/not|no video|media/i);
    expect((await job(id)).attempts).toBeLessThanOrEqual(1); // a bad source is not retried

    const zero = await fetch(`${base}/api/v1/videos`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${creator.token}` },
      body: JSON.stringify({ title: "Empty", upload: { size: 0, contentType: "video/mp4" } }),
    });
    expect(zero.status).toBe(400);

    const created = await creator.call<{ video: { id: string }; upload: { url: string } }>(
      "POST",
      "/api/v1/videos",
      { title: "Too long", upload: { size: 10, contentType: "video/mp4" } },
      201,
    );
    expect(await putFile(created.upload.url, new Uint8Array(11))).toBe(413);
    const early = await fetch(`${base}/api/v1/videos/${created.video.id}/upload-complete`, {
      method: "POST",
      headers: { authorization: `Bearer ${creator.token}` },
    });
    expect(early.status).toBe(409);
    expect((await video(created.video.id)).status).toBe("awaiting_upload");
  });

  it("fails an HLS playlist, an ffconcat script and a DASH manifest that name a file on the origin's disk, publishing nothing", async () => {
    const ids = new Map<string, string>();
    for (const r of REFERENCING) ids.set(r.name, await upload(join(dir, r.name), r.name));
    for (const r of REFERENCING) {
      const id = ids.get(r.name) as string;
      const done = await settled(id);
      expect(done, r.name).toMatchObject({ status: "failed", playable: false, failureReason: r.reason });
      expect((await job(id)).attempts, r.name).toBeLessThanOrEqual(1); // not retried
      const playback = await fetch(`${base}/api/v1/videos/${id}/playback`, {
        headers: { authorization: `Bearer ${creator.token}` },
      });
      expect(playback.status, r.name).toBe(409);
      // The origin refused it at the first look: it never asked to store an output for it.
      const lines = origins.flatMap((o) => o.output().split("\n")).filter((l) => l.includes(id));
      expect(
        lines.some((l) => l.includes("job failed: bad source")),
        r.name,
      ).toBe(true);
      expect(
        lines.filter((l) => /"msg":"(playable|job complete)"/.test(l)),
        r.name,
      ).toEqual([]);
    }
  });

  it("finishes a job on another origin after one is SIGKILLed mid-transcode, with a complete segment set", async () => {
    for (const o of origins) await stopOrigin(o, "SIGTERM");
    const id = await upload(clips.long as string, "Survives a crash");
    const b = await origin("b");
    await until("origin b to be transcoding", 60_000, async () => {
      const v = await video(id);
      return v.status === "processing" && v.progress > 10;
    });
    await stopOrigin(b, "SIGKILL");
    await origin("c");
    const crashed = await settled(id, 200_000);
    expect(crashed, `failed: ${crashed.failureReason}`).toMatchObject({ status: "ready" });
    const j = await job(id);
    expect(j.leases).toBeGreaterThanOrEqual(2);
    expect(j.attempts).toBeGreaterThanOrEqual(1);
    const ladder = await ladderOf(id);
    // In every rendition, the audio's included: every segment numbered once, in order from 1, none
    // missing, covering the whole clip — a restart on another origin left no gap and no seam.
    expect(ladder.renditions.map((r) => r.uri).at(-1)).toMatch(/^audio\//);
    expect(ladder.renditions).toHaveLength(ladder.rungs + 1);
    for (const r of ladder.renditions) {
      const numbers = r.segments.map((s) => Number(/seg_(\d+)\.m4s$/.exec(s)?.[1]));
      expect(numbers, r.uri).toEqual(numbers.map((_, i) => i + 1));
      expect(r.seconds, `${r.uri} covers the clip`).toBeGreaterThan(23);
      expect(r.seconds, `${r.uri} no more than the clip`).toBeLessThan(25);
    }
    // Every rung has the same segments; the audio set is complete: it lasts as long as the video.
    // (ffmpeg's AAC frame grid leaves a 0.02 s audio tail past 24 s; the origin joins it to the
    // segment before, so the audio has as many segments as the video, none under a second but the
    // schedule's half-second first ones.)
    const rungSets = ladder.renditions.slice(0, -1);
    const audio = ladder.renditions.at(-1) as { segments: string[]; seconds: number };
    for (const r of rungSets) expect(r.segments, r.uri).toEqual(rungSets[0]?.segments);
    expect(Math.abs(audio.seconds - (rungSets[0]?.seconds ?? 0)), "audio as long as the video").toBeLessThan(
      0.5,
    );
    expect(audio.segments.length).toBe(rungSets[0]?.segments.length);
    const audioFigures = ladder.conformance.renditions.get("audio/playlist.m3u8");
    const firsts = FIRST_SEGMENTS_SECONDS.filter((d) => d < 1).length;
    expect(audioFigures?.durations.slice(0, firsts).every((d) => d >= 0.45 && d < 0.6)).toBe(true);
    expect(audioFigures?.durations.slice(firsts).every((d) => d >= 0.99)).toBe(true);
    expect(audioFigures?.durations.at(-1)).toBeGreaterThanOrEqual(1);
    expect(ladder.totalSeconds).toBeGreaterThan(23);
  });

  it("two origins working four jobs process each job exactly once", async () => {
    for (const o of origins) if (o.alive()) await stopOrigin(o, "SIGTERM");
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push(await upload(clips.short as string, `Race ${i}`));
    const d = await origin("d");
    const e = await origin("e");
    for (const id of ids) expect(await settled(id)).toMatchObject({ status: "ready" });
    for (const id of ids) expect(await job(id)).toMatchObject({ state: "completed", leases: 1, attempts: 0 });
    const leased = (o: Origin) =>
      o
        .output()
        .split("\n")
        .filter((l) => l.includes("job leased"));
    const leasedLines = [...leased(d), ...leased(e)];
    for (const id of ids) expect(leasedLines.filter((l) => l.includes(id))).toHaveLength(1);
    // Both origins took work: the queue hands jobs to whoever asks, not to one origin only.
    expect(leased(d).length, "origin d leased a job").toBeGreaterThan(0);
    expect(leased(e).length, "origin e leased a job").toBeGreaterThan(0);
  });
});
