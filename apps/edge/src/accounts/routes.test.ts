import { count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { testDb } from "../../test/fixtures";
import { api, apiJson, eventually, seedAccount } from "../../test/harness";
import { changeEmail, deleteAccount, login, signIn } from "../auth/test-utils";
import {
  accounts,
  channels,
  credentials,
  oneTimeCodes,
  processedEvents,
  profiles,
  sessions,
} from "../db/schema";

describe("the account (/me)", () => {
  it("reads and updates the signed-in account", async () => {
    const user = await seedAccount({ tag: "me" });
    expect(await apiJson("/api/v1/me", 200, { token: user.accessToken })).toMatchObject({
      id: user.accountId,
      email: user.email,
      roles: ["viewer"],
      plan: "free",
      channelId: null,
    });
    const patched = await apiJson("/api/v1/me", 200, {
      method: "PATCH",
      token: user.accessToken,
      json: { displayName: "New Name" },
    });
    expect(patched).toMatchObject({ displayName: "New Name" });
  });

  it("refuses an email another account uses", async () => {
    const a = await seedAccount({ tag: "emaila" });
    const b = await seedAccount({ tag: "emailb" });
    expect((await changeEmail(b, a.email)).status).toBe(409);
  });

  it("changing the password ends other sessions but keeps this one", async () => {
    const user = await seedAccount({ tag: "chpw" });
    const other = await signIn(user.email, user.password);
    await apiJson("/api/v1/me/password", 204, {
      method: "POST",
      token: user.accessToken,
      json: { currentPassword: user.password, newPassword: "an updated password" },
    });
    expect((await api("/api/v1/me", { token: other.accessToken })).status).toBe(401);
    await apiJson("/api/v1/me", 200, { token: user.accessToken });
  });

  it("DELETE needs the password, then erases everything and emits account.deleted", async () => {
    const user = await seedAccount({ tag: "erase", channel: true, profiles: [{ name: "Two" }] });
    expect((await deleteAccount(user, "wrong password")).status).toBe(401);
    expect((await deleteAccount(user, user.password)).status).toBe(204);

    expect((await api("/api/v1/me", { token: user.accessToken })).status).toBe(401);
    expect((await login(user.email, user.password)).status).toBe(401);
    const owned = {
      accounts: accounts.id,
      credentials: credentials.accountId,
      profiles: profiles.accountId,
      sessions: sessions.accountId,
      channels: channels.accountId,
      one_time_codes: oneTimeCodes.accountId,
    };
    for (const [table, column] of Object.entries(owned)) {
      const [row] = await testDb()
        .select({ n: count() })
        .from(column.table)
        .where(eq(column, user.accountId));
      expect(row?.n, table).toBe(0);
    }
    // The queue consumer records each handled event; account.deleted arrives for this account.
    const handled = await eventually(
      async () =>
        (
          await testDb()
            .select({ type: processedEvents.type })
            .from(processedEvents)
            .where(eq(processedEvents.subject, user.accountId))
        )[0],
    );
    expect(handled.type).toBe("account.deleted");
  });
});
