// Helpers of the ads end-to-end test and of bench/ads.ts: roles through the admin API, a campaign
// with its creative through the campaign API and the signed upload, the moderator's approval, and
// what a player reads (media playlists, the ad break's DATERANGE). Plain fetch and ApiClient only
// (no vitest): bench/ads.ts runs them under Bun.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import type { Page } from "playwright-core";
import { ApiClient } from "../../scripts/lib/api-client";
import { REPO_ROOT } from "../../scripts/lib/dev-vars";

/** The advertiser's landing page: https, not the platform's host, no credentials. */
export const CLICK_THROUGH = "https://advertiser.example/landing?from=marquee";

export interface Spend {
  impressions: number;
  spentMillicents: number;
  spentCents: number;
  todayMillicents: number;
}

export interface Campaign {
  id: string;
  name: string;
  status: string;
  clickThroughUrl: string;
  cpmBidCents: number;
  frequencyCapPerDay: number;
  kidsSafe: boolean;
  creative: null | {
    videoId: string;
    status: string;
    progress: number;
    durationMs: number | null;
    posterUrl: string | null;
  };
  spend: Spend;
}

export interface PlaybackAd {
  sessionId: string;
  campaignId: string;
  durationMs: number;
  title: string;
  clickUrl: string;
}

export interface AdPlayback {
  manifestUrl: string;
  streamId: string | null;
  durationMs: number | null;
  ad: PlaybackAd | null;
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` every 250 ms until it returns a value (not undefined/false); throws after `ms`. */
export async function poll<T>(what: string, ms: number, probe: () => Promise<T | undefined | false>) {
  const deadline = Date.now() + ms;
  let last = "";
  for (;;) {
    try {
      const got = await probe();
      if (got !== undefined && got !== false) return got;
    } catch (err) {
      last = (err as Error).message;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what} ${last}`);
    await wait(250);
  }
}

/** Signs a new account up; the client then holds its token. */
export async function signUp(base: string, email: string, displayName: string) {
  const api = new ApiClient(base);
  const body = { email, password: "a long ads test password", displayName };
  const pair = await api.call<{ accessToken: string; accountId: string }>(
    "POST",
    "/api/v1/auth/signup",
    body,
    201,
  );
  api.token = pair.accessToken;
  return { api, accountId: pair.accountId };
}

/** The first admin, made the way an operator does (`bun run admin:create` on the state dir), signed in. */
export async function makeAdmin(base: string, stateDir: string, email: string): Promise<ApiClient> {
  const password = "a long ads admin password";
  // admin:create writes the running edge's local D1 file from a second workerd (wrangler's), so it
  // can meet the edge's own write lock (SQLITE_BUSY): tried again after a pause, as an operator would.
  for (let attempt = 1; ; attempt++) {
    const failure = await promisify(execFile)(
      "bun",
      ["run", "admin:create", "--email", email, "--password", password],
      { cwd: REPO_ROOT, env: { ...process.env, MARQUEE_STATE_DIR: stateDir } },
    ).then(
      () => null,
      (err: { stderr?: string; message: string }) => err.stderr || err.message,
    );
    if (failure === null) break;
    if (attempt >= 5 || !/SQLITE_BUSY|database is locked/.test(failure)) {
      throw new Error(`admin:create: ${failure}`);
    }
    await new Promise((done) => setTimeout(done, 1000 * attempt));
  }
  const admin = new ApiClient(base);
  await admin.login(email, password);
  return admin;
}

/** PUT /admin/users/{id}/role (viewer is always kept). */
export const grantRoles = (admin: ApiClient, accountId: string, roles: string[]) =>
  admin.call("PUT", `/api/v1/admin/users/${accountId}/role`, { roles }, 200);

type Upload =
  | { kind: "single"; url: string; headers?: Record<string, string> }
  | { kind: "multipart"; parts: { url: string; size: number }[] };

async function put(url: string, bytes: Uint8Array, headers: Record<string, string> = {}) {
  const res = await fetch(url, { method: "PUT", body: bytes, headers });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`PUT upload: ${res.status} ${text.slice(0, 300)}`);
}

/** Sends a file with the signed upload the API handed out (one PUT or the parts). */
export async function sendUpload(upload: Upload, bytes: Uint8Array): Promise<void> {
  if (upload.kind === "single") return put(upload.url, bytes, upload.headers);
  let offset = 0;
  for (const part of upload.parts) {
    await put(part.url, bytes.subarray(offset, offset + part.size));
    offset += part.size;
  }
}

