/**
 * The session ends of the account flows close their live notification sockets (finding 2): the
 * password reset (all), the email change (all but the caller's) and its undo (all). Logout,
 * refresh reuse, password change and deletions are in social/notifications/session-sockets.test.ts.
 */
import { describe, expect, it } from "vitest";
import { api, apiJson, type SeededAccount, seedAccount, uniqueEmail } from "../../test/harness";
import { tokenMailed, verified } from "../auth/test-utils";
import { SESSION_ENDED } from "../social/notifications/inbox-sockets";
import { connectLive, type LiveSocket } from "../social/notifications/test-utils";

const CLOSE_WITHIN_MS = 3000;

async function opened(token: string): Promise<LiveSocket> {
  const live = await connectLive(token);
  await live.next((f) => f.type === "hello");
  return live;
}
const loginAgain = (user: SeededAccount) =>
  apiJson<{ accessToken: string }>("/api/v1/auth/login", 200, {
    method: "POST",
    json: { email: user.email, password: user.password },
  });

describe("account flows that end sessions close their sockets", () => {
  it("password reset confirm closes every session's socket", async () => {
    const user = await seedAccount({ tag: "skreset" });
    const other = await loginAgain(user);
    const sockets = await Promise.all([opened(user.accessToken), opened(other.accessToken)]);
    await apiJson("/api/v1/auth/password-reset/request", 202, {
      method: "POST",
      json: { email: user.email },
    });
    const token = await tokenMailed(user.email, "Reset token");
    await apiJson("/api/v1/auth/password-reset/confirm", 204, {
      method: "POST",
      json: { token, password: "a reset password!" },
    });
    for (const live of sockets) expect(await live.closed(CLOSE_WITHIN_MS)).toBe(SESSION_ENDED);
  });

  it("email change closes the other sessions' sockets, not the caller's; undo closes them all", async () => {
    const user = await seedAccount({ tag: "skmail" });
    // A verified address, so the change mails it an undo link.
    await verified(user);
    const other = await loginAgain(user);
    const [mine, theirs] = await Promise.all([opened(user.accessToken), opened(other.accessToken)]);
    const res = await api("/api/v1/me/email", {
      method: "POST",
      token: user.accessToken,
      json: { email: uniqueEmail("skmoved"), password: user.password },
    });
    expect(res.status).toBe(200);
    expect(await theirs.closed(CLOSE_WITHIN_MS)).toBe(SESSION_ENDED);
    expect(mine.ws.readyState).toBe(WebSocket.OPEN);
    const token = await tokenMailed(user.email, "Undo token");
    await apiJson("/api/v1/auth/email-change/undo", 204, {
      method: "POST",
      json: { token, password: "an undo password!" },
    });
    expect(await mine.closed(CLOSE_WITHIN_MS)).toBe(SESSION_ENDED);
  });
});
