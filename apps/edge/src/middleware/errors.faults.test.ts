// How the error handler answers a store's failure (docs/faults.md): D1 or R2 failing for its own
// reasons is 503 `unavailable` with Retry-After; a constraint keeps its mapping (the service's), a
// statement that is wrong and a programming error stay 500. Real errors from workerd's D1 where the
// runtime can produce them; the store outages themselves cannot be caused locally, so their
// messages are the ones the bindings throw.
import { env } from "cloudflare:test";
import { sql } from "drizzle-orm";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { testDb } from "../../test/fixtures";
import { accounts } from "../db/schema";
import { storeUnavailable, uniqueViolation } from "../lib/db-errors";
import type { AppEnv } from "../types";
import { onError, STORE_RETRY_AFTER_SECONDS } from "./errors";

/** An app whose one route throws what `fail` throws, behind the real error handler. */
async function answerTo(fail: () => Promise<unknown>) {
  const app = new Hono<AppEnv>();
  app.get("/x", async () => {
    await fail();
    return new Response("unreachable");
  });
  app.onError(onError);
  const res = await app.request("http://edge.test/x");
  return {
    status: res.status,
    retryAfter: res.headers.get("retry-after"),
    body: (await res.json()) as { code: string },
  };
}

const thrown = (message: string, cause?: unknown) => async () => {
  throw new Error(message, cause === undefined ? {} : { cause });
};

describe("store failures through the error handler", () => {
  it.each([
    ["D1 connection lost", "D1_ERROR: Network connection lost."],
    ["D1 overloaded", "D1_ERROR: D1 DB is overloaded. Requests queued for too long."],
    ["D1 reset", "D1_ERROR: D1 DB storage operation exceeded timeout which caused object to be reset."],
    [
      "D1 internal reset",
      "D1_ERROR: Internal error while starting up D1 DB storage caused object to be reset.",
    ],
    ["R2 internal error", "put: We encountered an internal error. Please try again. (10001)"],
    ["R2 unspecified", "head: Unspecified error (0)"],
  ])("%s: 503 unavailable with Retry-After, also when drizzle wraps it", async (_, message) => {
    for (const fail of [
      thrown(message),
      thrown("Failed query: insert into x values (?)\nparams: 1", new Error(message)),
    ]) {
      expect(await answerTo(fail)).toEqual({
        status: 503,
        retryAfter: String(STORE_RETRY_AFTER_SECONDS),
        body: expect.objectContaining({ code: "unavailable", status: 503 }),
      });
    }
  });

  it("a real UNIQUE violation from D1 is not a store failure (services map it to 409)", async () => {
    const email = `dup-${crypto.randomUUID()}@example.test`;
    const row = () =>
      testDb()
        .insert(accounts)
        .values({ id: `acc_${crypto.randomUUID()}`, email, displayName: "x" });
    await row();
    const error = await row().then(
      () => null,
      (e: unknown) => e,
    );
    expect(uniqueViolation(error)).toBe("accounts.email");
    expect(storeUnavailable(error)).toBe(false);
    expect((await answerTo(() => row())).status).toBe(500);
  });

  it("a real SQL error from D1 (no such table) and a programming error stay 500", async () => {
    const sqlError = () => testDb().run(sql`SELECT * FROM no_such_table_here`);
    expect(storeUnavailable(await sqlError().catch((e: unknown) => e))).toBe(false);
    expect(await answerTo(sqlError)).toMatchObject({
      status: 500,
      retryAfter: null,
      body: { code: "internal" },
    });
    const typeError = async () => (undefined as unknown as { x: number }).x;
    expect(await answerTo(typeError)).toMatchObject({ status: 500, body: { code: "internal" } });
  });

  it("real R2 errors that blame the request (upload gone, parts too small) are not store failures", async () => {
    const key = `fault-probe/${crypto.randomUUID()}`;
    const gone = await env.MEDIA.createMultipartUpload(key);
    await gone.abort();
    const noSuchUpload = await env.MEDIA.resumeMultipartUpload(key, gone.uploadId)
      .uploadPart(1, new Uint8Array(10))
      .catch((e: unknown) => e);
    expect(String(noSuchUpload)).toContain("(10024)");
    expect(storeUnavailable(noSuchUpload)).toBe(false);
    const small = await env.MEDIA.createMultipartUpload(`${key}-small`);
    const parts = [
      await small.uploadPart(1, new Uint8Array(10)),
      await small.uploadPart(2, new Uint8Array(10)),
    ];
    const tooSmall = await small.complete(parts).catch((e: unknown) => e);
    expect(String(tooSmall)).toContain("(10011)");
    expect(storeUnavailable(tooSmall)).toBe(false);
  });

  it("R2 errors that blame the request, and user text in drizzle's params, are not store failures", async () => {
    expect(storeUnavailable(new Error("put: The specified object name is not valid. (10020)"))).toBe(false);
    expect(
      storeUnavailable(new Error("Failed query: insert\nparams: Network connection lost, overloaded")),
    ).toBe(false);
    expect(storeUnavailable(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBe(false);
    // An unrelated error quoting user text is not an outage, however the text reads.
    expect(storeUnavailable(new SyntaxError(`Unexpected token 'o', "overloaded" is not valid JSON`))).toBe(
      false,
    );
    // A bare outage message from the binding (no D1_ERROR prefix) still is one.
    expect(storeUnavailable(new Error("Network connection lost."))).toBe(true);
    expect(storeUnavailable(new Error("D1 DB is overloaded. Too many requests queued."))).toBe(true);
  });

  it("user text in drizzle's params cannot name the constraint a failure is mapped to", () => {
    const realCause = new Error("D1_ERROR: UNIQUE constraint failed: accounts.email: SQLITE_CONSTRAINT");
    const wrapped = new Error("Failed query: insert into comments\nparams: UNIQUE constraint failed: x.y", {
      cause: realCause,
    });
    expect(uniqueViolation(wrapped)).toBe("accounts.email");
    const outage = new Error("Failed query: insert\nparams: UNIQUE constraint failed: x.y", {
      cause: new Error("D1_ERROR: Network connection lost."),
    });
    expect(uniqueViolation(outage)).toBeNull();
  });
});
