import { env } from "cloudflare:test";
import { expect, it } from "vitest";
it("b reads", async () => {
  await new Promise((r) => setTimeout(r, 2000));
  console.log("H1PROBE", await env.SETTINGS.get("h1probe"));
  expect(await env.SETTINGS.get("h1probe")).toBe("from-a");
});
