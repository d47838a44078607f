// Helpers of the fault end-to-end test (faults.test.ts): an edge (`wrangler dev`, run the way
// scripts/dev.ts runs it) that can be crashed and started again on the same state dir and port; what
// the edge's R2 bucket holds, read from miniflare's own SQLite file; and watching an origin's job
// closely enough to kill it at a chosen step of its publish.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { promisify } from "node:util";
import { expect } from "vitest";
import { LocalStorageSigner } from "../../apps/edge/src/storage/signer";
import { THUMBNAIL_FRACTIONS } from "../../apps/origin-transcoder/src/ladder";
import { NO_PROMPT, toolEnv } from "../../scripts/lib/dev-vars";
import {
  answersHttp,
  freePort,
  groupAlive,
  type ProcessGroup,
  portIsFree,
  signalGroup,
  startGroup,
  until,
} from "../../scripts/lib/processes";
import { devVar, ROOT, RUN_ID } from "./lib";
import { type Api, checkLadder } from "./media-lib";

const MARKER = { MARQUEE_TEST_RUN_ID: RUN_ID };

export interface Edge {
  base: string;
  /** SIGKILLs the whole process group (wrangler and its workerd, like a crash) and starts it again. */
  restart: () => Promise<void>;
  stop: () => Promise<void>;
}

/**
 * `wrangler dev` of the edge with scripts/dev.ts's arguments (same persisted state dir, same port
 * every run, so the signed URLs a client holds stay good), without the supervisor: the supervisor
 * takes the whole platform down when its edge exits, and here the edge alone is to restart.
 * `vars` are extra edge vars (NAME → value). Run prepareEdge on the state dir first.
 */
export async function startEdge(stateDir: string, port: number, vars: Record<string, string>): Promise<Edge> {
  const base = `http://127.0.0.1:${port}`;
  const argv = (inspectorPort: number) => [
    ...["wrangler", "dev", "--local", "--ip", "127.0.0.1", "--port", String(port)],
    ...["--inspector-port", String(inspectorPort)],
    ...["--persist-to", stateDir, "--show-interactive-dev-session=false"],
    ...Object.entries({ PUBLIC_URL: base, ...vars }).flatMap(([k, v]) => ["--var", `${k}:${v}`]),
  ];
  let group: ProcessGroup;
  // A fresh inspector port per boot, and one more try on a clash. Left to itself wrangler takes 9229
  // when a plain listen() there succeeds, but workerd binds its inspector socket ("direct:1:default")
  // itself and can still find the port taken: by the crashed edge's inspector connections lingering
  // in TIME_WAIT, or by another wrangler (the shared platform, a bench) picking the same port at the
  // same moment. That is how a clean-clone CI run's restart failed ("Address already in use").
  const boot = async (triesLeft = 2): Promise<void> => {
    group = startGroup(argv(await freePort()), { env: MARKER });
    const clashed = () => group.output().includes("Address already in use");
    try {
      await until(
        `${base}/healthz`,
        120_000,
        async () => clashed() || (await answersHttp(`${base}/healthz`, 200)),
      );
    } catch (err) {
      await kill().catch(() => {}); // the boot's own failure is the one to report
      throw new Error(`${(err as Error).message}\n--- wrangler dev ---\n${group.output().slice(-6000)}`);
    }
    if (!clashed()) return;
    const output = group.output();
    await kill();
    if (triesLeft > 1) return boot(triesLeft - 1);
    throw new Error(`wrangler dev could not bind a port\n--- wrangler dev ---\n${output.slice(-6000)}`);
  };
  const kill = async () => {
    const pid = group.child.pid as number;
    signalGroup(pid, "SIGKILL");
    await until("the edge's process group to be gone", 10_000, () => !groupAlive(pid));
    await until(`port ${port} to be free`, 10_000, () => portIsFree(port));
  };
  await boot();
  return {
    base,
    restart: async () => {
      await kill();
      await boot();
    },
    stop: async () => {
      if (!(await group.stop(10_000))) await kill();
    },
  };
}

/**
 * What scripts/dev.ts does before it starts the edge: the D1 migrations on the state dir, and the web
 * build when there is none (wrangler serves apps/web/dist and refuses to start without it).
 * Asynchronous, so a test can make its clips meanwhile.
 */
