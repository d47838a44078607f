import { env } from "cloudflare:test";
import { expect, it } from "vitest";
it("a writes", async () => {
  await env.SETTINGS.put("h1probe", "from-a");
  await new Promise((r) => setTimeout(r, 4000));
  expect(1).toBe(1);
});
