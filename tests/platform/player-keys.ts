// Player flows driven in the browser (web.test.ts runs them; that file is at the size limit): the
// keyboard shortcuts (focus in the player, then space, 0, l, f, ? and Escape, read back from the
// <video>, document.fullscreenElement and the help dialog), and a playlist made, ordered and
// played in order through the pages.
import type { Page } from "playwright-core";
import { expect } from "vitest";
import type { ApiClient as Api } from "../../scripts/lib/api-client";
import { until } from "./lib";
import { api, type Media, ready } from "./web-lib";

/** On the watch page of `videoId` (a clip longer than 10 s, ready), signed in as the page's user. */
export async function drivePlayerByKeyboard(page: Page, base: string, videoId: Promise<string>) {
  await page.goto(`${base}/watch/${await videoId}`);
  const video = page.getByTestId("player-video");
  await video.waitFor();
  const playing = (label: string) =>
    until(label, 60_000, () =>
      video.evaluate((v: Media) => {
        if (v.error) throw new Error(`media error ${v.error.code}: ${v.error.message}`);
        return !v.paused && v.currentTime > 0;
      }),
    );
  await video.evaluate((v: Media) => {
    v.muted = true;
    return v.play().catch(() => undefined);
  });
  await playing("the video to play");
  // Focus in the player (its <video>, where a Tab or a click puts it); the keys go to the focus.
  await video.focus();
  // 0: back to the start (the profile may resume near the end), so there is room for +10 s.
  await page.keyboard.press("0");
  await until("0 to go back to the start", 15_000, () => video.evaluate((v: Media) => v.currentTime < 2));
  await playing("the video to play on from the start");

  await page.keyboard.press("Space");
  await until("space to pause", 15_000, () => video.evaluate((v: Media) => v.paused));
  const before = await video.evaluate((v: Media) => v.currentTime);
  await page.keyboard.press("l");
  await until("l to seek forward", 15_000, () =>
    video.evaluate((v: Media, t: number) => v.currentTime > t + 5, before),
  );
  const after = await video.evaluate((v: Media) => v.currentTime);
  expect(after - before).toBeGreaterThan(9.5);
  expect(after - before).toBeLessThan(10.5);
  // Still paused: a seek is not a play, and the native controls did not act on the keys as well.
  expect(await video.evaluate((v: Media) => v.paused)).toBe(true);

  // The whole player goes full screen (its bar with it), and f again leaves.
  const fullscreen = () =>
    page.evaluate<string | null>(
      "document.fullscreenElement?.querySelector('.player-bar') ? document.fullscreenElement.className : null",
    );
  await page.keyboard.press("f");
  await until("f to enter full screen", 15_000, async () => (await fullscreen()) !== null);
  expect(await fullscreen()).toBe("player");
  await page.keyboard.press("f");
  await until("f again to leave full screen", 15_000, async () => (await fullscreen()) === null);

  // ? opens the help, listing every shortcut; Escape closes it and the keys work on.
  await page.keyboard.press("Shift+Slash");
  const help = page.getByRole("dialog", { name: "Keyboard shortcuts" });
  await help.waitFor({ timeout: 15_000 });
  const lines = await help.locator("dd").allTextContents();
  expect(lines).toHaveLength(12);
  expect(lines).toEqual(
    expect.arrayContaining([
      "Play or pause",
      "Forward 10 seconds",
      "Full screen on or off",
      "Show these shortcuts",
    ]),
  );
  expect(await help.locator("kbd").allTextContents()).toEqual(
    expect.arrayContaining(["Space", "k", "l", "f", "?"]),
  );
  await page.keyboard.press("Escape");
  await help.waitFor({ state: "detached", timeout: 15_000 });
  await page.keyboard.press("k");
  await playing("k to play again, focus back in the player");
}

/**
 * A playlist of three ready videos (the creator's seeded clips, made and filled through the API)
 * played from its page's "Play all": each video starts by itself (nobody presses play) and, at its
 * end, the next one follows in order. Each is jumped to near its end rather than watched through.
 */
