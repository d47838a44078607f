import { env } from "cloudflare:test";
import {
  type ChannelFacts,
  ChannelFactsPageSchema,
  monthOf,
  type Period,
  type PeriodFacts,
  PeriodFactsSchema,
  parsePeriod,
} from "@marquee/shared";
import { describe, expect, it } from "vitest";
import { insertVideo, lowerId } from "../../test/fixtures";
import { seedCastBeforeAll } from "../../test/harness";
import { loadConfig } from "../config";
import { channelFacts, closesAt, isClosed, periodFacts } from "./facts";
import {
  insertAdImpression,
  insertRecordedInvoice,
  insertRefund,
  insertWatch,
  nextDay,
  origin,
  originJson,
  pastDayPeriod,
} from "./facts-test-utils";
import { testServices } from "./test-utils";

const cast = seedCastBeforeAll("pfacts", {
  a: { channel: true },
  b: { channel: true },
  viewer: {},
});

const facts = (p: Period) => originJson<PeriodFacts>(`/payouts/periods/${p.id}`, 200);
const channelsOf = async (p: Period, query = "") =>
  ChannelFactsPageSchema.parse(await originJson(`/payouts/periods/${p.id}/channels${query}`, 200));
const byChannel = (items: ChannelFacts[], id: string | null) => items.find((f) => f.channelId === id);

