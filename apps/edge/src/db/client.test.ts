import { env } from "cloudflare:test";
import { sql } from "drizzle-orm";
import { DrizzleD1Database } from "drizzle-orm/d1";
import { describe, expect, it } from "vitest";
import { lazySessionDb } from "./client";
import { accounts } from "./schema";
import { parseBookmark } from "./session";

/** The binding, counting the sessions opened through it (and their constraints). */
function countingD1() {
  const opened: (D1SessionBookmark | D1SessionConstraint | undefined)[] = [];
  const d1 = new Proxy(env.DB, {
    get(target, prop) {
      if (prop === "withSession")
        return (constraint?: D1SessionBookmark | D1SessionConstraint) => {
          opened.push(constraint);
          return target.withSession(constraint);
        };
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { d1, opened };
}

describe("lazySessionDb", () => {
  it("opens no session until the handle is used", () => {
    const { d1, opened } = countingD1();
    const lazy = lazySessionDb(d1, "first-primary");
    expect(opened).toEqual([]);
    expect(lazy.session()).toBeNull();
  });

  it("opens one session, with the request's constraint, on first use and queries through it", async () => {
    const { d1, opened } = countingD1();
    const lazy = lazySessionDb(d1, "first-unconstrained");
    const [row] = await lazy.db.select({ n: sql<number>`count(*)` }).from(accounts);
    expect(typeof row?.n).toBe("number");
    const [a, b] = await lazy.db.batch([
      lazy.db.select({ n: sql<number>`count(*)` }).from(accounts),
      lazy.db.select({ id: accounts.id }).from(accounts).limit(1),
    ]);
    expect(typeof a[0]?.n).toBe("number");
    expect(b.length).toBeLessThanOrEqual(1);
    expect(opened).toEqual(["first-unconstrained"]);
    const bookmark = lazy.session()?.getBookmark() ?? null;
    expect(parseBookmark(bookmark)).toBe(bookmark);
    expect(bookmark).not.toBeNull();
  });

  it("looks like the drizzle object it stands for", () => {
    const lazy = lazySessionDb(env.DB, "first-primary");
    expect(lazy.db).toBeInstanceOf(DrizzleD1Database);
    expect("query" in lazy.db).toBe(true);
    // The binding-only methods stay refused, as on an eager session handle.
    expect(() => lazy.db.$client.exec("select 1")).toThrow(/not available through a D1 session/);
  });
});
