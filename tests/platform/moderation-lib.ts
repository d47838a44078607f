// Helpers of the trust-and-safety end-to-end test (moderation.test.ts): people as API devices with
// their own browser tabs, the listings a reported video must leave, the audit log read whole, and
// screenshots of every open tab when a step fails.
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page, Response } from "playwright-core";
import { poll, sendUpload } from "./ads-lib";
import { Device, type Tokens } from "./billing-lib";
import { ROOT } from "./lib";
import { TAG } from "./web-lib";

export const ARTIFACTS = join(ROOT, "artifacts/moderation");

/** One person of the story: an API session and, once asked for, a signed-in browser tab. */
export interface Person {
  name: string;
  email: string;
  device: Device;
  page?: Page;
}

export const accountOf = (p: Person) => (p.device.tokens as Tokens).accountId;

/** A new account through the API (billing-lib's password); `device` holds its session. */
export async function person(base: string, name: string): Promise<Person> {
  const email = `mod-${name}-${TAG}@example.test`;
  return { name, email, device: await new Device(base).signUp(email, name) };
}

/**
 * Verifies the person's email with the code the signup mailed (the dev mailbox): the reports of an
 * unverified account weigh nothing towards auto-hide (moderation/weights.ts).
 */
export async function verifyEmail(base: string, p: Person): Promise<void> {
  const code = await poll(`${p.name}'s verification code`, 15_000, async () => {
    const res = await fetch(new URL(`/dev/mailbox?to=${encodeURIComponent(p.email)}`, base));
    const mail = (await res.json()) as { email: { text: string }[] };
    return /\b(\d{6})\b/.exec(mail.email.map((m) => m.text).join("\n"))?.[1];
  });
  await p.device.expect("POST", "/api/v1/auth/verify-email", 204, { code });
}

/** A session of an account made elsewhere (the admin from admin:create), with its own password. */
export async function signIn(base: string, name: string, email: string, password: string): Promise<Person> {
  const device = new Device(base);
  device.tokens = await device.expect<Tokens>("POST", "/api/v1/auth/login", 200, { email, password });
  return { name, email, device };
}

/** A video through POST /videos, the signed upload and upload-complete, waited for until ready. */
export async function uploadReady(creator: Device, path: string, title: string): Promise<string> {
  const bytes = new Uint8Array(readFileSync(path));
  const created = await creator.expect<{ video: { id: string }; upload: Parameters<typeof sendUpload>[0] }>(
    "POST",
    "/api/v1/videos",
    201,
    { title, maturity: "teen", upload: { size: bytes.length, contentType: "video/mp4" } },
  );
  await sendUpload(created.upload, bytes);
  const id = created.video.id;
  await creator.expect("POST", `/api/v1/videos/${id}/upload-complete`, 202);
  await poll(`video ${id} to be ready`, 240_000, async () => {
    const v = await creator.expect<{ status: string }>("GET", `/api/v1/videos/${id}`, 200);
    if (v.status === "failed") throw new Error(`video ${id} failed`);
    return v.status === "ready";
  });
  return id;
}

/**
 * The person's tab (one browser context each), opened once and signed in the way the web app keeps
 * a session (localStorage "marquee.session"), set on the edge's tiny /healthz page of the same origin
 * rather than the home page (billing-lib's signedInTab): six tabs loading home at once cost seconds.
 */
export async function tabOf(browser: Browser, p: Person): Promise<Page> {
  if (p.page) return p.page;
  const tokens = p.device.tokens as Tokens;
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(new URL("/healthz", p.device.base).toString());
  await page.evaluate((t) => localStorage.setItem("marquee.session", JSON.stringify(t)), {
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    accountId: tokens.accountId,
    profileId: tokens.profileId,
  });
  p.page = page;
  return page;
}

/** Every person's open tab, screenshotted into artifacts/moderation/ (after a failed step). */
export async function screenshotAll(people: Person[], step: string): Promise<string[]> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const slug = step.replace(/[^a-z0-9]+/gi, "-").slice(0, 60);
  const written: string[] = [];
  for (const p of people) {
    if (!p.page || p.page.isClosed()) continue;
    const path = join(ARTIFACTS, `${slug}-${p.name}.png`);
    try {
      await p.page.screenshot({ path, fullPage: true, timeout: 10_000 });
      written.push(path);
    } catch {
      // a tab that cannot be drawn any more is not worth failing the report of the real failure
    }
  }
  return written;
}

/** The response of the page's next API call `method path…` (started before the click that makes it). */
export const nextCall = (page: Page, method: string, path: RegExp, ms = 20_000): Promise<Response> =>
  page.waitForResponse((r) => r.request().method() === method && path.test(new URL(r.url()).pathname), {
    timeout: ms,
  });

/**
 * Whether the video is in search (by its unique word) and its channel's listing, as anyone sees them,
 * and on the home page of `viewer` (its feed's rows: a profile without history gets trending, popular
 * and new).
 */
export async function listedIn(
  base: string,
  word: string,
  channelId: string,
  videoId: string,
  viewer: Device,
) {
  const get = async <T>(path: string, token?: string): Promise<T> => {
    const res = await fetch(new URL(path, base), {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
  };
  type Cards = { items: { id: string }[] };
  type Feed = { items: { items: { video: { id: string } }[] }[] };
  const [search, channel, feed] = await Promise.all([
    get<Cards>(`/api/v1/search?q=${encodeURIComponent(word)}`),
    get<Cards>(`/api/v1/channels/${channelId}/videos?limit=50`),
    get<Feed>("/api/v1/feed", viewer.tokens?.accessToken),
  ]);
  return {
    search: search.items.some((i) => i.id === videoId),
    channel: channel.items.some((i) => i.id === videoId),
    home: feed.items.some((row) => row.items.some((i) => i.video.id === videoId)),
  };
}

export interface AuditRow {
  seq: number;
  at: string;
  actor: { accountId: string | null; roles: string[] };
  action: string;
  target: { type: string; id: string };
  before: unknown;
  after: unknown;
  reason: string | null;
  requestId: string | null;
  prevHash: string | null;
  hash: string | null;
}

/** The whole audit log, oldest first (the API pages newest first). */
export async function auditLog(admin: Device): Promise<AuditRow[]> {
  const rows: AuditRow[] = [];
  let cursor: string | null = null;
  do {
    const q: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
    const page: { items: AuditRow[]; nextCursor: string | null } = await admin.expect(
      "GET",
      `/api/v1/admin/audit?limit=100${q}`,
      200,
    );
    rows.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return rows.reverse();
}

/** The first row at or after `from` doing `action` (optionally by `actor`, on `targetId`); its index or -1. */
export function indexOf(
  rows: AuditRow[],
  from: number,
  want: { action: string; actor?: string | null; targetId?: string },
): number {
  for (let i = Math.max(0, from); i < rows.length; i++) {
    const r = rows[i] as AuditRow;
    if (r.action !== want.action) continue;
    if (want.actor !== undefined && r.actor.accountId !== want.actor) continue;
    if (want.targetId !== undefined && r.target.id !== want.targetId) continue;
    return i;
  }
  return -1;
}

/** One line per audit row, for notes and failure messages. */
export const describeRows = (rows: AuditRow[]) =>
  rows
    .map(
      (r) =>
        `#${r.seq} ${r.action} by ${r.actor.accountId ?? r.actor.roles.join("+")} on ${r.target.type}:${r.target.id}`,
    )
    .join("\n");