describe("payout facts of a period", () => {
  it("sums each channel's ads and premium watch inside [start, end), and only those", async () => {
    const { a, b, viewer } = cast;
    const p = pastDayPeriod();
    const late = nextDay(p);
    const [vA, vB, adB] = await Promise.all([
      insertVideo(a),
      insertVideo(b),
      insertVideo(b, { kind: "ad", visibility: "private" }),
    ]);
    const chA = a.channelId as string;
    const chB = b.channelId as string;
    await Promise.all([
      // Ads: both ends of the period count; just before and at the end do not.
      insertAdImpression({ channelId: chA, priceMillicents: 250, recordedAt: p.start }),
      insertAdImpression({ channelId: chA, priceMillicents: 100, recordedAt: p.end - 1 }),
      insertAdImpression({ channelId: chA, priceMillicents: 999, recordedAt: p.start - 1 }),
      insertAdImpression({ channelId: chA, priceMillicents: 777, recordedAt: p.end }),
      insertAdImpression({ channelId: chB, priceMillicents: 300, recordedAt: p.start + 5 }),
      // A VAST request without content earns no channel anything.
      insertAdImpression({ channelId: null, priceMillicents: 500, recordedAt: p.start + 5 }),
      // Premium watch: the viewer on A's video, at both ends; after the end is the next period's.
      insertWatch({ accountId: viewer.accountId, videoId: vA, playedMs: 60_000, receivedAt: p.start }),
      insertWatch({ accountId: viewer.accountId, videoId: vA, playedMs: 1_000, receivedAt: p.end - 1 }),
      insertWatch({ accountId: viewer.accountId, videoId: vA, playedMs: 5_000, receivedAt: p.end }),
      insertWatch({ accountId: viewer.accountId, videoId: vA, playedMs: 2_000, receivedAt: p.start - 1 }),
      // Not premium: a free account's watch time is in no pool.
      insertWatch({
        accountId: viewer.accountId,
        videoId: vA,
        playedMs: 9_000,
        receivedAt: p.start,
        premium: false,
      }),
      // The owner watching their own channel: excluded. Watching another channel: counts for it.
      insertWatch({ accountId: a.accountId, videoId: vA, playedMs: 7_000, receivedAt: p.start + 10 }),
      insertWatch({ accountId: a.accountId, videoId: vB, playedMs: 4_000, receivedAt: p.start + 10 }),
      // An ad video is not content: its "watch time" earns nothing from the pool.
      insertWatch({ accountId: viewer.accountId, videoId: adB, playedMs: 3_000, receivedAt: p.start + 10 }),
      // Premium revenue: paid usd invoices less succeeded usd refunds, by recorded_at.
      insertRecordedInvoice(viewer.accountId, 1799, p.start),
      insertRecordedInvoice(viewer.accountId, 1000, p.end - 1),
      insertRecordedInvoice(viewer.accountId, 999, p.end),
      insertRecordedInvoice(viewer.accountId, 555, p.start + 1, { status: "failed" }),
      insertRecordedInvoice(viewer.accountId, 444, p.start + 1, { currency: "eur" }),
      insertRefund(300, p.end - 1),
      insertRefund(200, p.start + 1, { status: "pending" }),
      insertRefund(100, p.end),
    ]);

    const totals = PeriodFactsSchema.parse(await facts(p));
    expect(totals).toEqual({
      period: p.id,
      start: p.start,
      end: p.end,
      currency: "usd",
      rules: { creatorAdSharePct: 55, premiumPoolPct: 55 },
      premiumPaidCents: 2799,
      premiumRefundedCents: 300,
      adMillicents: 650,
      premiumWatchMs: 65_000,
      channelCount: 2,
    });
    const page = await channelsOf(p);
    expect(page.nextCursor).toBeNull();
    expect(page.items).toEqual(
      [
        { channelId: chA, adMillicents: 350, premiumWatchMs: 61_000 },
        { channelId: chB, adMillicents: 300, premiumWatchMs: 4_000 },
      ].sort((x, y) => (x.channelId < y.channelId ? -1 : 1)),
    );

    // Late facts (recorded at or after the end) are the next period's.
    expect(await facts(late)).toMatchObject({
      premiumPaidCents: 999,
      premiumRefundedCents: 100,
      adMillicents: 777,
      premiumWatchMs: 5_000,
      channelCount: 1,
    });
    expect((await channelsOf(late)).items).toEqual([
      { channelId: chA, adMillicents: 777, premiumWatchMs: 5_000 },
    ]);

    // The service the estimate uses answers the same per channel, and zeros for a channel without facts.
    const s = testServices();
    expect(await channelFacts(s, p, chA)).toEqual({
      channelId: chA,
      adMillicents: 350,
      premiumWatchMs: 61_000,
    });
    expect(await channelFacts(s, p, "ch_nothing")).toEqual({
      channelId: "ch_nothing",
      adMillicents: 0,
      premiumWatchMs: 0,
    });
  });

  it("a month covers its first and last millisecond, not the next month's first", async () => {
    const month = monthOf(
      Date.UTC(1960 + Math.floor(Math.random() * 12), Math.floor(Math.random() * 12), 10),
    );
    const ch = lowerId("ch", "pm");
    await Promise.all([
      insertAdImpression({ channelId: ch, priceMillicents: 1, recordedAt: month.start }),
      insertAdImpression({ channelId: ch, priceMillicents: 20, recordedAt: month.end - 1 }),
      insertAdImpression({ channelId: ch, priceMillicents: 300, recordedAt: month.end }),
    ]);
    expect((await channelsOf(month)).items).toEqual([{ channelId: ch, adMillicents: 21, premiumWatchMs: 0 }]);
  });

  it("pages through the channels of both kinds of fact in id order, cursors bound to the period", async () => {
    const { a, b, viewer } = cast;
    const p = pastDayPeriod();
    const [vA, vB] = await Promise.all([insertVideo(a), insertVideo(b)]);
    // Ad-only channels (ids need no channel row), watch-only channels, and one with both.
    const adOnly = Array.from({ length: 4 }, () => lowerId("ch", "pp"));
    await Promise.all([
      ...adOnly.map((channelId, i) =>
        insertAdImpression({ channelId, priceMillicents: 10 + i, recordedAt: p.start + i }),
      ),
      insertWatch({ accountId: viewer.accountId, videoId: vA, playedMs: 1_500, receivedAt: p.start }),
      insertWatch({ accountId: viewer.accountId, videoId: vB, playedMs: 2_500, receivedAt: p.start }),
      insertAdImpression({ channelId: b.channelId, priceMillicents: 7, recordedAt: p.start }),
    ]);
    const pages: ChannelFacts[][] = [];
    let cursor: string | null = null;
    do {
      const page: { items: ChannelFacts[]; nextCursor: string | null } = await channelsOf(
        p,
        `?limit=2${cursor ? `&cursor=${cursor}` : ""}`,
      );
      pages.push(page.items);
      cursor = page.nextCursor;
    } while (cursor && pages.length < 10);
    const all = pages.flat();
    expect(pages.map((x) => x.length)).toEqual([2, 2, 2]);
    expect(all.map((f) => f.channelId)).toEqual([...adOnly, a.channelId, b.channelId].sort());
    expect(byChannel(all, a.channelId)).toEqual({
      channelId: a.channelId,
      adMillicents: 0,
      premiumWatchMs: 1_500,
    });
    expect(byChannel(all, b.channelId)).toEqual({
      channelId: b.channelId,
      adMillicents: 7,
      premiumWatchMs: 2_500,
    });
    expect((await facts(p)).channelCount).toBe(6);

    // A cursor of this list is refused by another period's list, and garbage is refused.
    const first = await channelsOf(p, "?limit=2");
    const other = nextDay(p);
    for (const path of [
      `/payouts/periods/${other.id}/channels?cursor=${first.nextCursor}`,
      `/payouts/periods/${p.id}/channels?cursor=notacursor`,
      `/payouts/periods/${p.id}/channels?limit=501`,
      `/payouts/periods/${p.id}/channels?limit=0`,
    ]) {
      expect((await origin(path)).status, path).toBe(400);
    }
    expect((await channelsOf(p, "?limit=500")).items).toHaveLength(6);
  });
});

