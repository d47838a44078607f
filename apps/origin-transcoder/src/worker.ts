// The origin's job loops: lease → check the source URL → probe → one ffmpeg for the ladder, published
// progressively → complete. The source is never downloaded: ffprobe, the ladder and the thumbnail seeks
// read it through the leased signed URL with Range requests (probe.ts), so the first segments are out
// after the first seconds of the file are read, however large it is. Heartbeats carry progress and extend the lease; a 409 (lease lost) kills ffmpeg and
// discards the work; SIGTERM (stop()) kills ffmpeg and releases every lease.
import { mkdir } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import type { LeasedJob } from "@marquee/shared";
import { checkAdAudioLength, makeAdExtras, validateAdProbe } from "./ad";
import {
  type CompleteResult,
  DownloadTooLarge,
  type EdgeClient,
  LeaseLost,
  SourceChanged,
  sleep,
} from "./edge-client";
import { runFfmpeg } from "./ffmpeg";
import { AAC_LC_CODEC } from "./h264";
import { makeImages } from "./images";
import { makeJobDir, removeJobDir, sweepStaleJobDirs } from "./job-dirs";
import { AUDIO_RENDITION, masterPlaylist, nominalVariants, outputFps, planLadderCommand } from "./ladder";
import { errorMessage, type Logger } from "./log";
import { measuredVariants } from "./master-rates";
import { AD_SCHEDULE, CONTENT_SCHEDULE } from "./playlist";
import { type HttpSource, ProbeError, probeFile, sizeProblem, validateProbe } from "./probe";
import { progressPercent } from "./progress";
import { MASTER_PATH, type OutputSink, Publisher } from "./publisher";

/** "downloading" is the wire name (HeartbeatRequest) of the source check: nothing is downloaded. */
export type Stage = "downloading" | "probing" | "transcoding" | "uploading" | "finishing";

/** Job progress bands (0–100 over the whole job). */
export const PROGRESS = { downloadEnd: 5, transcodeEnd: 95 } as const;

/** The origin is stopping (SIGTERM/SIGINT): release the lease, don't fail the job. */
export class Shutdown extends Error {
  override name = "Shutdown";
}

export interface WorkerOptions {
  client: EdgeClient;
  concurrency: number;
  /** Parent of the per-job temp dirs. */
  workDir: string;
  log: Logger;
  /** Default `${hostname}-${pid}`; each loop appends its index. */
  workerId?: string;
  /** How often the publisher polls ffmpeg's output (default 500 ms). */
  publishIntervalMs?: number;
  /** Lease polling backoff while the queue is empty (default 500 ms doubling to 5 s). */
  idlePollMs?: { min: number; max: number };
}

export interface JobStatus {
  id: string;
  videoId: string;
  attempt: number;
  stage: Stage;
  progress: number;
  playable: boolean;
  startedAt: string;
}

interface ActiveJob {
  job: LeasedJob;
  ac: AbortController;
  stage: Stage;
  progress: number;
  playable: boolean;
  startedAt: number;
  /** Epoch ms. */
  leaseExpiresAt: number;
  /** Sends a heartbeat now (e.g. the moment the stream becomes playable). */
  beatNow: () => void;
}

