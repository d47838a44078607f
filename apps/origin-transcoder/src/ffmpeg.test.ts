import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FFMPEG_NICENESS, FfmpegError, mediaToolEnv, runFfmpeg, withoutUrls } from "./ffmpeg";

describe("what ffmpeg is given and what its failures say", () => {
  it("runs with only PATH, HOME, TMPDIR, LANG and the CA settings: no tokens or keys", () => {
    const env = mediaToolEnv({
      PATH: "/usr/bin",
      HOME: "/home/origin",
      ORIGIN_TOKEN: "secret-origin",
      PAYOUTS_TOKEN: "secret-payouts",
      STRIPE_SECRET_KEY: "sk_live_x",
      DATABASE_AUTH_TOKEN: "tok",
      SSL_CERT_FILE: "/etc/ssl/certs/ca-certificates.crt",
    });
    expect(env).toEqual({
      PATH: "/usr/bin",
      HOME: "/home/origin",
      SSL_CERT_FILE: "/etc/ssl/certs/ca-certificates.crt",
    });
  });

  it("cuts signed URLs out of a failure reason (it is shown to the creator and logged)", async () => {
    const signed =
      "https://acc.r2.cloudflarestorage.com/b/videos/v/source?X-Amz-Signature=abc123&X-Amz-Expires=60";
    expect(withoutUrls(`${signed}: Server returned 403 Forbidden (access denied)`)).toBe(
      "<url>: Server returned 403 Forbidden (access denied)",
    );
    const error = new FfmpegError(1, null, `[https @ 0x1] HTTP error 403\n${signed}: Server returned 403\n`);
    expect(error.message).not.toContain("X-Amz-Signature");
    expect(error.message).toContain("<url>: Server returned 403");
    // A real ffmpeg failing on a URL it cannot reach: the reason names no URL.
    const real = await runFfmpeg([
      "-nostdin",
      "-v",
      "error",
      "-protocol_whitelist",
      "http,tcp",
      "-i",
      "http://127.0.0.1:9/x.mp4?sig=s3cret",
      "-f",
      "null",
      "-",
    ]).then(
      () => null,
      (e: unknown) => e,
    );
    expect(real).toBeInstanceOf(FfmpegError);
    expect((real as Error).message).not.toContain("s3cret");
  });

  // Linux: /proc, and the wrappers (setpriv, nice) are looked up there only.
  it.runIf(process.platform === "linux")(
    "runs ffmpeg niced (FFMPEG_NICENESS) with the same pid, so the origin's uploads never wait on it",
    async () => {
      // /proc/<pid>/stat: "pid (comm) state …"; the niceness is field 19, the 17th after the comm.
      const stat = (pid: number) => {
        const text = readFileSync(`/proc/${pid}/stat`, "utf8");
        const [comm, rest] = [
          text.slice(text.indexOf("(") + 1, text.lastIndexOf(")")),
          text.slice(text.lastIndexOf(")") + 2),
        ];
        return { comm, nice: Number(rest.split(" ")[16]) };
      };
      let seen: { comm: string; nice: number } | null = null;
      let pid = 0;
      const run = runFfmpeg(
        ["-nostdin", "-v", "error", "-re", "-f", "lavfi", "-i", "anullsrc=d=1.5", "-f", "null", "-"],
        {
          onSpawn: (p) => {
            pid = p;
          },
        },
      );
      // setpriv and nice exec ffmpeg in the same process: wait until it is ffmpeg, then read its niceness.
      for (let i = 0; i < 100 && seen?.comm !== "ffmpeg"; i++) {
        await new Promise((r) => setTimeout(r, 10));
        if (pid) seen = stat(pid);
      }
      await run;
      expect(seen).toEqual({ comm: "ffmpeg", nice: FFMPEG_NICENESS });
    },
  );
});
