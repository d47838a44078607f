// Probe: pure parsing/validation of ffprobe JSON, and real ffprobe on good and bad files.
import { closeSync, constants, openSync, readSync, writeSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ffmpeg, makeTestPatternClip, runTool } from "../../../scripts/lib/media-tools";
import {
  formatBytes,
  formatDuration,
  ProbeError,
  type ProbeLimits,
  parseProbeOutput,
  probeArgs,
  probeFile,
  REASONS,
  refusedDemuxer,
  refusedFormatReason,
  sizeProblem,
  sourceInputArgs,
  validateProbe,
} from "./probe";

const LIMITS: ProbeLimits = {
  maxDurationSeconds: 4 * 3600,
  maxWidth: 3840,
  maxHeight: 2160,
  maxBytes: 20 * 1024 ** 3,
};

const video = (extra: Record<string, unknown> = {}) => ({
  codec_type: "video",
  codec_name: "h264",
  width: 1920,
  height: 1080,
  avg_frame_rate: "30000/1001",
  r_frame_rate: "30000/1001",
  ...extra,
});
const audio = { codec_type: "audio", codec_name: "aac" };
const probeJson = (
  streams: unknown[],
  format: Record<string, unknown> = { format_name: "mov,mp4,m4a,3gp,3g2,mj2", duration: "12.5" },
) => ({
  streams,
  format,
});

function reasonOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ProbeError);
    return (err as Error).message;
  }
  throw new Error("expected a ProbeError");
}

describe("parseProbeOutput", () => {
  it("reads duration, display size, fps, audio and codec", () => {
    expect(parseProbeOutput(probeJson([video(), audio]))).toEqual({
      format: "mov",
      durationSeconds: 12.5,
      width: 1920,
      height: 1080,
      fps: 30000 / 1001,
      hasAudio: true,
      videoCodec: "h264",
    });
  });

  it("applies rotation metadata and the sample aspect ratio", () => {
    const rotated = video({ side_data_list: [{ side_data_type: "Display Matrix", rotation: -90 }] });
    expect(parseProbeOutput(probeJson([rotated]))).toMatchObject({
      width: 1080,
      height: 1920,
      hasAudio: false,
    });
    const anamorphic = video({ width: 720, height: 576, sample_aspect_ratio: "64:45" });
    expect(parseProbeOutput(probeJson([anamorphic]))).toMatchObject({ width: 1024, height: 576 });
  });

  it("gives clear reasons for files that are not videos", () => {
    expect(reasonOf(() => parseProbeOutput(probeJson([audio])))).toBe(REASONS.noVideo);
    const coverArt = video({ codec_name: "mjpeg", disposition: { attached_pic: 1 } });
    expect(reasonOf(() => parseProbeOutput(probeJson([audio, coverArt])))).toBe(REASONS.noVideo);
    expect(reasonOf(() => parseProbeOutput(probeJson([])))).toBe(REASONS.unreadable);
    expect(
      reasonOf(() =>
        parseProbeOutput(probeJson([video({ codec_name: "png" })], { format_name: "png_pipe" })),
      ),
    ).toBe(REASONS.stillImage);
    expect(reasonOf(() => parseProbeOutput(probeJson([video()], { format_name: "matroska,webm" })))).toBe(
      REASONS.noDuration,
    );
  });

  it("accepts only the allow-listed containers, and says what a refused one is", () => {
    const mkv = parseProbeOutput(probeJson([video()], { format_name: "matroska,webm", duration: "3" }));
    expect(mkv.format).toBe("matroska");
    for (const [name, reason] of [
      ["hls", "the file is an HLS playlist, not a video file; upload the video file itself"],
      ["dash", "the file is a DASH manifest, not a video file; upload the video file itself"],
      ["concat", "the file is an ffconcat script, not a video file; upload the video file itself"],
      ["image2", REASONS.stillImage],
      [
        "mp3",
        "the file's format (mp3) is not one we accept; upload a video file (MP4, MOV, MKV, WebM, AVI, MPEG-TS, FLV or Ogg)",
      ],
    ] as const) {
      expect(refusedFormatReason(name)).toBe(reason);
      expect(
        reasonOf(() => parseProbeOutput(probeJson([video()], { format_name: name, duration: "3" }))),
      ).toBe(reason);
    }
    expect(refusedDemuxer("[hls @ 0x55d1c0] Format not on whitelist 'mov,matroska'\n")).toBe("hls");
  });

  it("reads the source with the probed demuxer only, the file protocol only, as a file: URL", () => {
    expect(sourceInputArgs("/w/job-1/source", "mov")).toEqual([
      "-f",
      "mov",
      "-format_whitelist",
      "mov",
      "-protocol_whitelist",
      "file",
      "-enable_drefs",
      "0",
      "-i",
      "file:/w/job-1/source",
    ]);
    expect(sourceInputArgs("/s", "mpegts")).toEqual([
      "-f",
      "mpegts",
      "-format_whitelist",
      "mpegts",
      "-protocol_whitelist",
      "file",
      "-i",
      "file:/s",
    ]);
  });
});