/** A content video through POST /videos + the signed upload + upload-complete; returns its id. */
export async function uploadContent(
  creator: ApiClient,
  path: string,
  title: string,
  maturity = "teen",
): Promise<string> {
  const bytes = new Uint8Array(readFileSync(path));
  const created = await creator.call<{ video: { id: string }; upload: Upload }>(
    "POST",
    "/api/v1/videos",
    { title, maturity, upload: { size: bytes.length, contentType: "video/mp4" } },
    201,
  );
  await sendUpload(created.upload, bytes);
  await creator.call("POST", `/api/v1/videos/${created.video.id}/upload-complete`, undefined, 202);
  return created.video.id;
}

export async function videoReady(api: ApiClient, id: string, ms = 240_000): Promise<void> {
  await poll(`video ${id} to be ready`, ms, async () => {
    const v = await api.call<{ status: string }>("GET", `/api/v1/videos/${id}`, undefined, 200);
    if (v.status === "failed") throw new Error(`video ${id} failed`);
    return v.status === "ready";
  });
}

export const campaignOf = (advertiser: ApiClient, id: string) =>
  advertiser.call<Campaign>("GET", `/api/v1/ads/campaigns/${id}`, undefined, 200);

/** A draft campaign: asap pacing and a budget no test run can spend. */
export const createCampaign = (advertiser: ApiClient, name: string, extra: Record<string, unknown> = {}) =>
  advertiser.call<Campaign>(
    "POST",
    "/api/v1/ads/campaigns",
    {
      name,
      clickThroughUrl: CLICK_THROUGH,
      totalBudgetCents: 1_000_000,
      dailyBudgetCents: 500_000,
      cpmBidCents: 800,
      pacing: "asap",
      frequencyCapPerDay: 50,
      ...extra,
    },
    201,
  );

/** The creative: POST …/creative, the signed upload, upload-complete; returns the creative's video id. */
export async function uploadCreative(advertiser: ApiClient, campaignId: string, path: string) {
  const bytes = new Uint8Array(readFileSync(path));
  const created = await advertiser.call<{ video: { id: string }; upload: Upload }>(
    "POST",
    `/api/v1/ads/campaigns/${campaignId}/creative`,
    { title: "E2E creative", upload: { size: bytes.length, contentType: "video/mp4" } },
    201,
  );
  await sendUpload(created.upload, bytes);
  await advertiser.call("POST", `/api/v1/videos/${created.video.id}/upload-complete`, undefined, 202);
  return created.video.id;
}

/** Waits until the campaign's creative is transcoded (the origin's ad ladder). */
export const creativeReady = (advertiser: ApiClient, campaignId: string, ms = 240_000) =>
  poll(`campaign ${campaignId}'s creative to be ready`, ms, async () => {
    const c = await campaignOf(advertiser, campaignId);
    if (c.creative?.status === "failed") throw new Error(`creative failed: ${JSON.stringify(c.creative)}`);
    return c.creative?.status === "ready" && c;
  });

/** The advertiser submits; the moderator finds it in the review list and approves: `active`. */
export async function submitAndApprove(advertiser: ApiClient, moderator: ApiClient, id: string) {
  await advertiser.call("PATCH", `/api/v1/ads/campaigns/${id}`, { status: "in_review" }, 200);
  const list = await moderator.call<{ items: { id: string; updatedAt: string }[] }>(
    "GET",
    "/api/v1/moderation/ad-reviews?limit=50",
    undefined,
    200,
  );
  const item = list.items.find((c) => c.id === id);
  if (!item) throw new Error(`${id} is not in the review list`);
  // The decision names the version the moderator saw (a change since is a 409).
  const decision = { decision: "approve", updatedAt: item.updatedAt };
  return moderator.call<Campaign>("POST", `/api/v1/moderation/ad-reviews/${id}`, decision, 200);
}

/** A freshly signed-up advertiser with an active campaign whose creative is `adClip`. */
export async function activeCampaign(o: {
  base: string;
  admin: ApiClient;
  moderator: ApiClient;
  email: string;
  adClip: string;
}) {
  const { api: advertiser, accountId } = await signUp(o.base, o.email, "Advertiser");
  await grantRoles(o.admin, accountId, ["advertiser"]);
  const draft = await createCampaign(advertiser, "E2E campaign");
  await uploadCreative(advertiser, draft.id, o.adClip);
  const ready = await creativeReady(advertiser, draft.id);
  const approved = await submitAndApprove(advertiser, o.moderator, draft.id);
  return { advertiser, campaign: approved, creative: ready.creative };
}

// ---- what a player reads ----

export interface Rendition {
  uri: string;
  url: string;
  text: string;
}

