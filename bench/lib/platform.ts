/**
 * The real local platform for the pipeline benchmarks: `bun scripts/dev.ts` without its own origin or
 * demo, a creator signed up through the API, uploads by one signed PUT, and origins started per job
 * whose timeline is read from their JSON log lines and their /healthz stage, plus CPU-seconds from /proc.
 */
import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { ApiClient, signUpCreator } from "../../scripts/lib/api-client";
import { platformReady, startLocalPlatform, startOrigin } from "../../scripts/lib/local-platform";
import { addCleanup, freePort, machineBusySeconds, say, USER_HZ } from "./proc";

// ---- CPU-seconds of live processes, from /proc/<pid>/stat (Linux) ----

/** utime + stime of a process, and cutime + cstime (its waited-for children), in seconds. */
export function procCpu(pid: number): { self: number; children: number } {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat
      .slice(stat.lastIndexOf(")") + 2)
      .split(" ")
      .map(Number);
    // fields after "(comm)": state=0 … utime=11 stime=12 cutime=13 cstime=14
    return {
      self: ((f[11] ?? 0) + (f[12] ?? 0)) / USER_HZ,
      children: ((f[13] ?? 0) + (f[14] ?? 0)) / USER_HZ,
    };
  } catch {
    return { self: 0, children: 0 };
  }
}

/** Total CPU-seconds (self only) of the live processes whose environment carries `marker`. */
export function markedCpu(marker: string): number {
  let total = 0;
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      if (readFileSync(`/proc/${pid}/environ`, "utf8").includes(marker)) total += procCpu(Number(pid)).self;
    } catch {
      // gone, or not ours
    }
  }
  return total;
}

// ---- the platform ----

export interface Platform {
  base: string;
  /** In every platform process's environment (wrangler, workerd, vite, the supervisor). */
  marker: string;
  stop: () => Promise<void>;
  /** How often wrangler rebuilt and reloaded the edge so far (someone edited apps/edge meanwhile). */
  reloads: () => number;
}

export async function startPlatform(stateDir: string, edgeVars: string[] = []): Promise<Platform> {
  const marker = `MARQUEE_BENCH_PLATFORM=${randomUUID()}`;
  const platform = startLocalPlatform({
    port: await freePort(),
    originPort: await freePort(),
    stateDir,
    env: {
      MARQUEE_ORIGIN: "0",
      MARQUEE_DEMO: "0",
      MARQUEE_EDGE_VARS: edgeVars.join(","),
      [marker.split("=")[0] as string]: marker.split("=")[1] as string,
    },
  });
  // The supervisor stops its own groups (SIGTERM, 5 s, SIGKILL) before exiting.
  const stop = addCleanup(async () => {
    await platform.stop(20_000);
  });
  say("starting the local platform (bun scripts/dev.ts, no origin, no demo) …");
  try {
    await platformReady(platform, 180_000);
  } catch (err) {
    await stop();
    throw new Error(`the platform did not start: ${(err as Error).message}`);
  }
  const reloads = () => platform.output().match(/Reloading local server/g)?.length ?? 0;
  return { base: platform.base, marker, stop, reloads };
}

// ---- API ----

export interface Video {
  id: string;
  status: string;
  playable: boolean;
  progress: number;
  failureReason: string | null;
}

export class Api extends ApiClient {
  /** Signs up a creator and gives them a channel. */
  static creator(base: string): Promise<Api> {
    const stamp = Date.now().toString(36);
    return signUpCreator(new Api(base), {
      email: `bench-${stamp}@example.test`,
      password: "a long benchmark password",
      displayName: "Bench",
      handle: `bench_${stamp}`,
      channelName: "Bench",
    });
  }

  video(id: string): Promise<Video> {
    return this.call<Video>("GET", `/api/v1/videos/${id}`, undefined, 200);
  }

  /** Creates a video and stores the file with its one signed PUT (streamed from disk); returns the id. */
  async upload(path: string, title: string): Promise<string> {
    const size = statSync(path).size;
    const created = await this.call<{
      video: { id: string };
      upload: { kind: string; url: string; headers?: Record<string, string> };
    }>("POST", "/api/v1/videos", { title, upload: { size, contentType: "video/mp4" } }, 201);
    if (created.upload.kind !== "single")
      throw new Error(`expected a single PUT, got ${created.upload.kind}`);
    const res = await fetch(created.upload.url, {
      method: "PUT",
      body: Bun.file(path),
      headers: { ...created.upload.headers, "content-length": String(size) },
    });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`upload PUT: ${res.status}`);
    return created.video.id;
  }
}

// ---- one job through one origin ----