describe("reading the source over HTTP (the leased signed URL)", () => {
  it("allows exactly the URL's protocols, no redirect, and sends the pinned ETag as If-Match", () => {
    const args = sourceInputArgs({ url: "https://r2.example/src?X-Amz-Signature=ab", etag: "e1" }, "mov");
    const value = (flag: string) => args[args.indexOf(flag) + 1];
    expect(args.slice(0, 4)).toEqual(["-f", "mov", "-format_whitelist", "mov"]);
    expect(value("-protocol_whitelist")).toBe("https,tls,tcp");
    expect(value("-max_redirects")).toBe("0");
    expect(value("-tls_verify")).toBe("1");
    expect(value("-headers")).toBe('If-Match: "e1"\r\n');
    expect(value("-enable_drefs")).toBe("0");
    expect(args.slice(-2)).toEqual(["-i", "https://r2.example/src?X-Amz-Signature=ab"]);
    // The local edge (development) is plain http: http and tcp only, never https or file.
    const local = probeArgs({ url: "http://127.0.0.1:8787/storage/videos/v/source?sig=1" });
    expect(local[local.indexOf("-protocol_whitelist") + 1]).toBe("http,tcp");
    expect(local).not.toContain("-headers");
    expect(local.at(-1)).toBe("http://127.0.0.1:8787/storage/videos/v/source?sig=1");
    // Nothing but http(s), and an ETag that could end the header line is refused.
    for (const url of ["file:///etc/passwd", "data:video/mp4;base64,AAAA", "ftp://x/y"])
      expect(() => sourceInputArgs({ url }, "mov"), url).toThrow(/must be http/);
    expect(() => sourceInputArgs({ url: "https://r/s", etag: 'x"\r\nX-Evil: 1' }, "mov")).toThrow(/ETag/);
  });

  describe("against a local server that serves byte ranges", () => {
    let dir: string;
    let server: Server;
    let base: string;
    const files = new Map<string, Buffer>();
    const requests: { path: string; range?: string }[] = [];
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), "origin-probe-http-"));
      const clip = join(dir, "clip.mp4");
      await makeTestPatternClip(clip, { size: "320x240", seconds: 2, fps: 25, preset: "ultrafast" });
      files.set("/clip.mp4", await readFile(clip));
      files.set("/secret.mp4", await readFile(clip));
      server = createServer((req, res) => {
        const path = new URL(req.url ?? "/", "http://x").pathname;
        requests.push({ path, range: req.headers.range });
        if (path === "/moved.mp4") return void res.writeHead(302, { location: "/clip.mp4" }).end();
        if (path === "/down.mp4") return void res.writeHead(503).end("unavailable");
        const body = files.get(path);
        if (!body) return void res.writeHead(404).end();
        const m = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? "");
        if (!m) return void res.writeHead(200, { "content-length": String(body.length) }).end(body);
        const start = Number(m[1]);
        const end = m[2] ? Math.min(Number(m[2]), body.length - 1) : body.length - 1;
        res.writeHead(206, {
          "content-range": `bytes ${start}-${end}/${body.length}`,
          "content-length": String(end - start + 1),
        });
        res.end(body.subarray(start, end + 1));
      });
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      files.set(
        "/upload.m3u8",
        Buffer.from(`#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.0,\n${base}/secret.mp4\n#EXT-X-ENDLIST\n`),
      );
    });
    afterAll(async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await rm(dir, { recursive: true, force: true });
    });

    it("probes a clip by Range requests, seeking to the moov at the file's end", async () => {
      requests.length = 0;
      const info = await probeFile({ url: `${base}/clip.mp4` }, { size: files.get("/clip.mp4")?.length });
      expect(info).toMatchObject({ format: "mov", width: 320, height: 240, hasAudio: true });
      expect(requests.every((r) => r.path === "/clip.mp4" && r.range?.startsWith("bytes="))).toBe(true);
      expect(
        requests.some((r) => r.range !== "bytes=0-"),
        "ffprobe seeked",
      ).toBe(true);
    });

    it("refuses an HLS playlist without fetching the URL it names, and follows no redirect", async () => {
      requests.length = 0;
      await expect(probeFile({ url: `${base}/upload.m3u8` }, { timeoutMs: 4000 })).rejects.toThrow(
        "the file is an HLS playlist, not a video file; upload the video file itself",
      );
      expect(requests.map((r) => r.path)).not.toContain("/secret.mp4");
      requests.length = 0;
      await expect(probeFile({ url: `${base}/moved.mp4` }, { timeoutMs: 4000 })).rejects.toThrow(
        new ProbeError(REASONS.unreadable),
      );
      expect(requests.map((r) => r.path)).toEqual(["/moved.mp4"]);
    });

    it("a source the network fails to deliver is a retryable error, not a bad file, and names no URL", async () => {
      const failure = await probeFile({ url: `${base}/down.mp4` }, { timeoutMs: 5000 }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(failure).toBeInstanceOf(Error);
      expect(failure).not.toBeInstanceOf(ProbeError);
      expect((failure as Error).message).toMatch(/^ffprobe could not read the source over HTTP/);
      expect((failure as Error).message).not.toContain(base);
    });
  });
});

