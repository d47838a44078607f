import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api } from "../../test/harness";
import { globalQueue } from "../transcode-queue/test-utils";
import { expectProblem, internal, jobsCreator, queuedVideo } from "./test-utils";

describe("internal API: the origin's bearer token", () => {
  it("refuses no token, a wrong token and a user's JWT with 401 and www-authenticate: Bearer", async () => {
    const owner = await jobsCreator();
    const videoId = await queuedVideo(owner);
    const attempts: [string, string | null][] = [
      ["none", null],
      ["wrong", `${env.ORIGIN_TOKEN}x`],
      ["prefix", env.ORIGIN_TOKEN.slice(0, -1)],
      ["user JWT", owner.accessToken],
      // The payout run's credential is not the transcoder's: it opens /internal/payouts only.
      ["PAYOUTS_TOKEN", env.PAYOUTS_TOKEN],
    ];
    for (const [, token] of attempts) {
      const res = await internal("/jobs/lease", { workerId: "intruder" }, token);
      await expectProblem(res, 401);
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer /);
    }
    const basic = await api("/internal/jobs/lease", {
      method: "POST",
      headers: { authorization: `Basic ${btoa(`origin:${env.ORIGIN_TOKEN}`)}` },
      json: { workerId: "intruder" },
    });
    await expectProblem(basic, 401);
    // Unknown internal paths are 401 too without the token (nothing to probe), 404 with it.
    await expectProblem(await internal("/nothing-here", {}, null), 401);
    await expectProblem(await internal("/nothing-here", {}), 404);
    // Under /internal/payouts/ only PAYOUTS_TOKEN is checked: unknown paths there are 401 with
    // ORIGIN_TOKEN and 404 with PAYOUTS_TOKEN (no path below the prefix skips both checks).
    await expectProblem(await internal("/payouts/nothing-here", {}), 401);
    await expectProblem(await internal("/payouts/nothing-here", {}, env.PAYOUTS_TOKEN), 404);
    // Nothing was leased by the refused calls.
    expect((await globalQueue().status(videoId))?.workerId).not.toBe("intruder");
  });
});