/** The playlist's video ids in order, as the API has them. */
const orderOf = async (a: Api, listId: string) =>
  (
    await a.call<{ items: { video: { id: string } }[] }>("GET", `/api/v1/playlists/${listId}/items?limit=100`)
  ).items.map((i) => i.video.id);

/**
 * Builds the list through the pages: each video saved from its watch page's Save dialog (the first
 * into a new playlist made there, the others ticked), out of order, then put in order with the
 * playlist page's Move up. Returns the list's id.
 */
async function buildPlaylistInPages(page: Page, base: string, a: Api, ids: string[]): Promise<string> {
  const [kids, teen, adult] = ids as [string, string, string];
  let listId = "";
  for (const [n, id] of [kids, adult, teen].entries()) {
    await page.goto(`${base}/watch/${id}`);
    await page.getByTestId("save-to-playlist").click();
    await page.getByTestId("save-dialog").waitFor();
    if (n === 0) {
      await page.getByTestId("new-playlist-title").fill("Three in a row");
      await page.getByRole("button", { name: "Create and save" }).click();
      await until("the new playlist", 15_000, async () => {
        const mine = await a.call<{ items: { id: string; title: string }[] }>("GET", "/api/v1/me/playlists");
        listId = mine.items.find((l) => l.title === "Three in a row")?.id ?? "";
        return listId !== "";
      });
    } else {
      await page.locator(`[data-testid="playlist-option"][data-playlist-id="${listId}"] input`).check();
    }
    await until(`video ${n + 1} saved`, 15_000, async () => (await orderOf(a, listId)).length === n + 1);
  }
  expect(await orderOf(a, listId)).toEqual([kids, adult, teen]);
  await page.goto(`${base}/playlist/${listId}`);
  await page.getByTestId("playlist-items").waitFor();
  await page.getByRole("button", { name: "Move “Rated teen” up" }).click();
  await until("the move to reach the API", 15_000, async () => (await orderOf(a, listId))[1] === teen);
  expect(await orderOf(a, listId)).toEqual(ids);
  return listId;
}

export async function playPlaylistInOrder(page: Page, base: string, seeded: Promise<string[]>) {
  const ids = (await seeded).slice(0, 3);
  const a = await api(base, page);
  for (const id of ids) await ready(a, id);
  const list = { id: await buildPlaylistInPages(page, base, a, ids) };
  await page.reload();
  await page.getByTestId("playlist-items").waitFor();
  await page.getByRole("link", { name: "Play all" }).click();
  const video = page.getByTestId("player-video");
  const titles = ["Rated kids", "Rated teen", "Rated adult"]; // the seeded clips, in this order
  for (const [n, id] of ids.entries()) {
    await page.waitForURL((url) => url.pathname === `/watch/${id}` && url.search.includes(list.id), {
      timeout: 30_000,
    });
    // By itself, and from its start: a list does not resume where the profile left a video.
    let at = 0;
    await until(`video ${n + 1} of the playlist to play by itself`, 60_000, async () => {
      at = await video.evaluate((v: Media) => {
        if (v.error) throw new Error(`media error ${v.error.code}: ${v.error.message}`);
        return !v.paused && v.currentTime > 0 ? v.currentTime : 0;
      });
      return at > 0;
    });
    expect(at).toBeLessThan(1.5);
    const next = page.getByTestId("playlist-next");
    await next.waitFor();
    expect(await next.textContent()).toBe(
      n < 2 ? `Up next: ${titles[n + 1]}` : "The last video of the playlist",
    );
    await video.evaluate((v: Media & { duration: number }) => {
      v.currentTime = Math.max(0, v.duration - 0.3);
    });
  }
  await until("the last video to end", 30_000, () => video.evaluate((v: Media) => v.ended));
  // And nothing follows it (a wrong navigation would come within moments of the end).
  await page.waitForTimeout(1500);
  expect(new URL(page.url()).pathname).toBe(`/watch/${ids[2]}`);
}
