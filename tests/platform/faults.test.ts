// Faults on the real local platform (docs/faults.md): the edge (`wrangler dev`: workerd and its
// persisted D1/R2/Durable Objects) crashes in the middle of a multipart upload and comes back on the
// same state dir, and the upload resumes; origins are SIGKILLed while they publish a video — as the
// finishing step begins, and while they make the thumbnails and the storyboard sprite — and another
// origin takes the job over and publishes it whole, once.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signalGroup } from "../../scripts/lib/processes";
import {
  checkNoDanglingReferences,
  checkPublishedOnce,
  type Edge,
  groupCommands,
  IMAGE_FFMPEG,
  originStage,
  prepareEdge,
  sha256,
  stalledPut,
  startEdge,
  storedBytes,
  watchFor,
} from "./faults-lib";
import { devVar, freePort, killSurvivors, type Origin, ROOT, startOrigin, until } from "./lib";
import { Api, makeClipAsync, putFile, signUpCreator, uploadSingle } from "./media-lib";

interface Video {
  status: string;
  playable: boolean;
  failureReason: string | null;
}
interface Job {
  state: string;
  attempts: number;
  leases: number;
}

const MiB = 1024 * 1024;
/** Both clips: short, so each transcode takes a few seconds. */
const SECONDS = 4;
const PASSWORD = "a long faults password";

