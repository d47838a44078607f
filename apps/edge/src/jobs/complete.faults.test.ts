// The origin completing a transcode job under D1 and R2 faults (docs/faults.md): the queue may have
// recorded the job as done while D1 failed, so the answer is 503 `unavailable`, the video is ready
// whole (status, playable, renditions in one statement) or not at all, and the origin's retry of the
// same completion makes it ready once.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { videoRow } from "../../test/harness";
import {
  callWithFaults,
  expectUnavailable,
  type Faults,
  failEachStatementInTurn,
  R2Faults,
} from "../../test/harness/faults";
import { leaseOverRpc, queuedVideo, RESULT, storeMaster } from "./test-utils";

interface Scene {
  videoId: string;
  jobId: string;
  leaseToken: string;
}

async function leased(): Promise<Scene> {
  const videoId = await queuedVideo();
  const lease = await leaseOverRpc(videoId);
  await storeMaster(videoId);
  return { videoId, jobId: lease.job.id, leaseToken: lease.leaseToken };
}

const complete = (scene: Scene, faults: Faults) =>
  callWithFaults(faults, `/internal/jobs/${scene.jobId}/complete`, {
    method: "POST",
    token: env.ORIGIN_TOKEN,
    json: { leaseToken: scene.leaseToken, result: RESULT },
  });

/** The video as completion leaves it: all of it, or still in the pipeline. */
async function readiness(videoId: string) {
  const row = await videoRow(videoId);
  return {
    status: row?.status,
    playable: row?.playable,
    renditions: row?.renditions?.length ?? 0,
    publishedAt: row?.publishedAt !== null && row?.publishedAt !== undefined,
  };
}

const READY = { status: "ready", playable: true, renditions: RESULT.renditions.length, publishedAt: true };

describe("completing a transcode job under faults", () => {
  it("each failing D1 statement: 503 with the video ready whole or not at all; the origin's retry makes it ready once", async () => {
    await failEachStatementInTurn<Scene>({
      scene: leased,
      act: complete,
      okStatus: 200,
      afterFailure: async (scene) => {
        const now = await readiness(scene.videoId);
        if (now.status === "ready") expect(now).toEqual(READY);
        else expect(now).toMatchObject({ renditions: 0, publishedAt: false });
      },
      afterRetry: async (scene) => {
        expect(await readiness(scene.videoId)).toEqual(READY);
      },
    });
  });

  it("R2 failing the check for the master playlist: 503, nothing changes; the retry completes", async () => {
    const scene = await leased();
    const r2 = new R2Faults({ match: /^head videos\/.*master\.m3u8$/ });
    await expectUnavailable(await complete(scene, { r2 }));
    expect(r2.failed).toBe(1);
    expect((await readiness(scene.videoId)).status).not.toBe("ready");
    expect((await complete(scene, {})).status).toBe(200);
    expect(await readiness(scene.videoId)).toEqual(READY);
  });
});