describe("validateProbe", () => {
  const info = parseProbeOutput(probeJson([video(), audio]));

  it("accepts a video within the limits, in either orientation", () => {
    expect(() => validateProbe(info, LIMITS)).not.toThrow();
    expect(() => validateProbe({ ...info, width: 2160, height: 3840 }, LIMITS)).not.toThrow();
  });

  it("names the duration, resolution and size limits", () => {
    expect(reasonOf(() => validateProbe({ ...info, durationSeconds: 5 * 3600 }, LIMITS))).toBe(
      "the video is 5h long; the limit is 4h",
    );
    expect(reasonOf(() => validateProbe({ ...info, width: 7680, height: 4320 }, LIMITS))).toBe(
      "the video is 7680×4320; the limit is 3840×2160",
    );
    expect(sizeProblem(25 * 1024 ** 3, LIMITS)).toBe("the file is 25 GiB; the limit is 20 GiB");
    expect(sizeProblem(0, LIMITS)).toBe(REASONS.empty);
    expect(sizeProblem(1000, LIMITS)).toBeNull();
  });

  it("formats durations and sizes for people", () => {
    expect(formatDuration(4 * 3600 + 30 * 60)).toBe("4h 30m");
    expect(formatDuration(725)).toBe("12m 5s");
    expect(formatDuration(42)).toBe("42s");
    expect(formatBytes(1536 * 1024)).toBe("1.5 MiB");
    expect(formatBytes(512)).toBe("512 bytes");
  });
});