describe("a period is served only once closed", () => {
  it("closes closeDelaySeconds after its end, to the millisecond", () => {
    const s = {
      config: {
        ...loadConfig(env),
        payouts: { creatorAdSharePct: 55, premiumPoolPct: 55, closeDelaySeconds: 600 },
      },
    };
    const p = parsePeriod("2026-11") as Period;
    expect(closesAt(s, p)).toBe(Date.UTC(2026, 11, 1) + 600_000);
    expect(isClosed(s, p, Date.UTC(2026, 11, 1))).toBe(false);
    expect(isClosed(s, p, Date.UTC(2026, 11, 1) + 599_999)).toBe(false);
    expect(isClosed(s, p, Date.UTC(2026, 11, 1) + 600_000)).toBe(true);
    const instant = { config: { ...s.config, payouts: { ...s.config.payouts, closeDelaySeconds: 0 } } };
    expect(isClosed(instant, p, p.end)).toBe(true);
    expect(isClosed(instant, p, p.end - 1)).toBe(false);
  });

  it("today, this month and a future period are 409 saying when they close; the facts are still computable", async () => {
    const today = new Date().toISOString().slice(0, 10);
    const month = today.slice(0, 7);
    for (const id of [today, month, "2999-01"]) {
      for (const path of [`/payouts/periods/${id}`, `/payouts/periods/${id}/channels`]) {
        const res = await origin(path);
        expect(res.status, path).toBe(409);
        expect(res.headers.get("content-type")).toContain("application/problem+json");
        const doc = (await res.json()) as { code: string; detail: string; reason: string; closesAt: number };
        const period = parsePeriod(id) as Period;
        expect(doc).toMatchObject({
          code: "conflict",
          reason: "period_open",
          closesAt: period.end + 600_000,
        });
        expect(doc.detail).toContain(new Date(period.end + 600_000).toISOString());
      }
    }
    // The estimate of the open period reads the same service without the check.
    expect((await periodFacts(testServices(), parsePeriod(today) as Period)).period).toBe(today);
  });

  it("a malformed or impossible period is 400", async () => {
    for (const id of ["2026-13", "2026-02-30", "2026-1", "26-11", "2026-11-1", "november", "2026-11-15x"]) {
      for (const path of [`/payouts/periods/${id}`, `/payouts/periods/${id}/channels`]) {
        const res = await origin(path);
        expect(res.status, path).toBe(400);
        expect(((await res.json()) as { errors: { path: string }[] }).errors[0]?.path).toBe("param.period");
      }
    }
  });
});