describe("faults: the edge restarted mid-upload, origins killed mid-publish (real edge, real origins)", () => {
  let edge: Edge;
  let dir: string;
  let stateDir: string;
  let creator: Api;
  let email: string;
  const origins: Origin[] = [];
  const clips = { big: "", short: "" };

  const video = (id: string) => creator.call<Video>("GET", `/api/v1/videos/${id}`, undefined, 200);
  const job = async (id: string) => {
    const res = await fetch(`${edge.base}/internal/videos/${id}/job`, {
      headers: { authorization: `Bearer ${devVar("ORIGIN_TOKEN")}` },
    });
    return (await res.json()) as Job;
  };
  const ready = async (id: string) => {
    let last: Video | undefined;
    await until(`video ${id} to finish processing`, 120_000, async () => {
      last = await video(id);
      return last.status === "ready" || last.status === "failed";
    });
    expect(last, `failed: ${last?.failureReason}`).toMatchObject({ status: "ready", playable: true });
  };
  const origin = async (name: string) => {
    const o = await startOrigin(name, edge.base, join(dir, `work-${name}`));
    origins.push(o);
    return o;
  };
  /** The origin's log lines about `videoId` with this message. */
  const logged = (o: Origin, videoId: string, msg: string) =>
    o
      .output()
      .split("\n")
      .filter((l) => l.includes(`"msg":"${msg}"`) && l.includes(videoId));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "marquee-faults-e2e-"));
    stateDir = join(dir, "state");
    mkdirSync(stateDir);
    // The D1 migrations, the clips and wrangler dev all at once (the edge answers /healthz without
    // D1; nothing asks it anything before the migrations are in).
    const [, big, short, started] = await Promise.all([
      prepareEdge(stateDir),
      // Over 5 MiB (two parts of the smallest size R2 allows) in a few seconds: noise at a high rate.
      makeClipAsync(join(dir, "big.mp4"), { seconds: SECONDS, videoKbps: 12_000, noise: true }),
      makeClipAsync(join(dir, "short.mp4"), { seconds: SECONDS }),
      // A short lease: a killed origin's job goes back to the queue within seconds.
      startEdge(stateDir, await freePort(), { JOB_LEASE_SECONDS: "4" }),
    ]);
    Object.assign(clips, { big, short });
    edge = started;
    email = `faults-${Date.now()}@example.test`;
    creator = await signUpCreator(new Api(edge.base), {
      email,
      password: PASSWORD,
      displayName: "Faults",
      handle: `faults_${Date.now().toString(36)}`,
      channelName: "Faults",
    });
  }, 300_000); // wrangler's two cold starts (migrations, dev) are slow on a busy 2-core machine

  afterAll(async () => {
    for (const o of origins) signalGroup(o.child.pid as number, "SIGKILL");
    await edge?.stop();
    killSurvivors();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  // The restart takes a fresh inspector port (startEdge): with wrangler's default one, a clean-clone
  // CI run's restarted edge once failed to bind it ("Address already in use") and never answered.
  it("resumes a multipart upload after the edge crashed with a part in flight: same bytes, then ready", async () => {
    const path = clips.big;
    const bytes = new Uint8Array(readFileSync(path));
    const partSize = 5 * MiB;
    const created = await creator.call<{
      video: { id: string };
      upload: { kind: string; parts: { partNumber: number; url: string; size: number }[] };
    }>(
      "POST",
      "/api/v1/videos",
      { title: "Across an edge crash", upload: { size: bytes.length, contentType: "video/mp4", partSize } },
      201,
    );
    const id = created.video.id;
    expect(created.upload.parts.map((p) => p.partNumber)).toEqual([1, 2]);
    const [one, two] = created.upload.parts;
    if (!one || !two) throw new Error("two parts expected");
    expect(await putFile(one.url, bytes.subarray(0, one.size))).toBe(200);
    // Part 2 is half sent when the edge dies: SIGKILL to wrangler and workerd, nothing flushed.
    const inFlight = stalledPut(two.url, bytes.subarray(partSize), Math.floor(two.size / 2));
    await inFlight.sent;
    await new Promise((done) => setTimeout(done, 300)); // workerd is reading the body now
    await edge.restart();
    await expect(inFlight.done, "the part in flight died with the edge").rejects.toThrow();

    // What the restarted edge kept (its D1, R2 and multipart upload persisted): part 1, not part 2.
    const status = await creator.call<{
      status: string;
      uploadedParts: { partNumber: number }[];
      missingParts: { partNumber: number }[];
    }>("GET", `/api/v1/videos/${id}/upload`, undefined, 200);
    expect(status.status).toBe("awaiting_upload");
    expect(status.uploadedParts.map((p) => p.partNumber)).toEqual([1]);
    expect(status.missingParts.map((p) => p.partNumber)).toEqual([2]);

    // The terminal uploader, rerun as it tells you to, asks the same and sends only part 2.
    const state = join(dir, "uploads.json");
    const stat = statSync(path);
    writeFileSync(state, JSON.stringify({ [`${path}:${stat.size}:${stat.mtimeMs}`]: id }));
    const run = spawnSync(
      "bun",
      ["scripts/upload.ts", path, "--api", edge.base, "--email", email, "--password", PASSWORD],
      { cwd: ROOT, encoding: "utf8", env: { ...process.env, MARQUEE_UPLOAD_STATE: state } },
    );
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain(`resuming video ${id}`);
    expect(run.stdout).toMatch(/part 2\/2/);

    await origin("a");
    await ready(id);
    // The source storage joined is the file, byte for byte.
    expect(sha256(await storedBytes(edge.base, `videos/${id}/source`))).toBe(sha256(bytes));
    await checkPublishedOnce(creator, id, dir, stateDir, SECONDS);
    expect((await job(id)).state).toBe("completed");
  });

  /**
   * Uploads the short clip; `victim` (idle, the only origin) leases it; at `killPoint` its whole
   * process group (the origin and any ffmpeg) is SIGKILLed. Then: nothing half-published is offered,
   * the lease lapses, `successor` takes the job over and it ends ready, published whole and once.
   */
  async function killAndTakeOver(
    victim: Origin,
    successorName: string,
    title: string,
    killPoint: (id: string) => Promise<string>,
  ) {
    const id = await uploadSingle(creator, clips.short, title);
    const seen = await killPoint(id);
    signalGroup(victim.child.pid as number, "SIGKILL");
    await until(`origin ${victim.name} to be gone`, 10_000, () => !victim.alive());
    // Shown when the test fails: where the kill landed, and what the killed origin said of the job.
    console.log(`${title}: killed at ${seen}`);
    console.log(
      victim
        .output()
        .split("\n")
        .filter((l) => l.includes(id))
        .join("\n"),
    );
    const atKill = await checkNoDanglingReferences(edge.base, stateDir, id);
    console.log(`stored when it was killed: ${atKill.join(" ")}`);
    expect(logged(victim, id, "job leased").length).toBeGreaterThanOrEqual(1);
    expect(logged(victim, id, "job complete"), "the killed origin completed nothing").toEqual([]);

    // Until another origin has finished it, the edge offers no half-published video: once the lease
    // lapses the video is back in the queue, not playable, and playback refuses it.
    await until("the lease to lapse", 20_000, async () => (await job(id)).state === "queued");
    await until("the video to be requeued", 10_000, async () => (await video(id)).status === "queued");
    expect(await video(id)).toMatchObject({ status: "queued", playable: false });
    const playback = await fetch(`${edge.base}/api/v1/videos/${id}/playback`, {
      headers: { authorization: `Bearer ${creator.token}` },
    });
    expect(playback.status).toBe(409);
    const successor = await origin(successorName);
    await ready(id);
    console.log(
      successor
        .output()
        .split("\n")
        .filter((l) => l.includes(id))
        .join("\n"),
    );
    // Re-leased (a lease can also lapse under load and be handed out again: more leases are fine),
    // and completed exactly once, by the successor.
    const done = await job(id);
    expect(done.state).toBe("completed");
    expect(done.leases).toBeGreaterThanOrEqual(2);
    expect(logged(successor, id, "job leased").length).toBeGreaterThanOrEqual(1);
    expect(
      origins.flatMap((o) => logged(o, id, "job complete")),
      "completed once, by the successor",
    ).toEqual(logged(successor, id, "job complete"));
    expect(logged(successor, id, "job complete")).toHaveLength(1);
    await checkPublishedOnce(creator, id, dir, stateDir, SECONDS);
    return { id, atKill, successor };
  }

  it("an origin SIGKILLed as the finishing step begins: the job is re-leased and published whole, once", async () => {
    for (const o of origins) await o.stop(10_000);
    const victim = await origin("b");
    await killAndTakeOver(victim, "c", "Killed as it finishes", (id) =>
      // The ladder's ffmpeg has exited; final playlists, master and images are being made and stored.
      watchFor("the job's finishing step", 90_000, 20, async () =>
        (await originStage(victim.port, id)) === "finishing" ? "stage finishing" : null,
      ),
    );
  });

  it("an origin SIGKILLed while making thumbnails and the sprite: one set of images, published once", async () => {
    // The successor of the last test, idle now (or a fresh one if that test failed early).
    const victim = origins.find((o) => o.name === "c" && o.alive()) ?? (await origin("c2"));
    const { atKill } = await killAndTakeOver(victim, "d", "Killed making images", async (id) => {
      await watchFor("the job's finishing step", 90_000, 20, async () =>
        (await originStage(victim.port, id)) === "finishing" ? true : null,
      );
      // images.ts: the thumbnail seeks and the sprite run as ffmpeg children of the origin.
      return watchFor("the images' ffmpeg", 10_000, 5, () => {
        const cmd = groupCommands(victim.child.pid as number).find((c) => IMAGE_FFMPEG.test(c));
        return cmd ? `ffmpeg …${IMAGE_FFMPEG.exec(cmd)?.[1]}` : null;
      });
    });
    // Killed before it stored any image: the successor's are the only ones.
    expect(atKill.filter((k) => /^(thumbs|storyboard)\//.test(k))).toEqual([]);
  });
});
