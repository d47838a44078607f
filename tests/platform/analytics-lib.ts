// Helpers of the analytics end-to-end test (analytics.test.ts): Chromium's network emulation over
// CDP, what the watch page's <video> did as seen from inside the page (recorded with the page's own
// clock), the bounds the test derives from that for the player's startup and rebuffer figures, and
// the playback beacons the page sent.
import { mkdirSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import type { CDPSession, Page } from "playwright-core";
import { ROOT } from "./lib";
import type { Person } from "./moderation-lib";

export const ARTIFACTS = join(ROOT, "artifacts/analytics");

/** Every person's open tab, screenshotted into artifacts/analytics/ (after a failed step). */
export async function screenshotTabs(people: Person[], step: string): Promise<string[]> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const slug = step.replace(/[^a-z0-9]+/gi, "-").slice(0, 60);
  const written: string[] = [];
  for (const p of people) {
    if (!p.page || p.page.isClosed()) continue;
    const path = join(ARTIFACTS, `${slug}-${p.name}.png`);
    // A tab that cannot be drawn any more is not worth failing the report of the real failure.
    await p.page.screenshot({ path, fullPage: true, timeout: 10_000 }).then(
      () => written.push(path),
      () => undefined,
    );
  }
  return written;
}

// ---- the network ----

/** What `Network.emulateNetworkConditions` takes: bytes per second (-1: not throttled), ms. */
export interface Conditions {
  latency: number;
  downloadThroughput: number;
  uploadThroughput: number;
}

const kbps = (k: number) => (k * 1000) / 8;

/**
 * Before the play request: a slow connection (2 Mbit/s, 150 ms per request), so the first 4 s
 * segments (hls.js may start on the top rung: ~700 kB of 480p video, 64 kB of audio) take seconds to
 * come and the startup is measurably long, while the buffer holds no more than a segment or two by
 * the first frame.
 */
export const STARTUP: Conditions = { latency: 150, downloadThroughput: kbps(2000), uploadThroughput: -1 };
/**
 * From the first frame: 32 kbit/s, a tenth of the lowest rung's rate, so the next segment cannot
 * arrive before the buffered one has played out: the buffer runs dry (a rebuffer). Uploads stay
 * unthrottled: the beacons are what the test is about.
 */
export const STARVED: Conditions = { latency: 150, downloadThroughput: kbps(32), uploadThroughput: -1 };
/** Lifted: no emulation. */
export const OPEN: Conditions = { latency: 0, downloadThroughput: -1, uploadThroughput: -1 };

/** A CDP session on the page with the network domain on (what network emulation needs). */
export async function networkOf(page: Page): Promise<CDPSession> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  return cdp;
}

export const emulate = (cdp: CDPSession, c: Conditions) =>
  cdp.send("Network.emulateNetworkConditions", { offline: false, ...c });

// ---- hls.js in the page ahead of time ----

/**
 * The built hls.js chunk's path as the edge serves it (apps/web/dist, rebuilt by the platform's
 * `vite build --watch`), or null. The player imports it on the play request; importing it first
 * (unthrottled) puts it in the page's module map, so the startup the test throttles is the media's,
 * not half a megabyte of script's.
 */
export function hlsChunkPath(): string | null {
  const assets = join(ROOT, "apps/web/dist/assets");
  // The newest: `vite build --watch --no-emptyOutDir` leaves the chunks of earlier builds beside it.
  const [newest] = readdirSync(assets)
    .filter((f) => /^hls-[\w-]+\.js$/.test(f))
    .map((f) => ({ f, at: statSync(join(assets, f)).mtimeMs }))
    .sort((a, b) => b.at - a.at);
  return newest ? `/assets/${newest.f}` : null;
}

/** Imports the chunk in the page; false when that failed (the player then loads it itself). */
export const preloadHls = (page: Page, url: string) =>
  page.evaluate(`import(${JSON.stringify(url)}).then(() => true, () => false)`) as Promise<boolean>;

// ---- what the <video> did, seen from the page ----

