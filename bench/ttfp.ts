// Time to first playable ÷ time to the full ladder, on the real local platform with one origin per job:
// from upload-complete to the video's `playable` turning true (GET /api/v1/videos/{id} every 100 ms),
// and to `ready`. A 60 s 1080p clip gives the ratio; a 20 s clip, run the same way, shows that time
// to first playable does not grow with the length (the origin downloads the whole source first, so that
// part does; the breakdown says how much).
import { join } from "node:path";
import { sourceClip } from "./lib/media";
import { Api, followJob, type JobTimeline, span, startPlatform } from "./lib/platform";
import { otherLoad, say, tempDir } from "./lib/proc";

const LONG = Number(process.env.BENCH_TTFP_LONG_SECONDS ?? 60);
const SHORT = Number(process.env.BENCH_TTFP_SHORT_SECONDS ?? 20);

const seconds = (from: number, to: number | null) => (to === null ? Number.NaN : (to - from) / 1000);

export async function ttfp(): Promise<Record<string, number>> {
  const clips = { long: sourceClip(LONG), short: sourceClip(SHORT) };
  const work = tempDir("marquee-bench-ttfp-");
  const platform = await startPlatform(join(work.path, "state"), ["SINGLE_UPLOAD_MAX_BYTES=4294967296"]);
  try {
    const api = await Api.creator(platform.base);
    const runs: Record<string, JobTimeline> = {};
    for (const [name, clip] of Object.entries(clips)) {
      const length = name === "long" ? LONG : SHORT;
      say(`${length} s clip: uploading (one signed PUT) …`);
      const videoId = await api.upload(clip, `ttfp ${length}s`);
      say(`${length} s clip: upload-complete, then one origin; following the job …`);
      const t = await followJob(platform, api, videoId, join(work.path, `origin-${name}`));
      runs[name] = t;
      const s = t.stages;
      say(
        `  first playable ${span(t.queuedAt, t.playableSeenAt)} s, ready ${span(t.queuedAt, t.readySeenAt)} s` +
          ` after upload-complete. To first playable: origin start + lease ${span(t.queuedAt, t.leasedAt)} s,` +
          ` download ${span(t.leasedAt, s.probing)} s, probe/plan ${span(s.probing, s.transcoding)} s,` +
          ` first segment of every rendition ${span(s.transcoding, t.playableLogAt)} s,` +
          ` heartbeat → API ${span(t.playableLogAt, t.playableSeenAt)} s` +
          otherLoad(t.cpu.other, (t.readySeenAt - t.queuedAt) / 1000),
      );
    }
    const long = runs.long as JobTimeline;
    const short = runs.short as JobTimeline;
    const longTtfp = seconds(long.queuedAt, long.playableSeenAt);
    const longReady = seconds(long.queuedAt, long.readySeenAt);
    const shortTtfp = seconds(short.queuedAt, short.playableSeenAt);
    const shortReady = seconds(short.queuedAt, short.readySeenAt);
    const longDownload = seconds(long.leasedAt, long.stages.probing ?? null);
    const shortDownload = seconds(short.leasedAt, short.stages.probing ?? null);
    const ratio = longTtfp / longReady;
    say(
      `TTFP ${LONG} s clip: ${longTtfp.toFixed(1)} s (download ${longDownload.toFixed(1)} s of it);` +
        ` ${SHORT} s clip: ${shortTtfp.toFixed(1)} s (download ${shortDownload.toFixed(1)} s);` +
        ` without the download: ${(longTtfp - longDownload).toFixed(1)} s vs ${(shortTtfp - shortDownload).toFixed(1)} s`,
    );
    say(`full ladder: ${LONG} s clip ${longReady.toFixed(1)} s, ${SHORT} s clip ${shortReady.toFixed(1)} s`);
    say(
      `time to first playable ÷ time to full ladder (${LONG} s clip) = ${ratio.toFixed(3)} (target ≤ 0.15)`,
    );
    return {
      ratio,
      longTtfpSeconds: longTtfp,
      longReadySeconds: longReady,
      longDownloadSeconds: longDownload,
      shortTtfpSeconds: shortTtfp,
      shortReadySeconds: shortReady,
      shortDownloadSeconds: shortDownload,
      shortRatio: shortTtfp / shortReady,
      otherCpuSeconds: long.cpu.other + short.cpu.other,
    };
  } finally {
    await platform.stop();
    await work.remove();
  }
}
