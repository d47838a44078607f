// The whole origin job vs the bare ffmpeg ladder on the same clip. The job runs on the real local
// platform (scripts/dev.ts: wrangler dev/workerd, local R2) with one origin process: lease → download
// the source through its signed URL → ffprobe → the ladder with progressive publish → images, final
// playlists, master → complete, timed from the origin's own "job leased" / "job complete" log lines.
// The baseline is the same argv (planLadderCommand) on local files, no uploads, run before and after
// the job with the platform up and idle; the ratio is against their mean.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { planLadderCommand } from "../apps/origin-transcoder/src/ladder";
import { probeFile } from "../apps/origin-transcoder/src/probe";
import { sourceClip } from "./lib/media";
import { Api, followJob, span, startPlatform } from "./lib/platform";
import { type Measured, measure, otherLoad, say, tempDir } from "./lib/proc";

const SECONDS = Number(process.env.BENCH_CLIP_SECONDS ?? 20);

export async function originOverhead(): Promise<Record<string, number>> {
  const source = sourceClip(SECONDS);
  const probe = await probeFile(source);
  const work = tempDir("marquee-bench-overhead-");
  const platform = await startPlatform(join(work.path, "state"), ["SINGLE_UPLOAD_MAX_BYTES=4294967296"]);
  try {
    const bare: Measured[] = [];
    const bareLadder = async (n: number) => {
      const out = join(work.path, `bare-${n}`);
      const plan = planLadderCommand({ input: source, outDir: out, probe });
      mkdirSync(join(out, "hls"), { recursive: true });
      if (plan.images) mkdirSync(plan.images.tilesDir, { recursive: true });
      say(`bare ladder ${n}/2 (same argv, local files, platform idle) …`);
      const m = await measure(["ffmpeg", ...plan.args]);
      if (m.exitCode !== 0) throw new Error(`bare ladder exited ${m.exitCode}: ${m.stderr.slice(-1500)}`);
      say(
        `  ${m.wallSeconds.toFixed(1)} s wall, ${m.cpuSeconds.toFixed(1)} CPU-s${otherLoad(m.otherCpuSeconds, m.wallSeconds)}`,
      );
      bare.push(m);
    };

    await bareLadder(1);
    const api = await Api.creator(platform.base);
    say(`uploading the ${SECONDS} s clip (one signed PUT) …`);
    const videoId = await api.upload(source, `overhead ${SECONDS}s`);
    say("upload-complete, then one origin; following the job …");
    const t = await followJob(platform, api, videoId, join(work.path, "origin-work"));
    await bareLadder(2);

    const jobSeconds = (t.completeAt - t.leasedAt) / 1000;
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const bareWall = mean(bare.map((m) => m.wallSeconds));
    const bareCpu = mean(bare.map((m) => m.cpuSeconds));
    const ratio = jobSeconds / bareWall;
    const s = t.stages;
    say(
      `bare ladder: ${bare.map((m) => m.wallSeconds.toFixed(1)).join(" s, ")} s wall (mean ${bareWall.toFixed(1)} s)`,
    );
    say(
      `origin job, lease → complete: ${jobSeconds.toFixed(1)} s = download ${span(t.leasedAt, s.probing)} s` +
        ` + probe/plan ${span(s.probing, s.transcoding)} s + ladder with progressive publish ${span(s.transcoding, s.finishing)} s` +
        ` + finishing (images, last uploads, master, complete) ${span(s.finishing, t.completeAt)} s`,
    );
    say(
      `around it: upload-complete → leased ${span(t.queuedAt, t.leasedAt)} s (origin start + first lease),` +
        ` upload-complete → ready seen by the API ${span(t.queuedAt, t.readySeenAt)} s`,
    );
    say(
      `CPU during the job: origin's ffmpeg/ffprobe ${t.cpu.originChildren.toFixed(1)} s (bare ladder ${bareCpu.toFixed(1)} s),` +
        ` origin process ${t.cpu.origin.toFixed(1)} s, local edge (workerd, wrangler, vite) ${t.cpu.edge.toFixed(1)} s` +
        otherLoad(t.cpu.other, (t.readySeenAt - t.queuedAt) / 1000),
    );
    say(`origin job ÷ bare ladder (wall) = ${ratio.toFixed(3)}× (target ≤ 1.05×)`);
    return {
      jobSeconds,
      bareWallSeconds: bareWall,
      ratio,
      downloadSeconds: ((s.probing ?? Number.NaN) - t.leasedAt) / 1000,
      ladderStageSeconds: ((s.finishing ?? Number.NaN) - (s.transcoding ?? Number.NaN)) / 1000,
      finishingSeconds: (t.completeAt - (s.finishing ?? Number.NaN)) / 1000,
      originFfmpegCpuSeconds: t.cpu.originChildren,
      bareCpuSeconds: bareCpu,
      originProcessCpuSeconds: t.cpu.origin,
      edgeCpuSeconds: t.cpu.edge,
      otherCpuSeconds: t.cpu.other + bare.reduce((sum, m) => sum + m.otherCpuSeconds, 0),
    };
  } finally {
    await platform.stop();
    await work.remove();
  }
}
