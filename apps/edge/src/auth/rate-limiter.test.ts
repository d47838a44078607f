import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { unique } from "../../test/harness";
import { hasTable, schemaVersion } from "../lib/do-migrations";
import { RATE_LIMITER_MIGRATIONS, RateLimiter, rateLimiter } from "./rate-limiter";

const scratch = () => rateLimiter(env, unique("rate-limiter"));

describe("RateLimiter storage", () => {
  it("a new object starts at the current schema version", async () => {
    const stub = scratch();
    expect((await stub.begin(1, 60)).allowed).toBe(true);
    await runInDurableObject(stub, (_instance, state) => {
      expect(schemaVersion(state.storage.sql)).toBe(RATE_LIMITER_MIGRATIONS.length);
    });
  });

  it("an object from before versioning (LoginThrottle, before known clients) upgrades and keeps its attempts", async () => {
    const stub = scratch();
    await stub.begin(2, 60);
    await runInDurableObject(stub, async (_instance, state) => {
      const sql = state.storage.sql;
      // The layout LoginThrottle left: its tables without `schema_version`, and no known_clients yet.
      sql.exec("DROP TABLE schema_version");
      sql.exec("DROP TABLE known_clients");
      // What the runtime does when the object starts again.
      const restarted = new RateLimiter(state as DurableObjectState, env);
      await state.blockConcurrencyWhile(async () => {});
      expect(schemaVersion(sql)).toBe(RATE_LIMITER_MIGRATIONS.length);
      expect(hasTable(sql, "known_clients")).toBe(true);
      // The attempt counted before the upgrade still counts: the limit of 2 has one slot left.
      expect((await restarted.begin(2, 60)).allowed).toBe(true);
      expect((await restarted.begin(2, 60)).allowed).toBe(false);
      await restarted.remember("client-hash", 60_000);
      expect(await restarted.isKnown("client-hash")).toBe(true);
    });
  });
});
