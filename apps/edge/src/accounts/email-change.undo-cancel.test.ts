import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import {
  api,
  apiJson,
  mailbox,
  type SeededAccount,
  seedAccount,
  tokenIn,
  uniqueEmail,
} from "../../test/harness";
import { rateLimiter } from "../auth/rate-limiter";
import { changeEmail, someIp, verified } from "../auth/test-utils";

const undo = (token: string) =>
  api("/api/v1/auth/email-change/undo", {
    method: "POST",
    json: { token, password: "mailbox thief's pick" },
  });
const cancel = (user: SeededAccount, password: string, ip: string) =>
  api("/api/v1/me/email/undo-links", { method: "DELETE", token: user.accessToken, json: { password }, ip });

/**
 * A verified owner who has signed in from `home` — as if for `ageDays` already — and then moves the
 * email from there. Returns the undo token mailed to the old address.
 */
async function movedFrom(home: string, ageDays: number) {
  const user = await seedAccount({ tag: "undocancel" });
  await verified(user);
  await apiJson("/api/v1/auth/login", 200, {
    method: "POST",
    json: { email: user.email, password: user.password },
    ip: home,
  });
  const stub = rateLimiter(env, `email:${user.email}`);
  await runInDurableObject(stub, (_instance, state) => {
    state.storage.sql.exec("UPDATE known_clients SET since = since - ?", ageDays * 86_400_000);
  });
  expect((await changeEmail(user, uniqueEmail("safe"), { ip: home })).status).toBe(200);
  const token = await tokenIn(user.email, "Undo token");
  expect(token.length).toBeGreaterThan(30);
  return { user, token };
}

describe("the owner can cancel an undo link that would hand the account to a mailbox thief", () => {
  it("cancels pending undo links with the password, from an address the owner has long used", async () => {
    const home = someIp(150);
    const { user, token } = await movedFrom(home, 8);
    const notice = (await mailbox(user.email)).email.find((m) => /Undo token: /.test(m.text));
    expect(notice?.text).toContain("cancel this link on the Account page");
    expect((await cancel(user, "not the password", home)).status).toBe(401);
    expect((await cancel(user, user.password, home)).status).toBe(204);
    expect((await undo(token)).status).toBe(401);
    // Nothing left to cancel: still fine.
    expect((await cancel(user, user.password, home)).status).toBe(204);
  });

  it("does not let a password thief who just signed in cancel the old address's remedy", async () => {
    // The thief signed in from their own address a day ago and moved the email from there.
    const thief = someIp(151);
    const { user, token } = await movedFrom(thief, 1);
    expect((await cancel(user, user.password, thief)).status).toBe(409);
    expect((await cancel(user, user.password, someIp(152))).status).toBe(409);
    expect((await undo(token)).status).toBe(204);
  });
});