/** Lease deadlines are epoch milliseconds; tolerate epoch seconds too. */
export function leaseDeadlineMs(value: number): number {
  return value < 1e12 ? value * 1000 : value;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

export class Worker {
  private stopping = false;
  private readonly stopController = new AbortController();
  private readonly active = new Map<string, ActiveJob>();
  private loops: Promise<void>[] = [];
  private readonly id: string;

  constructor(private readonly opts: WorkerOptions) {
    this.id = opts.workerId ?? `${hostname()}-${process.pid}`;
  }

  start(): void {
    if (this.loops.length > 0) return;
    this.loops = Array.from({ length: this.opts.concurrency }, (_, i) => this.loop(i));
    void sweepStaleJobDirs(this.opts.workDir);
  }

  /** Stops leasing, kills running ffmpegs and releases their leases; resolves when every loop is done. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.stopController.abort(new Shutdown("origin shutting down"));
    for (const run of this.active.values()) run.ac.abort(new Shutdown("origin shutting down"));
    await Promise.allSettled(this.loops);
  }

  status(): { accepting: boolean; concurrency: number; jobs: JobStatus[] } {
    return {
      accepting: !this.stopping,
      concurrency: this.opts.concurrency,
      jobs: [...this.active.values()].map((r) => ({
        id: r.job.id,
        videoId: r.job.videoId,
        attempt: r.job.attempt,
        stage: r.stage,
        progress: round1(r.progress),
        playable: r.playable,
        startedAt: new Date(r.startedAt).toISOString(),
      })),
    };
  }

  private async loop(index: number): Promise<void> {
    const workerId = `${this.id}-${index}`.slice(0, 100);
    const idle = this.opts.idlePollMs ?? { min: 500, max: 5000 };
    let idleDelay = idle.min;
    let errorDelay = 1000;
    while (!this.stopping) {
      let job: LeasedJob | null;
      try {
        job = await this.opts.client.lease(workerId, this.stopController.signal);
        errorDelay = 1000;
      } catch (err) {
        if (this.stopping) break;
        this.opts.log("warn", "lease failed", { workerId, error: errorMessage(err) });
        await this.pause(errorDelay);
        errorDelay = Math.min(errorDelay * 2, 30_000);
        continue;
      }
      if (!job) {
        await this.pause(idleDelay);
        idleDelay = Math.min(idleDelay * 2, idle.max);
        continue;
      }
      idleDelay = idle.min;
      if (this.stopping) {
        await this.settle(job, new Shutdown("origin shutting down"));
        break;
      }
      await this.runJob(job, workerId);
    }
  }

  private async pause(ms: number): Promise<void> {
    try {
      await sleep(ms, this.stopController.signal);
    } catch {
      // stopping
    }
  }

  private async runJob(job: LeasedJob, workerId: string): Promise<void> {
    const { log } = this.opts;
    const run: ActiveJob = {
      job,
      ac: new AbortController(),
      stage: "downloading",
      progress: 0,
      playable: false,
      startedAt: Date.now(),
      leaseExpiresAt: leaseDeadlineMs(job.leaseExpiresAt),
      beatNow: () => {},
    };
    this.active.set(job.id, run);
    log("info", "job leased", { jobId: job.id, videoId: job.videoId, attempt: job.attempt, workerId });
    const heartbeats = this.startHeartbeats(run);
    let dir: string | null = null;
    try {
      dir = await makeJobDir(this.opts.workDir);
      const result = await this.transcode(run, dir);
      heartbeats.stop();
      await this.opts.client.complete(job.id, job.leaseToken, result, run.ac.signal);
      log("info", "job complete", {
        jobId: job.id,
        videoId: job.videoId,
        seconds: Math.round((Date.now() - run.startedAt) / 100) / 10,
        segmentCount: result.segmentCount,
        renditions: result.renditions.map((r) => r.name),
      });
    } catch (err) {
      heartbeats.stop();
      await this.settle(job, run.ac.signal.aborted ? run.ac.signal.reason : err);
    } finally {
      heartbeats.stop();
      if (!run.ac.signal.aborted) run.ac.abort(new Error("job finished"));
      this.active.delete(job.id);
      if (dir) await removeJobDir(dir);
    }
  }

  /** Tells the edge how a job ended: release on shutdown, fail otherwise; nothing when the lease is gone. */
  private async settle(job: LeasedJob, reason: unknown): Promise<void> {
    const { client, log } = this.opts;
    const ids = { jobId: job.id, videoId: job.videoId };
    const signal = AbortSignal.timeout(10_000);
    try {
      if (reason instanceof LeaseLost) {
        log("warn", "lease lost; work discarded", { ...ids, reason: reason.message });
      } else if (reason instanceof Shutdown) {
        await client.release(job.id, job.leaseToken, signal);
        log("info", "lease released", ids);
      } else if (reason instanceof ProbeError) {
        await client.fail(job.id, job.leaseToken, reason.message, false, signal);
        log("info", "job failed: bad source", { ...ids, reason: reason.message });
      } else {
        await client.fail(job.id, job.leaseToken, `transcode failed: ${errorMessage(reason)}`, true, signal);
        log("error", "job failed", { ...ids, error: errorMessage(reason) });
      }
    } catch (err) {
      log("warn", "could not report the job's end to the edge", { ...ids, error: errorMessage(err) });
    }
  }

  private startHeartbeats(run: ActiveJob): { stop(): void } {
    const { client, log } = this.opts;
    const period = Math.max(250, Math.min(60_000, (run.leaseExpiresAt - Date.now()) / 3));
    let stopped = false;
    let running = false;
    let again = false;
    let timer: ReturnType<typeof setTimeout> | undefined;

    const schedule = () => {
      if (stopped) return;
      clearTimeout(timer);
      const untilDeadline = (run.leaseExpiresAt - Date.now()) / 3;
      timer = setTimeout(beat, Math.max(250, Math.min(period, untilDeadline)));
    };
    const beat = async () => {
      if (stopped) return;
      if (running) {
        again = true;
        return;
      }
      running = true;
      clearTimeout(timer);
      try {
        const res = await client.heartbeat(
          run.job.id,
          run.job.leaseToken,
          { progress: round1(Math.min(100, run.progress)), playable: run.playable, stage: run.stage },
          run.ac.signal,
        );
        run.leaseExpiresAt = leaseDeadlineMs(res.leaseExpiresAt);
      } catch (err) {
        if (err instanceof LeaseLost) {
          run.ac.abort(err);
        } else if (!run.ac.signal.aborted) {
          log("warn", "heartbeat failed", { jobId: run.job.id, error: errorMessage(err) });
          if (Date.now() >= run.leaseExpiresAt) {
            run.ac.abort(new LeaseLost("the lease expired without a successful heartbeat"));
          }
        }
      } finally {
        running = false;
      }
      if (again) {
        again = false;
        void beat();
      } else {
        schedule();
      }
    };
    run.beatNow = () => void beat();
    void beat(); // at once: the edge sees the job move (downloading, 0 %)
    return {
      stop() {
        stopped = true;
        clearTimeout(timer);
      },
    };
  }

  private sinkFor(job: LeasedJob): OutputSink {
    const { client } = this.opts;
    return {
      outputs: (files, signal) => client.outputs(job.id, job.leaseToken, files, signal),
      uploadFile: (s, path, type, signal) => client.uploadFile(s, path, type, signal),
      uploadBytes: (s, bytes, type, signal) => client.uploadBytes(s, bytes, type, signal),
    };
  }

  private async transcode(run: ActiveJob, dir: string): Promise<CompleteResult> {
    const { job, ac } = run;
    const signal = ac.signal;
    const out = join(dir, "out");

    // ---- source check (0–5 %): size, ranges, pinned version; nothing is downloaded ----
    const declared = sizeProblem(job.source.size, job.limits);
    if (declared) throw new ProbeError(declared);
    let checked: { url: string; size: number };
    try {
      checked = await this.opts.client.checkSource(job.source.url, {
        signal,
        maxBytes: job.limits.maxBytes,
        etag: job.source.etag,
      });
    } catch (err) {
      if (err instanceof DownloadTooLarge) {
        throw new ProbeError(sizeProblem(err.bytes, job.limits) ?? "the file is larger than declared");
      }
      if (err instanceof SourceChanged) throw new ProbeError(err.message);
      throw err;
    }
    const source: HttpSource = { url: checked.url, ...(job.source.etag ? { etag: job.source.etag } : {}) };

    // ---- probe ----
    run.stage = "probing";
    run.progress = Math.max(run.progress, PROGRESS.downloadEnd);
    const info = await probeFile(source, { signal, size: checked.size, cwd: dir });
    // An ad (docs/ads.md) is made to splice into any content ladder: see ad.ts and adLength.
    const ad = job.kind === "ad";
    (ad ? validateAdProbe : validateProbe)(info, job.limits);

    // ---- ladder + progressive publish (5–95 %) ----
    const maxSeconds = job.limits.maxDurationSeconds; // read by an ad's plan only
    const plan = planLadderCommand({ input: source, outDir: out, probe: info, kind: job.kind, maxSeconds });
    // Content has audio when its source has; an ad always has (silence for a silent source).
    const audio = plan.renditions.includes(AUDIO_RENDITION);
    await mkdir(join(out, "hls"), { recursive: true });
    if (plan.images) await mkdir(plan.images.tilesDir, { recursive: true });
    const frameRate = outputFps(info);
    const nominal = masterPlaylist(nominalVariants(plan.rungs, { audio, frameRate }), { audio });
    const publisher = new Publisher({
      sink: this.sinkFor(job),
      outDir: out,
      renditions: plan.renditions,
      master: () => nominal,
      // The audio's pieces are joined into the schedule's segments, and its last segment, if under a
      // second, to the one before (tail.ts).
      joinShortTail: {
        renditions: audio ? [AUDIO_RENDITION] : [],
        expectedSeconds: ad ? Math.min(info.durationSeconds, maxSeconds) : info.durationSeconds,
        // The ladder's (ladder.ts): short first segments for content, steady ones for an ad.
        schedule: ad ? AD_SCHEDULE : CONTENT_SCHEDULE,
      },
      signal,
      intervalMs: this.opts.publishIntervalMs,
      log: this.opts.log,
      onPlayable: () => {
        if (run.playable) return;
        run.playable = true;
        this.opts.log("info", "playable", {
          jobId: job.id,
          videoId: job.videoId,
          seconds: Math.round((Date.now() - run.startedAt) / 100) / 10,
        });
        run.beatNow();
      },
      onError: (err) => ac.abort(err),
    });
    run.stage = "transcoding";
    publisher.start();
    const span = PROGRESS.transcodeEnd - PROGRESS.downloadEnd;
    try {
      // The job's own dir tree is ffmpeg's whole world: a relative name resolves inside it. (The hls
      // muxer even mkdirs "../%v" of -hls_fmp4_init_filename relative to the cwd: from out/, that is
      // {job}/360p etc., empty and removed with the job.)
      await runFfmpeg(plan.args, {
        signal,
        cwd: out,
        onProgress: (p) => {
          const pct = progressPercent(p, info.durationSeconds);
          run.progress = Math.max(run.progress, PROGRESS.downloadEnd + (span * pct) / 100);
        },
      });
    } catch (err) {
      publisher.stop();
      throw err;
    }

    // ---- finishing (95–100 %): final playlists, measured master, images (made meanwhile) ----
    run.stage = "finishing";
    run.progress = Math.max(run.progress, PROGRESS.transcodeEnd);
    const [, images, adExtras] = await Promise.all([
      publisher.drain(),
      plan.images
        ? makeImages({
            source,
            format: info.format,
            outDir: out,
            cwd: out,
            images: plan.images,
            durationSeconds: info.durationSeconds,
            signal,
            log: this.opts.log,
          })
        : null,
      ad
        ? makeAdExtras({ source, info, outDir: out, scratch: join(dir, "ad"), rungs: plan.rungs, signal })
        : null,
    ]);
    if (ad) checkAdAudioLength(publisher.segmentStats(), plan.rungs);
    const variants = measuredVariants(plan, info, publisher.renditionStats());
    await publisher.publishText(MASTER_PATH, masterPlaylist(variants, { audio }));
    run.progress = Math.max(run.progress, 97);
    if (adExtras) await publisher.publishFiles(adExtras.files);
    if (images) {
      await publisher.publishFiles(images.files);
      if (images.vtt) await publisher.publishText("storyboard/storyboard.vtt", images.vtt);
    }
    run.progress = Math.max(run.progress, 99);

    const top = publisher.segmentStats().get(plan.rungs[0]?.name ?? "");
    const playedSeconds = top?.reduce((sum, s) => sum + s.duration, 0) ?? 0;
    return {
      durationMs: Math.round((playedSeconds > 0 ? playedSeconds : info.durationSeconds) * 1000),
      width: info.width,
      height: info.height,
      renditions: variants.map((v) => ({
        name: v.name,
        width: v.width,
        height: v.height,
        bandwidth: v.bandwidth,
        codecs: audio ? `${v.videoCodec},${AAC_LC_CODEC}` : v.videoCodec,
      })),
      segmentCount: publisher.segmentCount(),
    };
  }
}