/** Epoch ms of each step of a job; null when it was not seen. */
export interface JobTimeline {
  videoId: string;
  /** upload-complete sent */
  queuedAt: number;
  /** origin log "job leased" */
  leasedAt: number;
  /** first time /healthz showed each stage (polled every 50 ms) */
  stages: Record<string, number>;
  /** origin log "playable" (master stored, every rendition has a segment) */
  playableLogAt: number | null;
  /** origin log "job complete" (after the edge answered `complete`) */
  completeAt: number;
  /** GET /api/v1/videos/{id} first answered playable / ready */
  playableSeenAt: number | null;
  readySeenAt: number;
  /**
   * CPU-seconds from upload-complete to ready: the origin process itself, its children (ffmpeg, ffprobe),
   * the local platform (workerd, wrangler, vite, the supervisor), and everything else on the machine.
   */
  cpu: { origin: number; originChildren: number; edge: number; other: number };
}

function logTime(output: string, msg: string): number | null {
  for (const line of output.split("\n")) {
    if (!line.startsWith("{")) continue;
    try {
      const entry = JSON.parse(line) as { msg?: string; time?: string };
      if (entry.msg === msg && entry.time) return Date.parse(entry.time);
    } catch {
      // not a log line
    }
  }
  return null;
}

/**
 * Sends upload-complete for an uploaded video, starts one origin, and follows the job to `ready`:
 * GET the video every `pollMs` (every 100 ms until playable), the origin's /healthz every 50 ms.
 */
export async function followJob(
  platform: Platform,
  api: Api,
  videoId: string,
  workDir: string,
  pollMs = 250,
): Promise<JobTimeline> {
  const originPort = await freePort();
  const edgeCpuBefore = markedCpu(platform.marker);
  const busyBefore = machineBusySeconds();
  const benchBefore = process.cpuUsage();
  const queuedAt = Date.now();
  await api.call("POST", `/api/v1/videos/${videoId}/upload-complete`, undefined, 202);
  const origin = await startOrigin({ edgeUrl: platform.base, workDir, port: originPort });
  const stopOrigin = addCleanup(async () => {
    await origin.stop(16_000);
  });
  const stages: Record<string, number> = {};
  let watching = true;
  const watcher = (async () => {
    while (watching) {
      try {
        const res = await fetch(`http://127.0.0.1:${originPort}/healthz`, {
          signal: AbortSignal.timeout(1000),
        });
        const body = (await res.json()) as { worker?: { jobs?: { stage: string }[] } };
        for (const job of body.worker?.jobs ?? []) stages[job.stage] ??= Date.now();
      } catch {
        // not up yet
      }
      await Bun.sleep(50);
    }
  })();
  try {
    let playableSeenAt: number | null = null;
    const deadline = Date.now() + 20 * 60_000;
    for (;;) {
      const v = await api.video(videoId);
      const now = Date.now();
      if (v.playable && playableSeenAt === null) playableSeenAt = now;
      if (v.status === "ready") {
        // The origin logs "job complete" right after the edge's answer; give it a moment.
        let completeAt = logTime(origin.output(), "job complete");
        for (let i = 0; completeAt === null && i < 50; i++) {
          await Bun.sleep(100);
          completeAt = logTime(origin.output(), "job complete");
        }
        if (platform.reloads() > 0)
          say(
            `  warning: the edge reloaded ${platform.reloads()}× (sources edited during the run): timings suspect`,
          );
        const ownCpu = procCpu(origin.child.pid as number);
        const edge = markedCpu(platform.marker) - edgeCpuBefore;
        const bench = process.cpuUsage(benchBefore);
        const busy = machineBusySeconds() - busyBefore;
        const ours = ownCpu.self + ownCpu.children + edge + (bench.user + bench.system) / 1e6;
        const leasedAt = logTime(origin.output(), "job leased");
        if (completeAt === null || leasedAt === null) throw new Error(`origin log:\n${origin.output()}`);
        return {
          videoId,
          queuedAt,
          leasedAt,
          stages,
          playableLogAt: logTime(origin.output(), "playable"),
          completeAt,
          playableSeenAt,
          readySeenAt: now,
          cpu: {
            origin: ownCpu.self,
            originChildren: ownCpu.children,
            edge,
            other: Math.max(0, busy - ours),
          },
        };
      }
      if (v.status === "failed") throw new Error(`video failed: ${v.failureReason}\n${origin.output()}`);
      if (now > deadline) throw new Error(`video ${videoId} not ready after 20 min (${v.status})`);
      await Bun.sleep(playableSeenAt === null ? Math.min(pollMs, 100) : pollMs);
    }
  } finally {
    watching = false;
    await watcher;
    await stopOrigin();
  }
}

/** Seconds between two epoch-ms instants, "?" when one is missing. */
export function span(from: number | null | undefined, to: number | null | undefined): string {
  return from == null || to == null ? "?" : ((to - from) / 1000).toFixed(1);
}
