// Playback quality end to end on one real platform (workerd edge, origin transcoder) and Chromium:
// a viewer plays a 12 s clip on a connection throttled by Chromium's network emulation (CDP), slow
// enough before the play request that the first frame comes measurably late, starved after the first
// frame so the buffer runs dry mid-way (a rebuffer), then lifted. The test measures both inside the
// page (its own media event listeners), checks that the player's beacons carry the play request, a
// startup time within the measured bounds and the rebuffer, then that the QoE rollup (beacon → dirty
// hour → AnalyticsRollup alarm → D1 → GET /studio/videos/{id}/analytics) shows them, and that the
// creator's analytics page does. docs/analytics.md has the definitions.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, CDPSession, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sleep } from "../../scripts/lib/processes";
import { poll } from "./ads-lib";
import {
  beaconTotals,
  type Captured,
  captureBeacons,
  describeSent,
  emulate,
  eventSeen,
  type Facts,
  factsOf,
  hlsChunkPath,
  networkOf,
  OPEN,
  PLAY,
  preloadHls,
  RECORD_MEDIA,
  recorded,
  STARTUP,
  STARVED,
  screenshotTabs,
  stallLowerMs,
  stallUpperMs,
  type VideoAnalytics,
  widen,
} from "./analytics-lib";
import { Device, launchChromium } from "./billing-lib";
import {
  freePort,
  killSurvivors,
  type Platform,
  platformReady,
  ROOT,
  startPlatform,
  stopPlatform,
} from "./lib";
import { makeClip } from "./media-lib";
import { type Person, tabOf, uploadReady } from "./moderation-lib";
import { TAG } from "./web-lib";

/** How long a page may take to show what a step waits for: the host is shared, two cores, often busy. */
const UI_MS = 20_000;
/** The rollup alarm drains within seconds of the beacons' poke; a busy host gets some room. */
const ROLLUP_MS = 45_000;