export async function prepareEdge(stateDir: string): Promise<void> {
  if (!existsSync(join(ROOT, "apps/web/dist/index.html")))
    await run(["vite", "build", "--logLevel", "warn"], join(ROOT, "apps/web"), { NODE_ENV: "production" });
  await run(
    ["wrangler", "d1", "migrations", "apply", "DB", "--local", "--persist-to", stateDir],
    ROOT,
    NO_PROMPT,
  );
}

async function run(cmd: string[], cwd: string, env: Record<string, string>): Promise<void> {
  const [file, ...args] = cmd;
  try {
    await promisify(execFile)(file as string, args, { cwd, env: toolEnv({ ...env, ...MARKER }) });
  } catch (err) {
    const { stderr, stdout } = err as { stderr?: string; stdout?: string };
    throw new Error(`${cmd.join(" ")} failed:\n${(stderr || stdout || String(err)).slice(-3000)}`);
  }
}

/** Every object under `prefix` in the edge's local R2 bucket → its size, as miniflare stores them. */
export function storedObjects(stateDir: string, prefix: string): Map<string, number> {
  const dir = join(stateDir, "v3/r2/miniflare-R2BucketObject");
  const files = readdirSync(dir).filter((f) => f.endsWith(".sqlite") && f !== "metadata.sqlite");
  if (files.length !== 1) throw new Error(`expected one R2 bucket in ${dir}, found ${files.join(", ")}`);
  const db = new DatabaseSync(join(dir, files[0] as string), { readOnly: true });
  try {
    const rows = db
      .prepare("SELECT key, size FROM _mf_objects WHERE substr(key, 1, ?) = ? ORDER BY key")
      .all(prefix.length, prefix) as { key: string; size: number }[];
    return new Map(rows.map((r) => [r.key.slice(prefix.length), r.size]));
  } finally {
    db.close();
  }
}

