// Helpers of the billing end-to-end test: accounts as "devices" (their own login, User-Agent and
// token), the payments sandbox's test controls, the hosted pages a person clicks through, and what
// the test reads from the edge (billing state, playback, the dev mailbox).
import { type Browser, chromium, type Page } from "playwright-core";
import { expect } from "vitest";
import { sleep } from "../../scripts/lib/processes";
import { CHROMIUM, CHROMIUM_ARGS } from "./lib";
import { Api, signUpCreator } from "./media-lib";
import { type Media, TAG } from "./web-lib";

export const PASSWORD = "a long billing test password";
export const DAY = 24 * 60 * 60;

/** Browsers of three makers on three systems: the edge labels each stream by its device. */
export const USER_AGENTS = [
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
  "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
  "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
] as const;

export interface Tokens {
  accessToken: string;
  refreshToken: string;
  accountId: string;
  profileId: string | null;
}

export type Answer<T = Record<string, unknown>> = { status: number; body: T; text: string };

/** One signed-in session of an account, speaking with its own User-Agent (a phone, a laptop…). */
export class Device {
  tokens: Tokens | null = null;

  constructor(
    readonly base: string,
    readonly userAgent: string = USER_AGENTS[0],
  ) {}

  async call<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<Answer<T>> {
    const res = await fetch(new URL(path, this.base), {
      method,
      headers: {
        "user-agent": this.userAgent,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...(this.tokens ? { authorization: `Bearer ${this.tokens.accessToken}` } : {}),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = { raw: text.slice(0, 400) };
    }
    return { status: res.status, body: parsed as T, text };
  }

  /** `call` that insists on one status and says what came instead. */
  async expect<T = Record<string, unknown>>(
    method: string,
    path: string,
    status: number,
    body?: unknown,
  ): Promise<T> {
    const a = await this.call<T>(method, path, body);
    if (a.status !== status)
      throw new Error(`${method} ${path}: expected ${status}, got ${a.status}: ${a.text.slice(0, 600)}`);
    return a.body;
  }

  async signUp(email: string, displayName: string): Promise<this> {
    this.tokens = await this.expect<Tokens>("POST", "/api/v1/auth/signup", 201, {
      email,
      password: PASSWORD,
      displayName,
    });
    return this;
  }

  /** A new session of the same account (its own refresh token): another device. */
  async login(email: string): Promise<this> {
    this.tokens = await this.expect<Tokens>("POST", "/api/v1/auth/login", 200, { email, password: PASSWORD });
    return this;
  }
}

export const emailOf = (who: string) => `${who}-${TAG}@example.test`;

export async function newViewer(base: string, who: string): Promise<{ email: string; device: Device }> {
  const email = emailOf(who);
  return { email, device: await new Device(base).signUp(email, who) };
}

/** A tab in a context of its own (its own User-Agent), signed in with the device's session. */
export async function signedInTab(browser: Browser, d: Device, userAgent?: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, userAgent });
  const page = await context.newPage();
  if (!d.tokens) throw new Error("not signed in");
  await signIntoBrowser(page, d.base, d.tokens);
  return page;
}

/** A creator (an account with a channel) through the API. */
export async function newCreator(base: string): Promise<Api> {
  const who = { email: emailOf("creator"), password: PASSWORD, displayName: "Creator" };
  return signUpCreator(new Api(base), { ...who, handle: `bill_${TAG}`, channelName: "Billing E2E" });
}

/** Signs a browser context in the way the web app keeps a session: localStorage "marquee.session". */
export async function signIntoBrowser(page: Page, base: string, tokens: Tokens): Promise<void> {
  await page.goto(`${base}/`);
  await page.evaluate((t) => localStorage.setItem("marquee.session", JSON.stringify(t)), {
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    accountId: tokens.accountId,
    profileId: tokens.profileId,
  });
}

// ---- what the edge says ----

export interface Entitlements {
  plan: string;
  maxHeight: number;
  adFree: boolean;
  streams: number;
  premiumContent: boolean;
}

