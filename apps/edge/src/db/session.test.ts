import { env } from "cloudflare:test";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createSessionDb } from "./client";
import { accounts } from "./schema";
import { parseBookmark, sessionStart } from "./session";

const GOOD = "0000007b-0000b26e-00001538-0c3e87bb37b3db5cc52eedb93cd3b96b";

describe("parseBookmark", () => {
  it("takes D1's 8-8-8-32 hex form only", () => {
    expect(parseBookmark(GOOD)).toBe(GOOD);
    for (const bad of [
      undefined,
      null,
      "",
      "garbage",
      GOOD.toUpperCase(),
      ` ${GOOD}`,
      `${GOOD}0`,
      GOOD.slice(1),
      GOOD.replaceAll("-", "_"),
      "first-primary",
      "first-unconstrained",
      "f".repeat(5000),
    ]) {
      expect(parseBookmark(bad), String(bad).slice(0, 40)).toBeNull();
    }
  });
});

describe("sessionStart", () => {
  it("starts reads at the client's bookmark, or anywhere without one", () => {
    expect(sessionStart("GET", "/api/v1/videos/v1", GOOD)).toEqual({ constraint: GOOD, reason: "bookmark" });
    expect(sessionStart("HEAD", "/api/v1/feed", GOOD)).toEqual({ constraint: GOOD, reason: "bookmark" });
    expect(sessionStart("GET", "/api/v1/videos/v1", undefined)).toEqual({
      constraint: "first-unconstrained",
      reason: "unconstrained",
    });
    expect(sessionStart("GET", "/media/v1/t/master.m3u8", undefined).constraint).toBe("first-unconstrained");
  });

  it("starts every write on the primary, whatever bookmark it carries", () => {
    for (const method of ["POST", "PUT", "PATCH", "DELETE", "post"]) {
      expect(sessionStart(method, "/api/v1/me", GOOD)).toEqual({
        constraint: "first-primary",
        reason: "write",
      });
      expect(sessionStart(method, "/api/v1/me", undefined).constraint).toBe("first-primary");
    }
  });

  it("reads the primary on the origin's, sign-in, money and staff routes", () => {
    for (const path of [
      "/internal/jobs/lease",
      "/internal/payouts/periods/2026-11",
      "/api/v1/auth/jwks",
      "/api/v1/me/billing",
      "/api/v1/me/billing/invoices",
      "/api/v1/me/earnings",
      "/api/v1/me/payouts",
      "/api/v1/admin/payouts/runs",
      "/api/v1/moderation/cases",
      // Signs a media grant: never from a row older than the generation it carries.
      "/api/v1/videos/vid_abc/playback",
    ]) {
      expect(sessionStart("GET", path, GOOD).constraint, path).toBe("first-primary");
      expect(sessionStart("GET", path, undefined).constraint, path).toBe("first-primary");
    }
    // Lookalikes are ordinary reads.
    expect(sessionStart("GET", "/internalish", GOOD).constraint).toBe(GOOD);
    expect(sessionStart("GET", "/api/v1/videos/vid_abc", GOOD).constraint).toBe(GOOD);
    expect(sessionStart("GET", "/api/v1/videos/vid_abc/playback/x", GOOD).constraint).toBe(GOOD);
    expect(sessionStart("GET", "/api/v1/me", GOOD).constraint).toBe(GOOD);
  });

  it("reads the primary when the header is there but is no bookmark", () => {
    for (const bad of ["garbage", "x".repeat(5000), GOOD.toUpperCase(), "first-unconstrained"]) {
      expect(sessionStart("GET", "/api/v1/me", bad)).toEqual({
        constraint: "first-primary",
        reason: "malformed-bookmark",
      });
    }
    // An empty header asked for nothing.
    expect(sessionStart("GET", "/api/v1/me", "").constraint).toBe("first-unconstrained");
  });
});

describe("createSessionDb", () => {
  it("runs drizzle queries and batches through the session, which then holds a bookmark", async () => {
    const session = env.DB.withSession("first-primary");
    expect(session.getBookmark()).toBeNull();
    const db = createSessionDb(session);
    const [row] = await db.select({ n: sql<number>`count(*)` }).from(accounts);
    expect(typeof row?.n).toBe("number");
    const first = session.getBookmark();
    expect(parseBookmark(first)).toBe(first);
    const [a, b] = await db.batch([
      db.select({ n: sql<number>`count(*)` }).from(accounts),
      db.select({ id: accounts.id }).from(accounts).limit(1),
    ]);
    // Other test files share this database: only the shapes are stable.
    expect(typeof a[0]?.n).toBe("number");
    expect(b.length).toBeLessThanOrEqual(1);
    // Bookmarks are lexically ordered by time: a later query never moves the session back.
    const later = session.getBookmark() ?? "";
    expect(later >= (first ?? "")).toBe(true);
  });

  it("refuses the binding-only methods instead of bypassing the session", () => {
    const db = createSessionDb(env.DB.withSession());
    expect(() => db.$client.exec("select 1")).toThrow(/not available through a D1 session/);
    expect(() => db.$client.withSession()).toThrow(/not available through a D1 session/);
  });
});
