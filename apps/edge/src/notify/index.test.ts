import { describe, expect, it } from "vitest";
import { createNotifiers, DevMailer, DevSmsSender, HttpMailer, listDevMail, TwilioSmsSender } from "./index";
import { bindings, rand, randomPhone, recorded, saasUrl } from "./test-utils";

const deps = { kv: bindings.SETTINGS, log: () => {} };

describe("createNotifiers", () => {
  it("builds the dev adapters", async () => {
    const n = createNotifiers({ mailer: { kind: "dev" }, sms: { kind: "dev" } }, deps);
    expect(n.mailer).toBeInstanceOf(DevMailer);
    expect(n.sms).toBeInstanceOf(DevSmsSender);
    const to = `factory-${rand()}@example.com`;
    await n.mailer.send({ to, subject: "s", text: "t" });
    expect(await listDevMail(bindings.SETTINGS, { to, limit: 5 })).toHaveLength(1);
  });

  it("builds the HTTP adapters pointed at the given base URLs", async () => {
    const n = createNotifiers(
      {
        mailer: {
          kind: "http",
          baseUrl: `${saasUrl()}/resend`,
          apiKey: "re_test_key",
          from: "a@marquee.test",
        },
        sms: {
          kind: "twilio",
          baseUrl: `${saasUrl()}/twilio`,
          accountSid: "AC0123456789abcdef0123456789abcdef",
          authToken: "twilio_test_token",
          from: "+15005550006",
        },
      },
      deps,
    );
    expect(n.mailer).toBeInstanceOf(HttpMailer);
    expect(n.sms).toBeInstanceOf(TwilioSmsSender);
    const to = `factory-${rand()}@example.com`;
    const phone = randomPhone();
    await n.mailer.send({ to, subject: "s", text: "t" });
    await n.sms.send({ to: phone, body: "b" });
    expect(await recorded("resend", (r) => JSON.stringify(r.body).includes(to))).toHaveLength(1);
    expect(await recorded("twilio", (r) => (r.body as { To?: string } | null)?.To === phone)).toHaveLength(1);
  });
});