export interface Billing {
  entitlements: Entitlements;
  subscription: null | {
    provider: string;
    planId: string;
    interval: string;
    status: string;
    cancelAtPeriodEnd: boolean;
    currentPeriodEnd: string | null;
    graceEndsAt: string | null;
    accessEndsAt: string | null;
  };
  lastPaymentProblem: string | null;
}

export interface Invoice {
  id: string;
  amountCents: number;
  currency: string;
  status: "paid" | "failed";
}

export const billingOf = (d: Device) => d.expect<Billing>("GET", "/api/v1/me/billing", 200);

export async function invoicesOf(d: Device): Promise<Invoice[]> {
  return (await d.expect<{ items: Invoice[] }>("GET", "/api/v1/me/billing/invoices?limit=50", 200)).items;
}

export interface Playback {
  maxHeight: number;
  manifestUrl: string;
  streamId: string | null;
  heartbeatSeconds: number | null;
  sourceHeight: number | null;
}

export interface Problem {
  code?: string;
  title?: string;
  detail?: string;
  requiredPlan?: string;
  activeStreams?: { streamId: string; profileId: string | null; device: string; startedAt: string }[];
}

/**
 * Asks for playback the way a player would and, if granted, ends the stream at once: a peek holds no
 * slot. A browser signed in with this session shares the stream: its player may end it first (404).
 */
export async function peekPlayback(d: Device, videoId: string): Promise<Answer<Playback & Problem>> {
  const a = await d.call<Playback & Problem>("GET", `/api/v1/videos/${videoId}/playback`);
  if (a.status !== 200 || !a.body.streamId) return a;
  const ended = await d.call("DELETE", `/api/v1/playback/streams/${a.body.streamId}`);
  if (ended.status !== 204 && ended.status !== 404) throw new Error(`DELETE stream: ${ended.text}`);
  return a;
}

/** What the account may play now: the public video's cap and whether the premium one opens. */
export async function accessOf(d: Device, publicId: string, premiumId: string) {
  const pub = await peekPlayback(d, publicId);
  const prem = await peekPlayback(d, premiumId);
  expect(pub.status, pub.text).toBe(200);
  return { maxHeight: pub.body.maxHeight, premium: prem.status, premiumCode: prem.body.code };
}

/** Heights the master playlist a playback grant points at offers (what hls.js can pick from). */
export async function masterHeights(manifestUrl: string): Promise<number[]> {
  const master = await (await fetch(manifestUrl)).text();
  return [...master.matchAll(/RESOLUTION=\d+x(\d+)/g)].map((m) => Number(m[1])).sort((a, b) => a - b);
}

/** Polls `probe` every 200 ms until it returns a value (not undefined or false); throws after `ms`. */
export async function eventually<T>(
  what: string,
  ms: number,
  probe: () => Promise<T | undefined | false>,
): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  while (true) {
    try {
      const got = await probe();
      if (got !== undefined && got !== false) return got;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${ms} ms waiting for ${what}${last ? ` (last: ${(last as Error).message ?? last})` : ""}`,
      );
    await sleep(200);
  }
}

/** The dev mailer's messages to one address, newest first. */
export async function mailbox(base: string, to: string): Promise<{ subject: string; text: string }[]> {
  const res = await fetch(`${base}/dev/mailbox?to=${encodeURIComponent(to)}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { email: { subject: string; text: string }[] }).email;
}

// ---- the payments sandbox ----

export interface WebhookLogEntry {
  provider: "stripe" | "paypal";
  eventId: string;
  type: string;
  orderKey: string;
  status: "pending" | "delivered" | "failed" | "skipped";
  attempts: { at: string; status: number | null; error?: string }[];
}

export class Sandbox {
  constructor(readonly url: string) {}

