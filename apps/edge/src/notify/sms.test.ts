import { describe, expect, it, vi } from "vitest";
import { DevSmsSender, listDevSms, TwilioSmsSender } from "./sms";
import { bindings, deliveryError, randomPhone, recorded, saasUrl, single } from "./test-utils";

const SID = "AC0123456789abcdef0123456789abcdef";
const SERVICE = "MG0123456789abcdef0123456789abcdef";
const FROM = "+15005550006";
const twilio = (opts: { from?: string; messagingServiceSid?: string; authToken?: string } = { from: FROM }) =>
  new TwilioSmsSender({
    baseUrl: `${saasUrl()}/twilio`,
    accountSid: SID,
    authToken: "twilio_test_token",
    ...opts,
  });
const sentTo = (to: string) => recorded("twilio", (r) => (r.body as { To?: string } | null)?.To === to);

describe("TwilioSmsSender (Twilio wire format)", () => {
  it("POSTs a form with To/From/Body and Basic auth, returning the SM sid", async () => {
    const to = randomPhone();
    const { id } = await twilio().send({ to, body: "Your code is 123456" });

    const req = single(await sentTo(to));
    expect(req.method).toBe("POST");
    expect(req.path).toBe(`/twilio/2010-04-01/Accounts/${SID}/Messages.json`);
    expect(req.headers.authorization).toBe(`Basic ${btoa(`${SID}:twilio_test_token`)}`);
    expect(req.headers["content-type"]).toMatch(/^application\/x-www-form-urlencoded/);
    expect(Object.fromEntries(new URLSearchParams(req.rawBody))).toEqual({
      To: to,
      From: FROM,
      Body: "Your code is 123456",
    });
    expect(req.status).toBe(201);
    expect(id).toMatch(/^SM[0-9a-f]{32}$/);
    expect(id).toBe((req.response as { sid: string }).sid);
    expect(req.response).toMatchObject({ account_sid: SID, to, from: FROM, status: "queued" });
  });

  it("sends MessagingServiceSid instead of From when configured", async () => {
    const to = randomPhone();
    const { id } = await twilio({ messagingServiceSid: SERVICE }).send({ to, body: "hi" });
    const req = single(await sentTo(to));
    expect(Object.fromEntries(new URLSearchParams(req.rawBody))).toEqual({
      To: to,
      MessagingServiceSid: SERVICE,
      Body: "hi",
    });
    expect(id).toMatch(/^SM[0-9a-f]{32}$/);
  });

  it("rejects a non-E.164 recipient without a request", async () => {
    const to = "555-0100";
    const err = await deliveryError(twilio().send({ to, body: "hi" }));
    expect(err).toMatchObject({ provider: "twilio", status: 400, code: "invalid_phone", retryable: false });
    expect(await sentTo(to)).toHaveLength(0);
  });

  it("maps a 429 to a retryable DeliveryError with Twilio's code", async () => {
    const err = await deliveryError(twilio().send({ to: "+15005550009", body: "hi" }));
    expect(err).toMatchObject({ provider: "twilio", status: 429, code: "20429", retryable: true });
  });

  it("maps Twilio's 400 error JSON (missing Body)", async () => {
    const err = await deliveryError(twilio().send({ to: randomPhone(), body: "" }));
    expect(err).toMatchObject({ status: 400, code: "21602", retryable: false });
    expect(err.message).toContain("Message body is required");
  });

  it("maps bad credentials to a non-retryable 401 (20003)", async () => {
    const err = await deliveryError(
      twilio({ from: FROM, authToken: "wrong" }).send({ to: randomPhone(), body: "hi" }),
    );
    expect(err).toMatchObject({ status: 401, code: "20003", retryable: false });
  });

  it("needs From or MessagingServiceSid", () => {
    expect(() => twilio({})).toThrow(/from/);
  });
});

describe("DevSmsSender", () => {
  it("logs without the body and stores messages listed newest first, filtered by recipient", async () => {
    const log = vi.fn();
    const dev = new DevSmsSender(bindings.SETTINGS, log);
    const me = randomPhone();
    const other = randomPhone();
    const first = await dev.send({ to: me, body: "first" });
    await dev.send({ to: other, body: "not mine" });
    const last = await dev.send({ to: me, body: "second" });

    // The body is the code: logged is only that a message went out.
    expect(log).toHaveBeenCalledWith({ event: "dev-sms", id: first.id, to: me });
    expect(JSON.stringify(log.mock.calls)).not.toMatch(/first|not mine|second/);
    const mine = await listDevSms(bindings.SETTINGS, { to: me, limit: 10 });
    expect(mine.map((m) => m.body)).toEqual(["second", "first"]);
    expect(mine[0]).toMatchObject({ id: last.id, to: me });

    const keys = await bindings.SETTINGS.list({ prefix: "devsms:" });
    expect(keys.keys.some((k) => k.name.endsWith(`:${last.id}`))).toBe(true);
  });
});