/** One media event of the watch page's player: `t` is the page's performance.now(). */
export interface MediaEvent {
  type: string;
  t: number;
  /** currentTime then (s). */
  at: number;
}

export interface Recorded {
  /** performance.now() just before the test's `video.play()`: the play request. */
  requestAt: number | null;
  events: MediaEvent[];
}

/**
 * Runs in the watch page (a string: the tests' tsconfig has no DOM): notes every media event of the
 * player's <video> at its Event.timeStamp (performance.now()'s clock: the time the player reads too,
 * whatever listener runs first). Listeners on the document in the capture phase see the
 * events of a <video> mounted later (media events do not bubble, but capture reaches them).
 */
export const RECORD_MEDIA = `
  window.__qoe = { requestAt: null, events: [] };
  for (const type of ["play", "playing", "waiting", "stalled", "seeking", "seeked", "pause", "ended", "loadeddata", "timeupdate", "error"])
    document.addEventListener(type, (e) => {
      const v = e.target;
      if (!(v instanceof HTMLVideoElement) || v.dataset.testid !== "player-video") return;
      window.__qoe.events.push({ type, t: e.timeStamp, at: v.currentTime });
    }, true);
`;

/** The play request: muted (no sound in a test run), the time noted first, the promise not awaited. */
export const PLAY = `(() => {
  const v = document.querySelector('[data-testid="player-video"]');
  v.muted = true;
  window.__qoe.requestAt = performance.now();
  // Attaching hls.js resets the element, which rejects this play's promise (AbortError); the player
  // plays again itself once hls.js has the manifest.
  v.play().catch(() => undefined);
  return window.__qoe.requestAt;
})()`;

export const recorded = (page: Page) => page.evaluate("window.__qoe") as Promise<Recorded>;

/**
 * Waits until the page's player fired `type` (after the first `after` event, when given). A function,
 * not a string: the page's CSP has no 'unsafe-eval', which a string predicate would need.
 */
export const eventSeen = (page: Page, type: string, options: { after?: string; timeout: number }) =>
  page.waitForFunction(
    ([want, after]) => {
      const q = (globalThis as unknown as { __qoe: Recorded }).__qoe;
      const since = after ? q.events.find((e) => e.type === after)?.t : Number.NEGATIVE_INFINITY;
      return since !== undefined && q.events.some((e) => e.type === want && e.t > since);
    },
    [type, options.after ?? null] as const,
    { timeout: options.timeout, polling: 20 },
  );

/** A stall: `waiting` after the first frame, not in a seek, until the next `playing`. */
export interface Stall {
  from: number;
  /** The next `playing` (null: still stalled). */
  playing: number | null;
  /** The first `timeupdate` after that with currentTime moved on (null: none yet). */
  moved: number | null;
}

export interface Facts {
  requestAt: number;
  /** The first `play` event: the latest a player can take as its play request. */
  firstPlay: number;
  /** The earliest sign of the first frame: the first `loadeddata` or `playing` after the request. */
  frameEarliest: number;
  /** The latest: the first `playing`, or the first `timeupdate` moved past its position, whichever later. */
  frameLatest: number;
  /** Startup bounds (ms) any honest player's play request → first frame falls in. */
  startup: [number, number];
  stalls: Stall[];
  ended: boolean;
  /** The `waiting` events after the first frame (a stall may have more than one). */
  waitingEvents: number;
}

/** Slack for a player that takes its times from a listener of its own (a task later than ours). */
export const EVENT_SLACK_MS = 50;

/**
 * What the test measured, from the page's events: startup bounds and stalls. Null fields when the
 * events do not show it yet (no first frame). Pure: unit-testable on a made-up event list.
 */
