import { describe, expect, it } from "vitest";
import { FfmpegError, mediaToolEnv, runFfmpeg, withoutUrls } from "./ffmpeg";

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
});
