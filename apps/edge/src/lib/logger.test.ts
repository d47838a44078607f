import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api, apiJson, eventually, mailbox, mailedCode, seedAccount } from "../../test/harness";
import {
  addPhone,
  confirmPasswordReset,
  signIn,
  verifyMailedCode,
  verifyTextedCode,
} from "../auth/test-utils";
import { createLogger, redact } from "./logger";

/** Every line the worker printed while a test ran (the worker shares the test's isolate). */
let lines: string[] = [];
beforeEach(() => {
  lines = [];
  for (const method of ["log", "info", "warn", "error", "debug"] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      lines.push(args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(" "));
    });
  }
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** Lines carrying `secret`; digits-only secrets (codes) must stand alone, not inside a timestamp. */
function linesCarrying(secret: string): string[] {
  const escaped = secret.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const pattern = /^\d+$/.test(secret) ? new RegExp(`(?<!\\d)${escaped}(?!\\d)`) : new RegExp(escaped);
  return lines.filter((line) => pattern.test(line));
}

describe("log lines never carry a code, token or reset link", () => {
  it("through signup, email verification, password reset, phone verification and media requests", async () => {
    const user = await seedAccount({ tag: "logsafe" });
    const secrets: Record<string, string> = {
      accessToken: user.accessToken,
      refreshToken: user.refreshToken,
      password: user.password,
    };

    const emailCode = await mailedCode(user.email);
    expect(emailCode).toMatch(/^\d{6}$/);
    secrets.emailCode = emailCode;
    await verifyMailedCode(user);

    await apiJson("/api/v1/auth/password-reset/request", 202, {
      method: "POST",
      json: { email: user.email },
    });
    // The link is mailed after the response (the answer must not tell registered emails apart).
    const resetMail = await eventually(async () =>
      (await mailbox(user.email)).email.find((m) => /token=/.test(m.text)),
    );
    const link = /(https?:\/\/\S+token=[^\s]+)/.exec(resetMail?.text ?? "")?.[1] ?? "";
    const token = decodeURIComponent(/token=([^\s&]+)/.exec(link)?.[1] ?? "");
    expect(token.length).toBeGreaterThan(16);
    Object.assign(secrets, { link, token, encodedToken: encodeURIComponent(token) });
    // Opening the link (the web page the email points at), then using it.
    await api(new URL(link).pathname + new URL(link).search);
    const newPassword = `new-${crypto.randomUUID()}`;
    secrets.newPassword = newPassword;
    expect((await confirmPasswordReset(token, newPassword)).status).toBe(204);
    // A replayed link is refused, and its refusal logs nothing of it either.
    await confirmPasswordReset(token, newPassword);

    const login = await signIn(user.email, newPassword);
    Object.assign(secrets, { newAccess: login.accessToken, newRefresh: login.refreshToken });
    const phone = `+1555${String(Math.floor(Math.random() * 10_000_000)).padStart(7, "0")}`;
    await addPhone(login.accessToken, phone, newPassword);
    const smsCode = await verifyTextedCode(login.accessToken, phone);
    expect(smsCode).toMatch(/^\d{6}$/);
    secrets.smsCode = smsCode;

    // Playback tokens travel in media paths.
    const mediaToken = `pbt${crypto.randomUUID().replaceAll("-", "")}`;
    secrets.mediaToken = mediaToken;
    await api(`/media/vid_logsafe000000/${mediaToken}/hls/master.m3u8`);

    // The flows were logged (one line per request, the dev senders' lines) ...
    expect(lines.some((l) => l.includes('"event":"request"'))).toBe(true);
    expect(lines.some((l) => l.includes('"event":"dev-mail"'))).toBe(true);
    expect(lines.some((l) => l.includes('"event":"dev-sms"'))).toBe(true);
    // ... and none of those lines carries a secret.
    for (const [name, secret] of Object.entries(secrets)) {
      expect(secret, name).not.toBe("");
      expect(linesCarrying(secret), name).toEqual([]);
    }
  });
});

describe("redact", () => {
  it("masks secret-bearing fields at any depth, query values and fragments in any string, and media tokens", () => {
    const out = redact({
      event: "x",
      code: "123456",
      resetToken: "tkn",
      nested: { password: "pw", authorization: "Bearer abc", text: "Enter 123456", ok: "fine" },
      list: [{ body: "Your code is 654321" }, "https://m.test/reset-password?token=abc&x=1#frag=y"],
      error: "fetch https://api.test/v1?api_key=sekrit failed",
      path: "/media/vid_a1/pbtSECRET/hls/master.m3u8",
      status: 200,
    });
    expect(out).toEqual({
      event: "x",
      code: "[redacted]",
      resetToken: "[redacted]",
      nested: { password: "[redacted]", authorization: "[redacted]", text: "[redacted]", ok: "fine" },
      list: [
        { body: "[redacted]" },
        "https://m.test/reset-password?token=[redacted]&x=[redacted]#[redacted]",
      ],
      error: "fetch https://api.test/v1?api_key=[redacted] failed",
      path: "/media/vid_a1/[redacted]/hls/master.m3u8",
      status: 200,
    });
  });

  it("applies to every logger, so a careless field cannot leak", () => {
    createLogger({ requestId: "r1" })("info", { event: "oops", token: "t0ps3cret", url: "/x?code=777777" });
    expect(lines.join("\n")).not.toMatch(/t0ps3cret|777777/);
  });
});
