// Captions end to end (docs/captions.md): two languages uploaded through the API, the master and
// the subtitles playlists read with a third-party parser (hls-parser, strict), and the web player in
// Chromium showing the chosen language's cue at its time.
import HLS from "hls-parser";
import type { Browser, Page } from "playwright-core";
import type { ApiClient } from "../../scripts/lib/api-client";
import { until } from "./lib";

/** Two languages of one cue each, from 1 s to 5 s of a 6 s clip; the SRT one is converted. */
export const CAPTIONS = {
  en: { body: "WEBVTT\n\n00:00:01.000 --> 00:00:05.000\nHello from the test kitchen\n", type: "text/vtt" },
  de: {
    body: "1\r\n00:00:01,000 --> 00:00:05,000\r\nHallo aus der Testküche\r\n",
    type: "application/x-subrip",
  },
} as const;

export async function putCaptions(api: ApiClient, videoId: string): Promise<number[]> {
  const statuses: number[] = [];
  for (const [language, { body, type }] of Object.entries(CAPTIONS)) {
    const res = await fetch(new URL(`/api/v1/videos/${videoId}/captions/${language}`, api.baseUrl), {
      method: "PUT",
      headers: { authorization: `Bearer ${api.token}`, "content-type": type },
      body,
    });
    if (res.status !== 201) throw new Error(`PUT captions ${language}: ${res.status} ${await res.text()}`);
    statuses.push(res.status);
  }
  return statuses;
}

export interface ParsedSubtitles {
  /** Per language in the master: its NAME and the cue text of the segment holding 2 s. */
  renditions: { language: string; name: string; segments: number; text: string }[];
  /** Every variant names the subtitles group. */
  variantsWithGroup: number;
  variants: number;
}

/** The master of `manifestUrl` and each subtitles playlist, parsed with hls-parser in strict mode. */
export async function parseSubtitles(manifestUrl: string): Promise<ParsedSubtitles> {
  HLS.setOptions({ strictMode: true });
  const get = async (url: URL | string) => {
    const res = await fetch(url);
    if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
    return res.text();
  };
  const master = HLS.parse(await get(manifestUrl));
  if (!master.isMasterPlaylist) throw new Error("the manifest is not a master playlist");
  const subtitles = new Map<string, HLS.types.Rendition>();
  let variantsWithGroup = 0;
  for (const variant of master.variants) {
    if (variant.subtitles.length > 0) variantsWithGroup += 1;
    for (const r of variant.subtitles) subtitles.set(r.language ?? r.name, r);
  }
  const renditions: ParsedSubtitles["renditions"] = [];
  for (const r of subtitles.values()) {
    const playlistUrl = new URL(r.uri ?? "", manifestUrl);
    const playlist = HLS.parse(await get(playlistUrl));
    if (playlist.isMasterPlaylist) throw new Error(`${r.uri} is a master playlist`);
    let start = 0;
    const holding = playlist.segments.find((s) => {
      const found = start <= 2 && 2 < start + s.duration;
      start += s.duration;
      return found;
    });
    const text = holding ? await get(new URL(holding.uri, playlistUrl)) : "";
    renditions.push({ language: r.language ?? "", name: r.name, segments: playlist.segments.length, text });
  }
  return { renditions, variantsWithGroup, variants: master.variants.length };
}

export interface ShownCue {
  /** The captions menu's options as shown, in order (data-language). */
  options: string[];
  /** The showing text track's language and label, and its active cues' text, at 2.5 s. */
  language: string;
  label: string;
  cues: string[];
  /** Its active cues' text at 5.5 s, past the cue's end. */
  afterEnd: string[];
}

/**
 * The first value `expression` has in the page that is not null, polled with lib.ts's `until`
 * (page.waitForFunction would evaluate a string predicate with eval, which the page's CSP refuses;
 * page.evaluate does not).
 */
async function pollPage<T>(page: Page, expression: string, timeoutMs: number): Promise<T> {
  let value: T | null = null;
  await until(expression, timeoutMs, async () => {
    value = (await page.evaluate(expression)) as T | null;
    return value !== null;
  });
  return value as T;
}

/**
 * Opens the watch page of `videoId` in Chromium, starts playback, picks `language` in the player's
 * captions menu, seeks to 2.5 s and reads the cue the page shows (the showing track's activeCues).
 */
export async function shownCue(
  browser: Browser,
  base: string,
  videoId: string,
  language: string,
): Promise<ShownCue> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "de-DE" });
  const page = await context.newPage();
  try {
    await page.goto(`${base}/watch/${videoId}`);
    const video = page.getByTestId("player-video");
    await video.waitFor({ timeout: 30_000 });
    await video.hover();
    await page.evaluate(`(() => {
      const v = document.querySelector('[data-testid="player-video"]');
      v.muted = true;
      v.play().catch(() => undefined);
    })()`);
    const button = page.getByTestId("captions-button");
    await button.waitFor({ timeout: 60_000 });
    await button.click();
    // The menu's code loads on the first click: its items come a moment later.
    await page.getByTestId("captions-option").first().waitFor({ timeout: 15_000 });
    const shownOptions = await page.getByTestId("captions-option").all();
    const options = await Promise.all(
      shownOptions.map(async (o) => (await o.getAttribute("data-language")) ?? ""),
    );
    await page.locator(`[data-testid="captions-option"][data-language="${language}"]`).click();
    // The tests' tsconfig has no DOM: what runs in the page is a string.
    await page.evaluate(`(() => {
      const v = document.querySelector('[data-testid="player-video"]');
      v.pause();
      v.currentTime = 2.5;
    })()`);
    const shown = await pollPage<Omit<ShownCue, "options" | "afterEnd">>(
      page,
      `(() => {
        const v = document.querySelector('[data-testid="player-video"]');
        const track = v ? Array.from(v.textTracks).find((t) => t.mode === "showing") : undefined;
        const cues = track && track.activeCues ? Array.from(track.activeCues) : [];
        if (!track || cues.length === 0 || Math.abs(v.currentTime - 2.5) > 0.5) return null;
        return { language: track.language, label: track.label, cues: cues.map((c) => c.text) };
      })()`,
      30_000,
    );
    // Past the cue's end (5 s) the track shows nothing: the cue is on screen at its time only.
    await page.evaluate(
      `(() => { document.querySelector('[data-testid="player-video"]').currentTime = 5.5; })()`,
    );
    const { cues: afterEnd } = await pollPage<{ cues: string[] }>(
      page,
      `(() => {
        const v = document.querySelector('[data-testid="player-video"]');
        const track = Array.from(v.textTracks).find((t) => t.mode === "showing");
        if (!track || Math.abs(v.currentTime - 5.5) > 0.2 || v.seeking) return null;
        return { cues: Array.from(track.activeCues || []).map((c) => c.text) };
      })()`,
      15_000,
    );
    return { options, ...shown, afterEnd };
  } finally {
    await context.close();
  }
}