/** The bytes of a stored object, through a GET URL signed like the edge signs them (local storage mode). */
export async function storedBytes(base: string, key: string): Promise<Uint8Array> {
  const signer = new LocalStorageSigner(base, devVar("MEDIA_SIGNING_KEY"));
  const res = await fetch(await signer.presign({ method: "GET", key, expiresInSeconds: 300 }));
  if (res.status !== 200) throw new Error(`GET ${key}: ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

export const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/**
 * A PUT that sends the first `sendFirst` bytes of `bytes` (Content-Length: all of them) and then
 * holds the connection open, as an upload in flight does; `done` settles with the status, or rejects
 * when the connection dies. `sent` resolves once those bytes are handed to the kernel.
 */
export function stalledPut(url: string, bytes: Uint8Array, sendFirst: number) {
  const req = request(url, { method: "PUT", headers: { "content-length": String(bytes.length) } });
  const done = new Promise<number>((resolve, reject) => {
    req.on("response", (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
  });
  done.catch(() => {}); // observed by the test; never an unhandled rejection
  const sent = new Promise<void>((resolve) => req.write(bytes.subarray(0, sendFirst), () => resolve()));
  return { done, sent, cut: () => req.destroy() };
}

// ---- watching an origin's job ----

interface OriginHealth {
  worker?: { jobs?: { videoId: string; stage: string }[] };
}

/** The stage of `videoId`'s job on the origin listening on `port` (its /healthz), or null. */
export async function originStage(port: number, videoId: string): Promise<string | null> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(1000) });
    const body = (await res.json()) as OriginHealth;
    return body.worker?.jobs?.find((j) => j.videoId === videoId)?.stage ?? null;
  } catch {
    return null;
  }
}

/** Command lines of the processes in process group `pgid` (the origin and its ffmpeg children). */
export function groupCommands(pgid: number): string[] {
  const found: string[] = [];
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      // "pid (comm) state ppid pgrp ...": comm may hold spaces, so split after the last ")".
      if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]) !== pgid) continue;
      found.push(readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " "));
    } catch {
      // exited while we looked
    }
  }
  return found;
}

/** The images step's ffmpeg runs (images.ts): the thumbnail seeks and the storyboard sprite. */
export const IMAGE_FFMPEG = /ffmpeg .*(thumbs\/thumb_\d+\.jpg|storyboard\/sprite\.jpg)/;

// ---- a published video, whole and once ----

/**
 * Checks a ready video the way a player would (media-lib's checkLadder: conformance, ffprobe,
 * aligned keyframes) and then that it was published whole and once: every rendition's segments
 * numbered from 1 with none missing or repeated, each lasting the clip; the poster, the storyboard
 * VTT and its sprite answer; and the bucket holds exactly the objects the edge points at — one set
 * of thumbnails, one storyboard, no segment that no playlist lists — plus the source.
 */
export async function checkPublishedOnce(
  api: Api,
  id: string,
  dir: string,
  stateDir: string,
  seconds: number,
) {
  const ladder = await checkLadder(api, id, dir);
  expect(ladder.renditions.map((r) => r.uri).at(-1)).toMatch(/^audio\//);
  const segmentCount = ladder.renditions[0]?.segments.length ?? 0;
  for (const r of ladder.renditions) {
    const numbers = r.segments.map((s) => Number(/seg_(\d+)\.m4s$/.exec(s)?.[1]));
    expect(numbers, `${r.uri}: every segment once, in order, none missing`).toEqual(
      numbers.map((_, i) => i + 1),
    );
    expect(r.segments.length, `${r.uri}: as many segments as the other renditions`).toBe(segmentCount);
    expect(Math.abs(r.seconds - seconds), `${r.uri} lasts the clip (${r.seconds} s)`).toBeLessThan(0.5);
  }
  const pb = await api.call<{ manifestUrl: string; posterUrl: string; storyboardUrl: string }>(
    "GET",
    `/api/v1/videos/${id}/playback`,
    undefined,
    200,
  );
  const expected = new Set([
    "source",
    "hls/master.m3u8",
    "thumbs/poster.jpg",
    ...THUMBNAIL_FRACTIONS.map((_, i) => `thumbs/thumb_${i + 1}.jpg`),
    "storyboard/storyboard.vtt",
    "storyboard/sprite.jpg",
  ]);
  for (const r of ladder.renditions) {
    const slash = r.uri.lastIndexOf("/") + 1;
    const text = await (await fetch(new URL(r.uri, pb.manifestUrl))).text();
    const init = /#EXT-X-MAP:URI="([^"]+)"/.exec(text)?.[1];
    for (const name of [r.uri.slice(slash), ...(init ? [init] : []), ...r.segments])
      expected.add(`hls/${r.uri.slice(0, slash)}${name}`);
  }
  const poster = await fetch(pb.posterUrl);
  expect(poster.status, "poster").toBe(200);
  expect(poster.headers.get("content-type")).toBe("image/jpeg");
  await poster.arrayBuffer();
  const vtt = await fetch(pb.storyboardUrl);
  expect(vtt.status, "storyboard VTT").toBe(200);
  const sprites = new Set([...(await vtt.text()).matchAll(/^(\S+)#xywh=/gm)].map((m) => m[1] as string));
  expect([...sprites], "the VTT names one sprite").toHaveLength(1);
  const sprite = await fetch(new URL([...sprites][0] as string, pb.storyboardUrl));
  expect(sprite.status, "storyboard sprite").toBe(200);
  await sprite.arrayBuffer();
  const stored = storedObjects(stateDir, `videos/${id}/`);
  expect([...stored.keys()], "the bucket holds exactly what the edge points at").toEqual(
    [...expected].sort(),
  );
  for (const [key, size] of stored) expect(size, key).toBeGreaterThan(0);
  return ladder;
}

/** Polls `check` every `everyMs` (finer than lib's `until`: a publish step can last a few hundred ms). */
export async function watchFor<T>(
  what: string,
  ms: number,
  everyMs: number,
  check: () => T | null | Promise<T | null>,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = await check();
    if (found !== null) return found;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((done) => setTimeout(done, everyMs));
  }
}

/**
 * What a killed publish left in the bucket is never something the edge could point a player at:
 * every stored playlist lists only stored objects (segments go up before the playlist naming them),
 * and a stored master names only stored playlists. Returns the stored keys (relative to the video).
 */
export async function checkNoDanglingReferences(base: string, stateDir: string, id: string) {
  const prefix = `videos/${id}/`;
  const stored = storedObjects(stateDir, prefix);
  for (const key of stored.keys()) {
    if (!key.endsWith(".m3u8")) continue;
    const text = new TextDecoder().decode(await storedBytes(base, `${prefix}${key}`));
    const uris = [
      ...text.split("\n").filter((l) => l.trim() && !l.startsWith("#")),
      ...[...text.matchAll(/URI="([^"]+)"/g)].map((m) => m[1] as string),
    ];
    const folder = key.slice(0, key.lastIndexOf("/") + 1);
    for (const uri of uris) expect(stored.has(`${folder}${uri.trim()}`), `${key} names ${uri}`).toBe(true);
  }
  return [...stored.keys()];
}
