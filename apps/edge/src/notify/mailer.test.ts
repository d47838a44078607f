import { describe, expect, it, vi } from "vitest";
import { DevMailer, HttpMailer, listDevMail } from "./mailer";
import { bindings, deliveryError, rand, recorded, saasUrl, single } from "./test-utils";

const FROM = "Marquee <no-reply@marquee.test>";
const mailer = (apiKey = "re_test_key", timeoutMs?: number) =>
  new HttpMailer({ baseUrl: `${saasUrl()}/resend`, apiKey, from: FROM, timeoutMs });
const sentTo = (to: string) =>
  recorded("resend", (r) => {
    const body = r.body as { to?: unknown } | null;
    return Array.isArray(body?.to) && body.to.includes(to);
  });

describe("HttpMailer (Resend wire format)", () => {
  it("POSTs the Resend JSON body with bearer auth and returns the id", async () => {
    const to = `user-${rand()}@example.com`;
    const key = `idem-${rand()}`;
    const { id } = await mailer().send({
      to,
      subject: "Your code",
      text: "Code: 123456",
      html: "<p>Code: <b>123456</b></p>",
      tag: "verify-email",
      idempotencyKey: key,
    });

    const req = single(await sentTo(to));
    expect(req.method).toBe("POST");
    expect(req.path).toBe("/resend/emails");
    expect(req.headers.authorization).toBe("Bearer re_test_key");
    expect(req.headers["content-type"]).toMatch(/^application\/json/);
    expect(req.headers["idempotency-key"]).toBe(key);
    expect(req.body).toEqual({
      from: FROM,
      to: [to],
      subject: "Your code",
      text: "Code: 123456",
      html: "<p>Code: <b>123456</b></p>",
      tags: [{ name: "category", value: "verify-email" }],
    });
    expect(req.status).toBe(200);
    expect(id).toBe((req.response as { id: string }).id);
  });

  it("leaves out html, tags and Idempotency-Key when not given", async () => {
    const to = `plain-${rand()}@example.com`;
    await mailer().send({ to, subject: "Hi", text: "Hello" });
    const req = single(await sentTo(to));
    expect(req.body).toEqual({ from: FROM, to: [to], subject: "Hi", text: "Hello" });
    expect(req.headers["idempotency-key"]).toBeUndefined();
  });

  it("maps a 422 validation error to a non-retryable DeliveryError", async () => {
    const err = await deliveryError(mailer().send({ to: `not-an-email-${rand()}`, subject: "x", text: "x" }));
    expect(err).toMatchObject({
      provider: "resend",
      status: 422,
      code: "validation_error",
      retryable: false,
    });
    expect(err.message).toContain("Invalid `to` field");
  });

  it("maps a 500 to a retryable DeliveryError", async () => {
    const err = await deliveryError(
      mailer().send({ to: `u${rand()}-fail-500@example.com`, subject: "x", text: "x" }),
    );
    expect(err).toMatchObject({
      provider: "resend",
      status: 500,
      code: "internal_server_error",
      retryable: true,
    });
  });

  it("maps a wrong API key to a non-retryable 401", async () => {
    const to = `key-${rand()}@example.com`;
    const err = await deliveryError(mailer("re_wrong_key").send({ to, subject: "x", text: "x" }));
    expect(err).toMatchObject({ provider: "resend", status: 401, code: "invalid_api_key", retryable: false });
  });

  it("times out with a retryable DeliveryError", async () => {
    const err = await deliveryError(
      mailer("re_test_key", 200).send({ to: `u${rand()}-slow@example.com`, subject: "x", text: "x" }),
    );
    expect(err).toMatchObject({ provider: "resend", status: 0, code: "timeout", retryable: true });
  });

  it("reports a failed connection as a retryable network error", async () => {
    const fetch = async (): Promise<Response> => {
      throw new TypeError("Network connection lost.");
    };
    const m = new HttpMailer({ baseUrl: saasUrl(), apiKey: "k", from: FROM, fetch });
    const err = await deliveryError(m.send({ to: "a@example.com", subject: "x", text: "x" }));
    expect(err).toMatchObject({ status: 0, code: "network_error", retryable: true });
  });
});

describe("DevMailer", () => {
  it("logs one line without the contents and stores messages listed newest first, filtered by recipient", async () => {
    const log = vi.fn();
    const dev = new DevMailer(bindings.SETTINGS, log);
    const alice = `Alice-${rand()}@Example.com`;
    const bob = `bob-${rand()}@example.com`;
    const first = await dev.send({ to: alice, subject: "one", text: "1" });
    await dev.send({ to: bob, subject: "other", text: "b" });
    await dev.send({ to: alice, subject: "two", text: "2", html: "<p>2</p>", tag: "t" });
    const third = await dev.send({ to: alice, subject: "three", text: "3" });

    // One line per message, naming it but never carrying its subject or text (codes, reset links).
    expect(log).toHaveBeenCalledWith({ event: "dev-mail", id: first.id, to: alice, tag: undefined });
    expect(log).toHaveBeenCalledTimes(4);
    for (const [fields] of log.mock.calls) expect(Object.keys(fields)).not.toContain("text");

    const mine = await listDevMail(bindings.SETTINGS, { to: alice.toLowerCase(), limit: 10 });
    expect(mine.map((m) => m.subject)).toEqual(["three", "two", "one"]);
    expect(mine[0]?.id).toBe(third.id);
    expect(mine[2]?.id).toBe(first.id);
    expect(mine[1]).toMatchObject({ to: alice, text: "2", html: "<p>2</p>", tag: "t" });
    expect(Date.parse(mine[0]?.sentAt ?? "")).toBeGreaterThan(Date.parse(mine[2]?.sentAt ?? ""));

    expect((await listDevMail(bindings.SETTINGS, { to: alice, limit: 2 })).map((m) => m.subject)).toEqual([
      "three",
      "two",
    ]);

    const all = await listDevMail(bindings.SETTINGS, { limit: 1000 });
    const ids = all.map((m) => m.id);
    expect(ids.indexOf(third.id)).toBeLessThan(ids.indexOf(first.id));

    const keys = await bindings.SETTINGS.list({ prefix: "devmail:" });
    const key = keys.keys.find((k) => k.name.endsWith(`:${third.id}`));
    expect(key?.name).toMatch(/^devmail:\d{13}:/);
    expect(key?.expiration).toBeGreaterThan(Date.now() / 1000 + 86_000);
  });
});
