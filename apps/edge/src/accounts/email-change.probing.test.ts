import { describe, expect, it } from "vitest";
import { type SeededAccount, seedAccount, uniqueEmail } from "../../test/harness";
import { changeEmail, verified } from "../auth/test-utils";

describe("POST /me/email is no faster an account oracle than signup", () => {
  it("after five 409s from one address, answers 429 for registered and unregistered addresses alike", async () => {
    const ip = `10.140.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
    const probers = await Promise.all([1, 2, 3].map((i) => seedAccount({ tag: `prober${i}` })));
    const [a, b, c] = probers as [SeededAccount, SeededAccount, SeededAccount];
    // An address held by a live undo link is one of the five.
    const held = await seedAccount({ tag: "held" });
    await verified(held);
    expect((await changeEmail(held, uniqueEmail("heldnext"))).status).toBe(200);
    expect((await changeEmail(a, held.email, { ip })).status).toBe(409);
    for (let i = 0; i < 4; i++) {
      const registered = await seedAccount({ tag: `target${i}` });
      expect((await changeEmail(i % 2 ? a : b, registered.email, { ip })).status).toBe(409);
    }
    const registered = await seedAccount({ tag: "target5" });
    const limited = await changeEmail(c, registered.email, { ip });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await changeEmail(c, uniqueEmail("free"), { ip })).status).toBe(429);
    expect((await changeEmail(c, held.email, { ip })).status).toBe(429);
  });
});