/** The master playlist and every media playlist it names (video rungs, then the audio rendition). */
export async function mediaPlaylists(manifestUrl: string): Promise<{ master: string; media: Rendition[] }> {
  const master = await (await fetch(manifestUrl)).text();
  const lines = master.split("\n").map((l) => l.trim());
  const rungs = lines.filter((_l, i) => (lines[i - 1] ?? "").startsWith("#EXT-X-STREAM-INF:"));
  const audio = [...master.matchAll(/#EXT-X-MEDIA:TYPE=AUDIO[^\n]*URI="([^"]+)"/g)].map((m) => m[1] ?? "");
  const media: Rendition[] = [];
  for (const uri of [...rungs, ...audio]) {
    const url = new URL(uri, manifestUrl).toString();
    const res = await fetch(url);
    const text = await res.text();
    if (res.status !== 200) throw new Error(`GET ${url}: ${res.status} ${text.slice(0, 300)}`);
    media.push({ uri, url, text });
  }
  return { master, media };
}

/** The attributes of a playlist's ad break (its EXT-X-DATERANGE), or null when it has none. */
export function adBreak(playlist: string): Record<string, string> | null {
  const line = playlist.split("\n").find((l) => l.startsWith("#EXT-X-DATERANGE:"));
  if (!line) return null;
  const attrs: Record<string, string> = {};
  for (const m of line.slice("#EXT-X-DATERANGE:".length).matchAll(/([A-Z0-9-]+)=("[^"]*"|[^,]*)/g))
    attrs[m[1] ?? ""] = (m[2] ?? "").replace(/^"|"$/g, "");
  return attrs;
}

/** Media segment URIs (absolute) of a playlist, before and after its first DISCONTINUITY. */
export function splitAtDiscontinuity(playlist: Rendition): { ad: string[]; content: string[] } {
  const lines = playlist.text.split("\n").map((l) => l.trim());
  const cut = lines.indexOf("#EXT-X-DISCONTINUITY");
  const uris = (ls: string[]) =>
    ls.filter((l) => l && !l.startsWith("#")).map((l) => new URL(l, playlist.url).toString());
  return cut < 0
    ? { ad: [], content: uris(lines) }
    : { ad: uris(lines.slice(0, cut)), content: uris(lines.slice(cut)) };
}

// ---- in the browser ----

/** Records, inside the watch page, what the ad overlay and the player's error line ever said (no DOM types here). */
export const WATCH_OVERLAY = `
  window.__ads = { overlay: [], learnMore: null, problems: [] };
  new MutationObserver(() => {
    const o = document.querySelector('[data-testid="ad-overlay"]');
    if (o) {
      const text = (o.textContent || "").trim();
      if (text && window.__ads.overlay[window.__ads.overlay.length - 1] !== text) window.__ads.overlay.push(text);
      const link = [...o.querySelectorAll("a")].find((a) => /Learn more/.test(a.textContent || ""));
      if (link) window.__ads.learnMore = link.href;
    }
    for (const p of document.querySelectorAll(".player-problem")) window.__ads.problems.push(p.textContent);
  }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
`;

interface Seen {
  t: number;
  error: string | null;
}

/** Plays the page's `selector` video muted until currentTime passes `seconds`; a media error fails at once. */
export async function playPast(page: Page, selector: string, seconds: number, ms = 60_000): Promise<number> {
  const started = Date.now();
  const read = `(() => {
    const v = document.querySelector(${JSON.stringify(selector)});
    if (!v) return { t: -1, error: null };
    v.muted = true;
    if (v.paused && !v.ended) v.play().catch(() => undefined);
    return { t: v.currentTime, error: v.error ? v.error.code + ": " + v.error.message : null };
  })()`;
  for (;;) {
    const seen = (await page.evaluate(read)) as Seen;
    if (seen.error) throw new Error(`media error at ${seen.t.toFixed(2)} s: ${seen.error}`);
    if (seen.t > seconds) return seen.t;
    if (Date.now() - started > ms)
      throw new Error(`currentTime ${seen.t.toFixed(2)} s after ${ms} ms (wanted > ${seconds} s)`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The URL with one character of its last path segment's middle changed: a forged beacon. */
export function forge(url: string): string {
  const u = new URL(url);
  const segments = u.pathname.split("/");
  const token = segments.pop() ?? "";
  let i = Math.floor(token.length / 2);
  while (i < token.length && !/[A-Za-z0-9]/.test(token[i] ?? "")) i++;
  const swapped = token[i] === "x" ? "y" : "x";
  u.pathname = [...segments, `${token.slice(0, i)}${swapped}${token.slice(i + 1)}`].join("/");
  return u.toString();
}
