/**
 * The session ends of the account flows close their live notification sockets (finding 2): the
 * password reset (all), the email change (all but the caller's) and its undo (all). Logout,
 * refresh reuse, password change and deletions are in social/notifications/session-sockets.test.ts.
 */
import { describe, expect, it } from "vitest";
import { seedAccount, tokenMailed, uniqueEmail } from "../../test/harness";
import {
  changeEmail,
  confirmPasswordReset,
  mailedResetToken,
  signIn,
  undoEmailChange,
  verified,
} from "../auth/test-utils";
import { SESSION_ENDED } from "../social/notifications/inbox-sockets";
import { connectLive, type LiveSocket } from "../social/notifications/test-utils";

const CLOSE_WITHIN_MS = 3000;

async function opened(token: string): Promise<LiveSocket> {
  const live = await connectLive(token);
  await live.next((f) => f.type === "hello");
  return live;
}

describe("account flows that end sessions close their sockets", () => {
  it("password reset confirm closes every session's socket", async () => {
    const user = await seedAccount({ tag: "skreset" });
    const other = await signIn(user.email, user.password);
    const sockets = await Promise.all([opened(user.accessToken), opened(other.accessToken)]);
    const token = await mailedResetToken(user.email);
    expect((await confirmPasswordReset(token, "a reset password!")).status).toBe(204);
    for (const live of sockets) expect(await live.closed(CLOSE_WITHIN_MS)).toBe(SESSION_ENDED);
  });

  it("email change closes the other sessions' sockets, not the caller's; undo closes them all", async () => {
    const user = await seedAccount({ tag: "skmail" });
    // A verified address, so the change mails it an undo link.
    await verified(user);
    const other = await signIn(user.email, user.password);
    const [mine, theirs] = await Promise.all([opened(user.accessToken), opened(other.accessToken)]);
    const res = await changeEmail(user, uniqueEmail("skmoved"));
    expect(res.status).toBe(200);
    expect(await theirs.closed(CLOSE_WITHIN_MS)).toBe(SESSION_ENDED);
    expect(mine.ws.readyState).toBe(WebSocket.OPEN);
    const token = await tokenMailed(user.email, "Undo token");
    expect((await undoEmailChange(token, "an undo password!")).status).toBe(204);
    expect(await mine.closed(CLOSE_WITHIN_MS)).toBe(SESSION_ENDED);
  });
});
