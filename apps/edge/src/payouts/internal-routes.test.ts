import { env } from "cloudflare:test";
import { PayoutAccountPageSchema } from "@marquee/shared";
import { inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { testDb } from "../../test/fixtures";
import { api, seedCastBeforeAll } from "../../test/harness";
import { payoutAccounts } from "../db/schema";
import { origin, originJson } from "./facts-test-utils";

const cast = seedCastBeforeAll("pint", {
  c1: { channel: true },
  c2: { channel: true },
  c3: { channel: true },
  admin: { roles: ["admin"] },
});

const ROUTES: [string, string, unknown?][] = [
  ["GET", "/payouts/periods/2001-01"],
  ["GET", "/payouts/periods/2001-01/channels"],
  ["GET", "/payouts/accounts"],
  ["POST", "/payouts/statements", { earnings: [], payouts: [], run: null }],
];

describe("/internal/payouts: the payout run's token only", () => {
  it("refuses no token, a wrong token, the transcoder's ORIGIN_TOKEN, a user's JWT (an admin's too) and Basic with 401", async () => {
    for (const [method, path, json] of ROUTES) {
      const tokens: (string | null)[] = [
        null,
        `${env.PAYOUTS_TOKEN}x`,
        env.PAYOUTS_TOKEN.slice(0, -1),
        env.ORIGIN_TOKEN,
        cast.c1.accessToken,
        cast.admin.accessToken,
      ];
      for (const token of tokens) {
        const res = await origin(path, { method, ...(json ? { json } : {}) }, token);
        expect(res.status, `${method} ${path} ${token?.slice(0, 8)}`).toBe(401);
        expect(res.headers.get("www-authenticate")).toMatch(/^Bearer /);
      }
      const basic = await api(`/internal${path}`, {
        method,
        headers: { authorization: `Basic ${btoa(`origin:${env.PAYOUTS_TOKEN}`)}` },
        ...(json ? { json } : {}),
      });
      expect(basic.status).toBe(401);
      // With the token each answers (a closed period, an empty statement).
      expect((await origin(path, { method, ...(json ? { json } : {}) })).status, `${method} ${path}`).toBe(
        200,
      );
    }
  });

  it("a wrong token is refused before the body is read or validated", async () => {
    const res = await origin(
      "/payouts/statements",
      { method: "POST", json: { nonsense: true } },
      "wrong-token",
    );
    expect(res.status).toBe(401);
  });
});

describe("GET /internal/payouts/accounts", () => {
  it("lists every Connect account by channel id, page by page", async () => {
    const { c1, c2, c3 } = cast;
    const mine = [c1, c2, c3].map((c) => c.channelId as string);
    await testDb()
      .insert(payoutAccounts)
      .values([
        { channelId: mine[0] as string, stripeAccountId: `acct_${mine[0]}`, payoutsEnabled: true },
        { channelId: mine[1] as string, stripeAccountId: `acct_${mine[1]}`, payoutsEnabled: false },
        {
          channelId: mine[2] as string,
          stripeAccountId: `acct_${mine[2]}`,
          payoutsEnabled: true,
          detailsSubmitted: true,
        },
      ]);
    const all: { channelId: string; stripeAccountId: string; payoutsEnabled: boolean }[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = PayoutAccountPageSchema.parse(
        await originJson(`/payouts/accounts?limit=2${cursor ? `&cursor=${cursor}` : ""}`, 200),
      );
      expect(page.items.length).toBeLessThanOrEqual(2);
      all.push(...page.items);
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 1000);
    const ids = all.map((a) => a.channelId);
    expect(ids).toEqual([...ids].sort());
    expect(new Set(ids).size).toBe(ids.length);
    const total = await testDb().$count(payoutAccounts);
    expect(all).toHaveLength(total);
    expect(all.filter((a) => mine.includes(a.channelId))).toEqual(
      mine
        .map((channelId, i) => ({ channelId, stripeAccountId: `acct_${channelId}`, payoutsEnabled: i !== 1 }))
        .sort((a, b) => (a.channelId < b.channelId ? -1 : 1)),
    );
    // Another list's cursor is refused.
    const facts = await originJson<{ nextCursor: string | null }>("/payouts/accounts?limit=1", 200);
    expect(facts.nextCursor).not.toBeNull();
    const res = await origin(`/payouts/periods/2001-01/channels?cursor=${facts.nextCursor}`);
    expect(res.status).toBe(400);
    await testDb().delete(payoutAccounts).where(inArray(payoutAccounts.channelId, mine));
  });
});
