// Helpers of the web client's end-to-end test: signing up through the page, the API as the page's
// user, a catalogue uploaded through the API, and what the test reads from the page.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { expect } from "vitest";
import { ROOT, RUN_ID, until } from "./lib";
import { Api, putFile } from "./media-lib";

export const ARTIFACTS = join(ROOT, "artifacts/web");
export const TAG = RUN_ID.slice(0, 8);
export const PASSWORD = "a long web test password";

interface Video {
  id: string;
  status: string;
  progress: number;
}

/** What the upload bar showed: the highest percent and the text next to it then. */
interface Seen {
  max: number;
  text: string;
}

/**
 * Runs in every page of the creator's browser (the tests' tsconfig has no DOM, hence a string): keeps
 * the upload bar's highest percent, since the page moves on to the video as soon as the upload is done.
 */
export const RECORD_UPLOAD_BAR = `
  window.__seen = { max: -1, text: "" };
  new MutationObserver(() => {
    const bar = document.querySelector('[data-testid="upload-progress"]');
    const percent = Number(bar?.dataset.percent ?? -1);
    if (bar && percent >= window.__seen.max) window.__seen = { max: percent, text: bar.textContent ?? "" };
  }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
`;

export const seen = (page: Page) => page.evaluate<Seen>("window.__seen");

/** The parts of an HTMLMediaElement the test reads. */
export interface Media {
  currentTime: number;
  videoHeight: number;
  paused: boolean;
  ended: boolean;
  muted: boolean;
  error: { code: number; message: string } | null;
  play(): Promise<void>;
}

export const tokenOf = (page: Page) =>
  page.evaluate(
    () =>
      (JSON.parse(localStorage.getItem("marquee.session") ?? "null") as { accessToken: string } | null)
        ?.accessToken ?? null,
  );

/** The API as the page's signed-in user. */
export async function api(base: string, page: Page): Promise<Api> {
  const a = new Api(base);
  a.token = await tokenOf(page);
  return a;
}

export async function signUp(base: string, page: Page, who: string): Promise<string> {
  const email = `${who}-${TAG}@example.test`;
  await page.goto(`${base}/signup`);
  await page.getByLabel("Display name").fill(who);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign up" }).click();
  await page.waitForFunction(() => localStorage.getItem("marquee.session") !== null, null, {
    timeout: 30_000,
  });
  return email;
}

/** Waits until the API says the video is ready (the transcoder shares two cores with the browser). */
export async function ready(a: Api, id: string) {
  await until(`video ${id} to be ready`, 240_000, async () => {
    const v = await a.call<Video>("GET", `/api/v1/videos/${id}`);
    if (v.status === "failed") throw new Error(`video ${id} failed`);
    return v.status === "ready";
  });
}

/** A video through the API (file, metadata), for the seeded catalogue. */
export async function uploadByApi(
  a: Api,
  title: string,
  maturity: string,
  path: string,
  extra: { description?: string } = {},
): Promise<string> {
  const bytes = new Uint8Array(readFileSync(path));
  const created = await a.call<{
    video: { id: string };
    upload:
      | { kind: "single"; url: string; headers: Record<string, string> }
      | { kind: "multipart"; parts: { url: string; size: number }[] };
  }>(
    "POST",
    "/api/v1/videos",
    { title, maturity, ...extra, upload: { size: bytes.length, contentType: "video/mp4" } },
    201,
  );
  const u = created.upload;
  if (u.kind === "single") expect(await putFile(u.url, bytes, u.headers)).toBe(200);
  else {
    let offset = 0;
    for (const part of u.parts) {
      expect(await putFile(part.url, bytes.subarray(offset, offset + part.size))).toBe(200);
      offset += part.size;
    }
  }
  await a.call("POST", `/api/v1/videos/${created.video.id}/upload-complete`, undefined, 202);
  return created.video.id;
}

/**
 * Waits until the origin on `originPort` has run no job for `quietMs` (its /healthz lists the jobs
 * under way), so Lighthouse measures the page and not an ffmpeg beside it on the same two cores: a
 * video plays from its first rendition while the upper rungs still transcode (progressive
 * publish), and the tests before it upload five videos. `quietMs` outlasts the origin's longest
 * idle poll (5 s), so a job queued but not yet claimed shows up within it.
 */
export async function originIdle(originPort: number, timeoutMs = 240_000, quietMs = 6_000): Promise<void> {
  let quietSince = Date.now();
  await until(`the origin on ${originPort} to be idle`, timeoutMs, async () => {
    const res = await fetch(`http://127.0.0.1:${originPort}/healthz`, { signal: AbortSignal.timeout(2_000) });
    const body = (await res.json()) as { worker?: { jobs?: unknown[] } };
    if (!body.worker?.jobs) throw new Error(`the origin's /healthz lists no jobs: ${JSON.stringify(body)}`);
    if (body.worker.jobs.length > 0) quietSince = Date.now();
    return Date.now() - quietSince >= quietMs;
  });
}

/** Nothing else on the two cores while Lighthouse measures: no transcode, no page of ours playing or polling. */
export async function quietHost(originPort: number, pages: Page[]): Promise<void> {
  await Promise.all([originIdle(originPort, 180_000), ...pages.map((p) => p.goto("about:blank"))]);
}
