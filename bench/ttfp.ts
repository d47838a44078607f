// Time to first playable, on the real local platform with one origin per job: from upload-complete to
// the video's `playable` turning true (GET /api/v1/videos/{id} every 100 ms), and to `ready`.
// - A 60 s 1080p clip (~154 MB) gives the ratio time to playable ÷ time to ready (target ≤ 0.05).
// - The same 60 s at ~270 Mbit/s (~2 GB) shows that time to playable does not grow with the file's
//   size: the origin reads the source through its signed URL by Range (it downloads nothing), and the
//   first segment is 1 s. Target: ttfp(2 GB) ÷ ttfp(154 MB) ≤ 1.2.
// Both clips are made once and cached in $TMPDIR/marquee-bench-clips. Exits non-zero (after printing
// every figure) when a target is not met.
import { statSync } from "node:fs";
import { join } from "node:path";
import { largeSourceClip, sourceClip } from "./lib/media";
import { Api, followJob, type JobTimeline, span, startPlatform } from "./lib/platform";
import { otherLoad, say, tempDir } from "./lib/proc";

const SECONDS = Number(process.env.BENCH_TTFP_SECONDS ?? 60);
const RATIO_TARGET = 0.05;
const SIZE_TARGET = 1.2;

const seconds = (from: number, to: number | null) => (to === null ? Number.NaN : (to - from) / 1000);
const megabytes = (path: string) => statSync(path).size / 1e6;

export async function ttfp(): Promise<Record<string, number>> {
  const clips = { small: sourceClip(SECONDS), large: largeSourceClip(SECONDS) };
  const work = tempDir("marquee-bench-ttfp-");
  const platform = await startPlatform(join(work.path, "state"), ["SINGLE_UPLOAD_MAX_BYTES=4294967296"]);
  try {
    const runs: Record<string, JobTimeline> = {};
    for (const [name, clip] of Object.entries(clips)) {
      // A creator (and access token) per clip: one slow job can outlast a 15 min access token.
      const api = await Api.creator(platform.base);
      const label = `${SECONDS} s clip, ${megabytes(clip).toFixed(0)} MB`;
      say(`${label}: uploading (one signed PUT) …`);
      const videoId = await api.upload(clip, `ttfp ${name}`);
      say(`${label}: upload-complete, then one origin; following the job …`);
      const t = await followJob(platform, api, videoId, join(work.path, `origin-${name}`));
      runs[name] = t;
      const s = t.stages;
      say(
        `  first playable ${span(t.queuedAt, t.playableSeenAt)} s, ready ${span(t.queuedAt, t.readySeenAt)} s` +
          ` after upload-complete. To first playable: origin start + lease ${span(t.queuedAt, t.leasedAt)} s,` +
          ` source check ${span(t.leasedAt, s.probing)} s, probe/plan ${span(s.probing, s.transcoding)} s,` +
          ` first segment of every rendition ${span(s.transcoding, t.playableLogAt)} s,` +
          ` heartbeat → API ${span(t.playableLogAt, t.playableSeenAt)} s` +
          otherLoad(t.cpu.other, (t.readySeenAt - t.queuedAt) / 1000),
      );
    }
    const small = runs.small as JobTimeline;
    const large = runs.large as JobTimeline;
    const smallTtfp = seconds(small.queuedAt, small.playableSeenAt);
    const smallReady = seconds(small.queuedAt, small.readySeenAt);
    const largeTtfp = seconds(large.queuedAt, large.playableSeenAt);
    const largeReady = seconds(large.queuedAt, large.readySeenAt);
    const ratio = smallTtfp / smallReady;
    const sizeRatio = largeTtfp / smallTtfp;
    const mb = { small: megabytes(clips.small), large: megabytes(clips.large) };
    say(
      `time to first playable ÷ time to full ladder (${SECONDS} s clip, ${mb.small.toFixed(0)} MB): ` +
        `${smallTtfp.toFixed(1)} s ÷ ${smallReady.toFixed(1)} s = ${ratio.toFixed(3)} (target ≤ ${RATIO_TARGET})`,
    );
    say(
      `time to first playable, ${mb.large.toFixed(0)} MB ÷ ${mb.small.toFixed(0)} MB source of the same ${SECONDS} s: ` +
        `${largeTtfp.toFixed(1)} s ÷ ${smallTtfp.toFixed(1)} s = ${sizeRatio.toFixed(3)} (target ≤ ${SIZE_TARGET});` +
        ` the large one's full ladder ${largeReady.toFixed(1)} s`,
    );
    const failed = [
      ...(ratio <= RATIO_TARGET ? [] : [`ttfp ÷ ready ${ratio.toFixed(3)} > ${RATIO_TARGET}`]),
      ...(sizeRatio <= SIZE_TARGET
        ? []
        : [`ttfp(large) ÷ ttfp(small) ${sizeRatio.toFixed(3)} > ${SIZE_TARGET}`]),
    ];
    if (failed.length > 0) {
      say(`TARGET NOT MET: ${failed.join("; ")}`);
      process.exitCode = 1;
    } else {
      say("both targets met");
    }
    return {
      ratio,
      sizeRatio,
      smallTtfpSeconds: smallTtfp,
      smallReadySeconds: smallReady,
      smallMegabytes: mb.small,
      largeTtfpSeconds: largeTtfp,
      largeReadySeconds: largeReady,
      largeMegabytes: mb.large,
      targetsMet: failed.length === 0 ? 1 : 0,
      otherCpuSeconds: small.cpu.other + large.cpu.other,
    };
  } finally {
    await platform.stop();
    await work.remove();
  }
}
