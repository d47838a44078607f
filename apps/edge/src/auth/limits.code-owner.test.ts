import { describe, expect, it } from "vitest";
import { api, eventually, mailbox, seedAccount } from "../../test/harness";
import { changeEmail, someIp } from "./test-utils";

const resets = async (to: string) =>
  (await mailbox(to)).email.filter((m) => m.subject.includes("Reset")).length;

describe("a stranger cannot use up an owner's codes and links", () => {
  it("50 reset requests from a stranger's address do not stop the owner's reset request from another", async () => {
    const owner = await seedAccount({ tag: "resetvictim" });
    const stranger = someIp(130);
    const statuses: number[] = [];
    for (let i = 0; i < 50; i++)
      statuses.push(
        (
          await api("/api/v1/auth/password-reset/request", {
            method: "POST",
            json: { email: owner.email },
            ip: stranger,
          })
        ).status,
      );
    expect(statuses.filter((s) => s === 202)).toHaveLength(5);
    expect(statuses.slice(5).every((s) => s === 429)).toBe(true);
    await eventually(async () => (await resets(owner.email)) === 5);
    expect(
      (
        await api("/api/v1/auth/password-reset/request", {
          method: "POST",
          json: { email: owner.email },
          ip: someIp(131),
        })
      ).status,
    ).toBe(202);
    await eventually(async () => (await resets(owner.email)) === 6);
  });

  it("another account's refused email changes to the owner's address cost the owner's verification mails nothing", async () => {
    const owner = await seedAccount({ tag: "verifyvictim" });
    const ip = someIp(132);
    for (let i = 0; i < 5; i++) {
      const other = await seedAccount({ tag: `squatter${i}` });
      expect((await changeEmail(other, owner.email, { ip })).status).toBe(409);
    }
    const res = await api("/api/v1/auth/verify-email/request", {
      method: "POST",
      token: owner.accessToken,
      ip: someIp(133),
    });
    expect(res.status).toBe(202);
  });

  it("a stranger's phone-code requests to the owner's number do not use up the number", async () => {
    const phone = `+1415555${String(Math.floor(Math.random() * 10_000)).padStart(4, "0")}`;
    const stranger = await seedAccount({ tag: "smsstranger" });
    const ip = someIp(134);
    const ask = (who: typeof stranger, from: string) =>
      api("/api/v1/me/phone", {
        method: "POST",
        token: who.accessToken,
        json: { phone, password: who.password },
        ip: from,
      });
    for (let i = 0; i < 5; i++) expect((await ask(stranger, ip)).status).toBe(202);
    expect((await ask(stranger, ip)).status).toBe(429);
    const owner = await seedAccount({ tag: "smsowner" });
    expect((await ask(owner, someIp(135))).status).toBe(202);
  });
});