  async control<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.url}/__control/${path}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (res.status < 200 || res.status >= 300)
      throw new Error(`sandbox ${method} /__control/${path}: ${res.status}: ${text.slice(0, 400)}`);
    return (text ? JSON.parse(text) : null) as T;
  }

  advance(seconds: number) {
    return this.control("POST", "clock/advance", { seconds });
  }

  async webhooks(): Promise<WebhookLogEntry[]> {
    const got = await this.control<WebhookLogEntry[] | { items: WebhookLogEntry[] }>("GET", "webhooks");
    return Array.isArray(got) ? got : got.items;
  }

  /** An account's Stripe subscription id, from the sandbox's Stripe API (metadata.accountId, as the edge sets it). */
  async stripeSubscriptionOf(accountId: string): Promise<string> {
    const res = await fetch(`${this.url}/v1/subscriptions?limit=100`, {
      headers: { authorization: "Bearer sk_test_marquee_sandbox" },
    });
    const subs = ((await res.json()) as { data: { id: string; metadata: Record<string, string> }[] }).data;
    const sub = subs.find((s) => s.metadata.accountId === accountId);
    if (!sub) throw new Error(`no Stripe subscription of ${accountId} in the sandbox`);
    return sub.id;
  }

  /** Waits until every delivery logged so far has ended (delivered, failed or skipped). */
  async settled(ms = 30_000): Promise<WebhookLogEntry[]> {
    return eventually("the sandbox's webhook deliveries to settle", ms, async () => {
      const log = await this.webhooks();
      return log.every((e) => e.status !== "pending") ? log : undefined;
    });
  }
}

const sandboxPageTimeout = 30_000;

export const launchChromium = () =>
  chromium.launch({
    executablePath: CHROMIUM,
    args: [...CHROMIUM_ARGS, "--autoplay-policy=no-user-gesture-required"],
  });

/** Clicks the hosted page's "Pay" and waits until the browser is back on Marquee. */
export async function clickPay(page: Page, base: string): Promise<number> {
  const pay = page.getByRole("button", { name: "Pay", exact: true });
  await pay.waitFor({ timeout: sandboxPageTimeout });
  const clickedAt = Date.now();
  await pay.click();
  await page.waitForURL((u) => u.toString().startsWith(base), { timeout: sandboxPageTimeout });
  return clickedAt;
}

export interface CheckoutRequest {
  planId: string;
  interval: "month" | "year";
  provider: "stripe" | "paypal";
}

/** `POST /me/billing/checkout` → the provider's hosted page. */
export async function checkout(d: Device, body: CheckoutRequest): Promise<string> {
  const a = await d.call<{ url: string }>("POST", "/api/v1/me/billing/checkout", body);
  if (a.status !== 200 && a.status !== 201)
    throw new Error(`POST /api/v1/me/billing/checkout: ${a.status}: ${a.text.slice(0, 600)}`);
  return a.body.url;
}

/** Subscribes an account through the API and the sandbox's hosted page (no Marquee page involved). */
export async function subscribe(browser: Browser, d: Device, body: CheckoutRequest): Promise<void> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(await checkout(d, body));
  await clickPay(page, d.base);
  await context.close();
}

/** Waits until the account's billing state passes `test`; returns it then. */
export const billingWhen = (d: Device, what: string, test: (b: Billing) => boolean, ms = 10_000) =>
  eventually(what, ms, async () => {
    const b = await billingOf(d);
    return test(b) && b;
  });

/** Waits until the account's entitlements name `plan`. */
export const planIs = (d: Device, plan: string, ms = 10_000) =>
  billingWhen(d, `the account's plan to be ${plan}`, (b) => b.entitlements.plan === plan, ms);

/** Sends real heartbeats for a stream every `everyMs` until stopped; records each answer's status. */
export function heartbeating(d: Device, streamId: string, everyMs = 2000) {
  const statuses: number[] = [];
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      // 0: no answer at all (the edge unreachable): recorded, so the test sees it, never thrown.
      const sent = d.call("POST", `/api/v1/playback/streams/${streamId}/heartbeat`);
      statuses.push(await sent.then((a) => a.status).catch(() => 0));
      await sleep(everyMs);
    }
  })();
  return {
    statuses,
    async stop() {
      stopped = true;
      await loop;
    },
  };
}