export function factsOf(r: Recorded): Facts | null {
  if (r.requestAt === null) return null;
  const after = r.events.filter((e) => e.t >= (r.requestAt as number));
  const firstPlay = after.find((e) => e.type === "play");
  const playing = after.find((e) => e.type === "playing");
  if (!firstPlay || !playing) return null;
  const loaded = after.find((e) => e.type === "loadeddata");
  const moved = after.find((e) => e.type === "timeupdate" && e.t >= playing.t && e.at > playing.at);
  const frameEarliest = Math.min(playing.t, loaded?.t ?? Number.POSITIVE_INFINITY);
  const frameLatest = Math.max(playing.t, moved?.t ?? playing.t);
  const stalls: Stall[] = [];
  let seeking = false;
  // The stall under way and the playhead's position when it began.
  let open: { stall: Stall; at: number } | null = null;
  let waitingEvents = 0;
  for (const e of after.filter((x) => x.t > playing.t)) {
    if (e.type === "seeking") seeking = true;
    else if (e.type === "seeked") seeking = false;
    else if (e.type === "waiting" && !seeking) {
      waitingEvents += 1;
      if (!open) {
        open = { stall: { from: e.t, playing: null, moved: null }, at: e.at };
        stalls.push(open.stall);
      }
    } else if (open && e.type === "playing" && open.stall.playing === null) open.stall.playing = e.t;
    else if (open && e.type === "timeupdate" && open.stall.playing !== null && e.at > open.at) {
      open.stall.moved = e.t;
      open = null;
    }
  }
  return {
    requestAt: r.requestAt,
    firstPlay: firstPlay.t,
    frameEarliest,
    frameLatest,
    // Lower: from the last moment a player could call its request (the first `play` event) to the
    // first sign of a frame; upper: from the test's own call to the last sign, plus a task's slack.
    startup: [
      Math.max(0, Math.floor(frameEarliest - firstPlay.t - EVENT_SLACK_MS)),
      Math.ceil(frameLatest - r.requestAt + EVENT_SLACK_MS),
    ],
    stalls,
    ended: after.some((e) => e.type === "ended"),
    waitingEvents,
  };
}

/** The most stalled time (ms) a player could report for the stalls: each until the playhead moved again. */
export function stallUpperMs(stalls: Stall[], now: number): number {
  return Math.ceil(
    stalls.reduce((sum, s) => sum + ((s.moved ?? s.playing ?? now) - s.from) + EVENT_SLACK_MS, 0),
  );
}

/** The least: each until the next `playing`. */
export function stallLowerMs(stalls: Stall[]): number {
  return Math.floor(stalls.reduce((sum, s) => sum + ((s.playing ?? s.from) - s.from), 0));
}

// ---- the beacons the page sent ----

export interface SentQoe {
  startupMs?: number;
  rebufferCount?: number;
  rebufferMs?: number;
  renditions?: Record<string, { playedMs: number; rebufferMs: number }>;
  switches?: number;
  error?: { type: string; details?: string };
}

export interface SentBeacon {
  id: string;
  videoId: string;
  sessionId: string;
  kind: string;
  positionMs: number;
  playedMs?: number;
  occurredAt: string;
  source?: string;
  playerVersion?: string;
  qoe?: SentQoe;
}

export interface BeaconAnswer {
  status: number;
  accepted?: number;
  rejected?: { id: string; reason: string }[];
}

export interface Captured {
  /** By id: a retried batch counts once. */
  beacons: Map<string, SentBeacon>;
  /** POSTs sent, and the answers to them so far. */
  posts: number;
  /** POSTs whose body could not be read (with why). */
  unread: string[];
  answers: BeaconAnswer[];
}

interface SentRequest {
  requestId: string;
  request: { url: string; method: string; postData?: string; postDataEntries?: { bytes?: string }[] };
}

/**
 * Every beacon the page POSTs to /api/v1/events/playback, and the edge's answers. The bodies come
 * from CDP (`requestWillBeSent`, else `getRequestPostData`): the page's API client sends a Request
 * object, whose body Playwright's `request.postData()` does not see.
 */