describe("probeFile (real ffprobe)", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "origin-probe-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("reads a real clip", async () => {
    const clip = join(dir, "clip.mp4");
    await makeTestPatternClip(clip, { size: "320x240", seconds: 2, fps: 25, preset: "ultrafast" });
    const info = await probeFile(clip);
    expect(info).toMatchObject({
      format: "mov",
      width: 320,
      height: 240,
      fps: 25,
      hasAudio: true,
      videoCodec: "h264",
    });
    expect(info.durationSeconds).toBeGreaterThan(1.9);
    expect(info.durationSeconds).toBeLessThan(2.2);
  });

  it("rejects a text file named .mp4 and a zero-byte file with clear reasons", async () => {
    const text = join(dir, "notes.mp4");
    await writeFile(text, "these are not the frames you are looking for\n".repeat(20));
    await expect(probeFile(text)).rejects.toThrow(new ProbeError(REASONS.unreadable));
    const empty = join(dir, "empty.mp4");
    await writeFile(empty, "");
    await expect(probeFile(empty)).rejects.toThrow(new ProbeError(REASONS.empty));
  });

  it("rejects an audio-only file and a still image", async () => {
    const tone = join(dir, "tone.mp4");
    const made = await ffmpeg(["-f", "lavfi", "-i", "sine=frequency=440", "-t", "1", "-c:a", "aac", tone]);
    expect(made.code).toBe(0);
    await expect(probeFile(tone)).rejects.toThrow(new ProbeError(REASONS.noVideo));
    const still = join(dir, "still.mp4");
    const img = await ffmpeg([
      ...["-f", "lavfi", "-i", "testsrc2=size=64x64", "-frames:v", "1"],
      ...["-f", "image2", "-c:v", "png", still],
    ]);
    expect(img.code).toBe(0);
    await expect(probeFile(still)).rejects.toThrow(new ProbeError(REASONS.stillImage));
  });

  /**
   * A file that names other files: ffprobe without an allow-list follows the reference. The named
   * "secret" is a FIFO holding a marker that this test keeps open for writing, so reading it is
   * visible: the marker is gone (and an unguarded probe hangs on the FIFO until its timeout).
   */
  async function secretFifo(name: string): Promise<{ path: string; wasRead: () => boolean }> {
    const path = join(dir, name);
    const made = await runTool("mkfifo", [path]);
    expect(made.code).toBe(0);
    const fd = openSync(path, constants.O_RDWR | constants.O_NONBLOCK);
    const marker = "SECRET-MARKER-0123456789";
    writeSync(fd, marker);
    return {
      path,
      wasRead: () => {
        const buf = Buffer.alloc(64);
        let n = 0;
        try {
          n = readSync(fd, buf);
        } catch {
          n = 0; // EAGAIN: empty, someone read it
        }
        closeSync(fd);
        return buf.subarray(0, n).toString() !== marker;
      },
    };
  }

  it("refuses an HLS playlist, an ffconcat script and a DASH manifest without opening what they name", async () => {
    const cases = [
      {
        name: "hls",
        reason: "the file is an HLS playlist, not a video file; upload the video file itself",
        text: (secret: string) =>
          `#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:2.0,\nfile:${secret}\n#EXT-X-ENDLIST\n`,
      },
      {
        name: "concat",
        reason: "the file is an ffconcat script, not a video file; upload the video file itself",
        text: (secret: string) => `ffconcat version 1.0\nfile 'file:${secret}'\n`,
      },
      {
        name: "dash",
        reason: "the file is a DASH manifest, not a video file; upload the video file itself",
        text: (secret: string) =>
          `<?xml version="1.0" encoding="utf-8"?>\n<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static" mediaPresentationDuration="PT2S" minBufferTime="PT2S" profiles="urn:mpeg:dash:profile:isoff-on-demand:2011"><Period><AdaptationSet mimeType="video/mp4"><Representation id="1" bandwidth="100000" width="160" height="120"><BaseURL>file:${secret}</BaseURL></Representation></AdaptationSet></Period></MPD>\n`,
      },
    ];
    for (const c of cases) {
      const secret = await secretFifo(`secret-${c.name}.mp4`);
      const upload = join(dir, `${c.name}-upload`);
      await writeFile(upload, c.text(secret.path));
      const started = Date.now();
      const outcome = await probeFile(upload, { timeoutMs: 4000 }).then(
        () => "probed as a video",
        (err: Error) => `${err.name}: ${err.message}`,
      );
      expect(secret.wasRead(), `${c.name}: the named file was opened`).toBe(false);
      expect(outcome, c.name).toBe(`ProbeError: ${c.reason}`);
      expect(Date.now() - started, c.name).toBeLessThan(3000);
    }
  });
});