describe("playback quality end to end (Chromium with a throttled network, real edge and origin)", () => {
  let platform: Platform;
  let base = "";
  let dir = "";
  let browser: Browser;
  let creator: Person;
  let viewer: Person;
  let videoId = "";
  let watch: Page;
  let cdp: CDPSession;
  let sent: Captured;
  let facts: Facts;
  let stallMs: [number, number] = [0, 0];
  let analytics: VideoAnalytics;
  const notes: string[] = [];
  const started = Date.now();
  const secs = (from: number) => `${((Date.now() - from) / 1000).toFixed(1)} s`;
  const everyone = () => [creator, viewer].filter(Boolean);

  /** The first step that failed: the later steps build on it, so they are skipped. */
  let failed: string | null = null;
  /** A step of the story: its failure screenshots the open tabs into artifacts/analytics/. */
  const step = (name: string, fn: () => Promise<void>, ms = 120_000) =>
    it(
      name,
      async ({ onTestFailed, skip }) => {
        if (failed) skip(`an earlier step failed: ${failed}`);
        onTestFailed(async () => {
          failed ??= name;
          const shots = await screenshotTabs(everyone(), name);
          notes.push(`FAILED: ${name}; screenshots: ${shots.join(", ") || "none"}`);
        });
        const t0 = Date.now();
        await fn();
        notes.push(`${secs(t0)}  ${name}`);
      },
      ms,
    );

  const person = async (name: string): Promise<Person> => {
    const email = `qoe-${name}-${TAG}@example.test`;
    return { name, email, device: await new Device(base).signUp(email, name) };
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "marquee-analytics-e2e-"));
    const stateDir = join(dir, "state");
    mkdirSync(stateDir);
    platform = startPlatform({
      port: await freePort(),
      originPort: await freePort(),
      stateDir,
      env: { MARQUEE_DEMO: "0" },
    });
    base = platform.base;
    // 12 s at 480p: three 4 s segments on three rungs (480p, 360p, 240p). Noise keeps the encoder
    // near its bitrates (a test pattern alone compresses to almost nothing), so segment sizes, and
    // with them the throttled download times, are what analytics-lib's conditions assume.
    const clip = makeClip(join(dir, "clip.mp4"), {
      seconds: 12,
      size: "854x480",
      videoKbps: 1400,
      noise: true,
    });
    const chromium = launchChromium();
    chromium.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
    await platformReady(platform);
    notes.push(`platform up after ${secs(started)}`);
    creator = await person("creator");
    await creator.device.expect("POST", "/api/v1/me/channel", 201, {
      handle: `qoe_${TAG}`,
      name: "Analytics E2E",
    });
    const uploaded = uploadReady(creator.device, clip, `Throttled clip ${TAG}`);
    uploaded.catch(() => undefined);
    viewer = await person("viewer");
    browser = await chromium;
    videoId = await uploaded;
    notes.push(`the clip transcoded and ready ${secs(started)} after the start`);
  }, 300_000);

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    mkdirSync(join(ROOT, "artifacts"), { recursive: true });
    notes.push(`whole file ${secs(started)}`);
    console.log(notes.join("\n"));
    writeFileSync(join(ROOT, "artifacts/analytics-e2e.txt"), `${notes.join("\n")}\n`);
    if (platform) writeFileSync(join(ROOT, "artifacts/analytics-dev.log"), platform.output());
    if (platform) await stopPlatform(platform).catch(() => undefined);
    killSurvivors();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** The page's recorded events turned into facts, or a failure that shows them. */
  const measured = async (): Promise<Facts> => {
    const r = await recorded(watch);
    const f = factsOf(r);
    if (!f) throw new Error(`no first frame in the page's events: ${JSON.stringify(r).slice(0, 2000)}`);
    return f;
  };

  step(
    "the viewer plays the video on a throttled connection: the first frame comes measurably late and playback rebuffers mid-way",
    async () => {
      watch = await tabOf(browser, viewer);
      cdp = await networkOf(watch);
      sent = captureBeacons(watch, cdp);
      await watch.addInitScript(RECORD_MEDIA);
      await watch.goto(`${base}/watch/${videoId}`);
      await watch.getByTestId("player-video").waitFor({ timeout: UI_MS });
      const hls = hlsChunkPath();
      const preloaded = hls ? await preloadHls(watch, hls) : false;
      notes.push(
        `  hls.js ${preloaded ? `imported ahead (${hls})` : "not imported ahead: the player loads it"}`,
      );

      await emulate(cdp, STARTUP);
      await watch.evaluate(PLAY);
      await eventSeen(watch, "playing", { timeout: 60_000 });
      // Starved at once: what was buffered by the first frame plays out, then the buffer is dry.
      await emulate(cdp, STARVED);
      const f0 = await measured();
      notes.push(
        `  first frame ${(f0.frameEarliest - f0.requestAt).toFixed(0)} ms after the play request; starved from then`,
      );
      await eventSeen(watch, "waiting", { after: "playing", timeout: 40_000 }).catch(async (err: Error) => {
        throw new Error(
          `no waiting event after the first frame on a starved connection: ${err.message}\n${JSON.stringify(await recorded(watch)).slice(0, 3000)}`,
        );
      });
      // Dry for a while (a stall the figures can see), then the connection comes back.
      await sleep(1500);
      await emulate(cdp, OPEN);
      await eventSeen(watch, "ended", { timeout: 60_000 });
      facts = await measured();
      const lastEvent = (await recorded(watch)).events.at(-1)?.t ?? 0;
      stallMs = [stallLowerMs(facts.stalls), stallUpperMs(facts.stalls, lastEvent)];
      notes.push(
        `  startup bounds [${facts.startup[0]}, ${facts.startup[1]}] ms; ${facts.stalls.length} stall(s) from ${facts.waitingEvents} waiting event(s), ${stallMs[0]}–${stallMs[1]} ms stalled`,
      );
      // The throttle did what the test needs, or the later checks would prove nothing.
      expect(facts.startup[0], "a startup measurably long under the throttle").toBeGreaterThanOrEqual(500);
      expect(facts.stalls.length, "rebuffered after the first frame").toBeGreaterThanOrEqual(1);
      expect(
        facts.stalls.every((s) => s.playing !== null),
        "every stall ended",
      ).toBe(true);
      expect(stallMs[0], "stalled for the starved time at least").toBeGreaterThanOrEqual(1000);
      expect(facts.ended, "played to the end").toBe(true);

      // The end beacon goes out at `ended` (not batched): wait until every POST has its answer.
      await poll("the end beacon sent and every beacon POST answered", 20_000, async () => {
        const kinds = [...sent.beacons.values()].map((b) => b.kind);
        return kinds.includes("end") && sent.answers.length >= sent.posts && sent.beacons.size > 0;
      }).catch((err: Error) => {
        throw new Error(`${err.message}\n${describeSent(sent)}`);
      });
    },
    180_000,
  );

  step(
    "the player's beacons carry the play request, a startup time within the measured bounds and the rebuffer; the edge took them all",
    async () => {
      const beacons = [...sent.beacons.values()];
      const listed = describeSent(sent);
      notes.push(`  beacons:\n${listed}`);
      for (const a of sent.answers) {
        expect(a.status, `a beacon POST's answer: ${JSON.stringify(a)}`).toBe(202);
        expect(a.rejected ?? [], `beacons the edge refused\n${listed}`).toEqual([]);
      }
      const t = beaconTotals(beacons);
      expect(t.sessions, `one playback session\n${listed}`).toBe(1);
      expect(t.kinds, `a play request beacon\n${listed}`).toContain("request");
      const request = beacons.find((b) => b.kind === "request");
      const start = beacons.find((b) => b.kind === "start");
      expect(start, `a start beacon\n${listed}`).toBeDefined();
      expect(Date.parse(request?.occurredAt ?? ""), "the request before the first frame").toBeLessThanOrEqual(
        Date.parse(start?.occurredAt ?? ""),
      );
      expect(t.startups, `one startupMs in the session\n${listed}`).toHaveLength(1);
      const [lo, hi] = facts.startup;
      expect(t.startups[0], `startupMs within the measured [${lo}, ${hi}] ms`).toBeGreaterThanOrEqual(lo);
      expect(t.startups[0], `startupMs within the measured [${lo}, ${hi}] ms`).toBeLessThanOrEqual(hi);
      expect(t.rebufferCount, `rebuffers in the beacons\n${listed}`).toBeGreaterThanOrEqual(1);
      // A stall may fire more than one `waiting`; a player counts the stall, or each, never more.
      expect(t.rebufferCount, "no more rebuffers than waiting events").toBeLessThanOrEqual(
        facts.waitingEvents,
      );
      expect(t.rebufferMs, "rebuffer time in the beacons").toBeGreaterThan(0);
      expect(t.rebufferMs, `rebuffer time within the measured ${stallMs[1]} ms`).toBeLessThanOrEqual(
        stallMs[1],
      );
      // On the first beacon after the first frame: the start (sent at the first frame), so a viewer
      // who leaves before the first heartbeat still reports it.
      const carrier = beacons.find((b) => b.qoe?.startupMs !== undefined)?.kind;
      expect(carrier, `the beacon that carries startupMs\n${listed}`).toBe("start");
      notes.push(
        `  sent: startupMs ${t.startups[0]} (on the ${carrier} beacon), rebufferCount ${t.rebufferCount}, rebufferMs ${t.rebufferMs}, playedMs ${t.playedMs}`,
      );
    },
  );

  step(
    "the QoE rollup shows the view, the rebuffer and a startup time within the measured bounds",
    async () => {
      const t = beaconTotals([...sent.beacons.values()]);
      const from = new Date(Date.now() - 60 * 60 * 1000).toISOString();
      const path = `/api/v1/studio/videos/${videoId}/analytics?granularity=hour&from=${encodeURIComponent(from)}`;
      const t0 = Date.now();
      let last = "";
      analytics = await poll(`the rollup to show the session (${path})`, ROLLUP_MS, async () => {
        const a = await creator.device.call<VideoAnalytics>("GET", path);
        last = `${a.status} ${a.text.slice(0, 1500)}`;
        if (a.status !== 200) return undefined;
        const q = a.body.qoe;
        return q.views >= 1 && q.rebufferCount >= 1 && q.startupTimeMedianMs !== null && a.body;
      }).catch((err: Error) => {
        throw new Error(
          `${err.message}\nlast answer: ${last}\n(computedAt null: the rollup never ran for this range — no drain after the beacons' poke?)`,
        );
      });
      notes.push(`  the rollup showed the session ${secs(t0)} after the last beacon was answered`);
      const q = analytics.qoe;
      const [lo, hi] = widen(facts.startup);
      notes.push(
        `  rollup: views ${q.views}, startup median ${q.startupTimeMedianMs} ms (bounds widened [${lo}, ${hi}]), rebufferCount ${q.rebufferCount}, rebuffer ${q.rebufferPercentage.toFixed(2)} %, watch ${q.watchTimeMs} ms`,
      );
      expect(q.views, "views").toBeGreaterThanOrEqual(1);
      expect(analytics.totals.views, "the audience totals count the view").toBeGreaterThanOrEqual(1);
      // Widened by 1.5 %: the histogram reports its bucket's middle, within 1 % of the real time.
      expect(q.startupTimeMedianMs, "the median startup within the measured bounds").toBeGreaterThanOrEqual(
        lo,
      );
      expect(q.startupTimeMedianMs, "the median startup within the measured bounds").toBeLessThanOrEqual(hi);
      // One session: its startup is the median, to the histogram's resolution.
      const sentStartup = t.startups[0] as number;
      expect(Math.abs((q.startupTimeMedianMs as number) - sentStartup) / sentStartup).toBeLessThanOrEqual(
        0.01,
      );
      // The rollup sums exactly what the edge accepted.
      expect(q.rebufferCount, "the rollup's rebuffer count is the beacons'").toBe(t.rebufferCount);
      expect(q.rebufferPercentage, "rebuffer %").toBeGreaterThan(0);
      expect(q.watchTimeMs, "watch time").toBeGreaterThan(0);
      expect(q.playbackFailurePercentage, "no failed view").toBe(0);
      expect(q.exitsBeforeStartPercentage, "no exit before start").toBe(0);
      // The hour's point of the series carries the same session.
      const hour = analytics.series.find((p) => p.views > 0);
      expect(hour?.startupTimeMedianMs, "the hour's median startup").toBe(q.startupTimeMedianMs);
      expect(hour?.rebufferPercentage ?? 0, "the hour's rebuffer %").toBeGreaterThan(0);
    },
    90_000,
  );

  step("the creator's analytics page shows the rebuffer and the startup time", async () => {
    const page = await tabOf(browser, creator);
    await page.goto(`${base}/studio/videos/${videoId}/analytics`);
    const qoe = page.getByTestId("analytics-qoe");
    await qoe.waitFor({ timeout: UI_MS }).catch(async (err: Error) => {
      const text =
        (await page
          .locator("main")
          .textContent()
          .catch(() => "")) ?? "";
      throw new Error(
        `no [data-testid=analytics-qoe] on the page: ${err.message}\npage text: ${text.slice(0, 1500)}`,
      );
    });
    /** A figure of the quality section as a person reads it: its label and its value. */
    const stat = async (key: string) => {
      const card = qoe.locator(`[data-stat="${key}"]`);
      await card.waitFor({ timeout: UI_MS });
      return {
        label: ((await card.locator("dt").textContent()) ?? "").trim(),
        value: ((await card.locator(".analytics-stat-value").textContent()) ?? "").trim(),
      };
    };
    const number = (text: string) => Number.parseFloat(text.replace(/[^\d.]/g, ""));
    const startup = await stat("startupMedian");
    const count = await stat("rebufferCount");
    const share = await stat("rebufferPercentage");
    notes.push(
      `  the page: ${startup.label} ${startup.value}; ${count.label} ${count.value}; ${share.label} ${share.value}`,
    );
    const median = analytics.qoe.startupTimeMedianMs as number;
    expect(startup.label, "the startup figure's label").toMatch(/startup/i);
    // Seconds to one decimal from 1 s up (lib/analytics.ts formatMs), ms below.
    expect(startup.value, "the median startup in seconds").toMatch(median >= 1000 ? /s/ : /ms/);
    const shown = median >= 1000 ? number(startup.value) * 1000 : number(startup.value);
    expect(
      Math.abs(shown - median),
      `the page's median startup ${startup.value} is the API's ${median} ms`,
    ).toBeLessThanOrEqual(median >= 1000 ? 51 : 0.5);
    expect(count.label, "the rebuffer count's label").toMatch(/rebuffer/i);
    expect(number(count.value), "the rebuffers shown").toBe(analytics.qoe.rebufferCount);
    expect(share.label, "the rebuffering share's label").toMatch(/rebuffer/i);
    expect(number(share.value), `the rebuffering share shown (${share.value})`).toBeGreaterThan(0);
  });
});