// ---- the player in the page ----

type Looping = Media & { loop: boolean };

/** The watch page's player: muted, played, until it has played `seconds` (replaying a short clip). */
export async function playsOn(page: Page, seconds: number, ms = 30_000): Promise<void> {
  const video = page.getByTestId("player-video");
  await video.waitFor({ timeout: ms });
  const start = await video.evaluate((v: Looping) => {
    v.muted = true;
    // Looping: the short clip never ends (the player ends its stream on `ended`).
    v.loop = true;
    v.play().catch(() => undefined);
    return v.currentTime;
  });
  let played = 0;
  let last = start;
  const deadline = Date.now() + ms;
  while (played < seconds) {
    if (Date.now() > deadline)
      throw new Error(`the player played ${played.toFixed(2)} s of ${seconds} in ${ms} ms`);
    const now = await video.evaluate((v: Media) => {
      if (v.error) throw new Error(`media error ${v.error.code}: ${v.error.message}`);
      // The clips are short: play them again rather than wait on an ended video.
      if (v.ended) {
        v.currentTime = 0;
        v.play().catch(() => undefined);
      }
      return v.currentTime;
    });
    if (now > last) played += now - last;
    last = now;
    await sleep(100);
  }
}

/** The quality menu's renditions (hls.js levels: value = level index, text "1080p"). */
export async function menuLevels(page: Page): Promise<{ value: string; height: number }[]> {
  const options = await page
    .getByTestId("quality-menu")
    .locator("option")
    .evaluateAll((os: { value: string; textContent: string | null; disabled: boolean }[]) =>
      os.map((o) => ({ value: o.value, text: o.textContent ?? "", disabled: o.disabled })),
    );
  return options
    .filter((o) => Number(o.value) >= 0 && !o.disabled)
    .map((o) => ({ value: o.value, height: Number.parseInt(o.text, 10) }));
}

/**
 * Notes, inside the page, when its player first plays past 0.25 s and when its frames are first
 * `height` tall (Date.now(): the test's clock). Events, not polls: a 2 s clip that ended before the
 * test looked still counts, and nothing here plays the video for the page.
 */
export const watchPlayer = (page: Page, height: number) =>
  // A string: the tests' tsconfig has no DOM.
  page.evaluate(`(() => {
    const seen = (window.__player = { playing: null, height: null });
    const note = (e) => {
      const v = e.target;
      if (!(v instanceof HTMLVideoElement)) return;
      if (seen.playing === null && !v.paused && v.currentTime > 0.25) seen.playing = Date.now();
      if (seen.height === null && v.videoHeight === ${height}) seen.height = Date.now();
    };
    for (const type of ["timeupdate", "resize", "playing"]) document.addEventListener(type, note, true);
  })()`);

/** When `watchPlayer` saw the page's player first play and first show its height (undefined: not yet). */
export async function seenInPlayer(page: Page, what: "playing" | "height"): Promise<number | undefined> {
  const seen = (await page.evaluate("window.__player")) as Record<string, number | null>;
  return seen[what] ?? undefined;
}

/** The page's requests to the streams API (heartbeats, DELETE), as they are sent. */
export function streamCalls(page: Page): { method: string; url: string; at: number }[] {
  const calls: { method: string; url: string; at: number }[] = [];
  page.on("request", (r) => {
    if (r.url().includes("/playback/streams/"))
      calls.push({ method: r.method(), url: r.url(), at: Date.now() });
  });
  return calls;
}

/** Leaves the page inside the app, the way a link does: the router unmounts what was showing. */
export const leaveInApp = (page: Page, path = "/") =>
  // A string: the tests' tsconfig has no DOM.
  page.evaluate(
    `history.pushState({}, "", ${JSON.stringify(path)}); dispatchEvent(new PopStateEvent("popstate"))`,
  );