export function captureBeacons(page: Page, cdp: CDPSession): Captured {
  const captured: Captured = { beacons: new Map(), posts: 0, unread: [], answers: [] };
  const isBeacons = (method: string, url: string) =>
    method === "POST" && new URL(url).pathname === "/api/v1/events/playback";
  const bodyOf = async ({ requestId, request }: SentRequest): Promise<string> => {
    if (request.postData) return request.postData;
    const entries = request.postDataEntries ?? [];
    if (entries.length)
      return entries.map((e) => Buffer.from(e.bytes ?? "", "base64").toString("utf8")).join("");
    return (await cdp.send("Network.getRequestPostData", { requestId })).postData;
  };
  cdp.on("Network.requestWillBeSent", (sent: SentRequest) => {
    if (!isBeacons(sent.request.method, sent.request.url)) return;
    captured.posts += 1;
    void bodyOf(sent).then(
      (text) => {
        const body = JSON.parse(text) as { beacons?: SentBeacon[] };
        for (const b of body.beacons ?? []) captured.beacons.set(b.id, b);
      },
      (err: Error) => captured.unread.push(`${sent.requestId}: ${err.message}`),
    );
  });
  const answered = async (status: number, body: Promise<unknown>) => {
    const parsed = (await body.catch(() => ({}))) as Omit<BeaconAnswer, "status">;
    captured.answers.push({ status, ...parsed });
  };
  page.on("response", (res) => {
    if (isBeacons(res.request().method(), res.url())) void answered(res.status(), res.json());
  });
  // A POST that got no answer at all (the page went away, the network failed): status 0.
  page.on("requestfailed", (r) => {
    if (isBeacons(r.method(), r.url())) captured.answers.push({ status: 0 });
  });
  return captured;
}

/** The beacons (in the order sent) and the answers, one line each: for notes and failure messages. */
export function describeSent(c: Captured): string {
  const beacons = [...c.beacons.values()].map(
    (b) =>
      `${b.kind} @${b.occurredAt} pos=${b.positionMs} played=${b.playedMs ?? "-"} qoe=${JSON.stringify(b.qoe ?? {})}`,
  );
  const answers = c.answers.map((a) => JSON.stringify(a));
  const unread = c.unread.length ? `\nunread bodies: ${c.unread.join("; ")}` : "";
  return `${c.posts} POST(s), ${c.answers.length} answer(s)\n${beacons.join("\n")}\nanswers: ${answers.join(" ")}${unread}`;
}

/** The sums a rollup of these beacons must show. */
export function beaconTotals(beacons: SentBeacon[]) {
  const startups = beacons.map((b) => b.qoe?.startupMs).filter((s): s is number => s !== undefined);
  return {
    kinds: beacons.map((b) => b.kind),
    sessions: new Set(beacons.map((b) => b.sessionId)).size,
    startups,
    rebufferCount: beacons.reduce((s, b) => s + (b.qoe?.rebufferCount ?? 0), 0),
    rebufferMs: beacons.reduce((s, b) => s + (b.qoe?.rebufferMs ?? 0), 0),
    playedMs: beacons.reduce((s, b) => s + (b.playedMs ?? 0), 0),
  };
}

// ---- the API's answer ----

export interface QoeFigures {
  views: number;
  watchTimeMs: number;
  startupTimeMedianMs: number | null;
  startupTimeP90Ms: number | null;
  rebufferPercentage: number;
  rebufferCount: number;
  playbackFailurePercentage: number;
  exitsBeforeStartPercentage: number;
}

export interface VideoAnalytics {
  videoId: string;
  computedAt: string | null;
  totals: { views: number; watchTimeMs: number; uniqueViewers: number };
  qoe: QoeFigures;
  series: { start: string; views: number; startupTimeMedianMs: number | null; rebufferPercentage: number }[];
}

/**
 * The histogram reports a bucket's geometric middle, within 1 % of every time in the bucket
 * (rollup/histogram.ts): bounds on a measured time are widened by 1.5 % (1 % and rounding room) for
 * the median the rollup reports.
 */
export const widen = ([lo, hi]: [number, number], by = 0.015): [number, number] => [
  Math.floor(lo / (1 + by)),
  Math.ceil(hi * (1 + by)),
];
