// The web client end to end, the way people meet Marquee: Debian's Chromium (playwright-core) against
// the real local platform (workerd edge, origin transcoder, ffmpeg). A creator signs up, creates a
// channel, uploads a generated clip through the upload page, follows processing in the studio and
// watches the video play (and drives the player by keyboard); a second viewer subscribes and sees the
// bell count rise live when the creator publishes again (an upload interrupted by a dropped
// connection, resumed after a reload); a kids profile's home shows only kids videos. Last, the speed
// budgets (speed.ts): the JavaScript the home page loads, and Lighthouse's mobile scores of home and
// watch. Screenshots and figures go to artifacts/web/ (the README's pictures come from visual.test.ts).
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CHROMIUM,
  CHROMIUM_ARGS,
  freePort,
  groupAlive,
  type Platform,
  platformReady,
  RUN_ID,
  startPlatform,
  stopPlatform,
  survivors,
  until,
} from "./lib";
import { makeClip } from "./media-lib";
import { drivePlayerByKeyboard, playPlaylistInOrder } from "./player-keys";
import {
  belowTarget,
  lighthousePage,
  type PageScripts,
  scriptsOf,
  writeBundle,
  writeLighthouse,
} from "./speed";
import {
  ARTIFACTS,
  api,
  type Media,
  PASSWORD,
  quietHost,
  RECORD_UPLOAD_BAR,
  ready,
  seen,
  signUp,
  TAG,
  tokenOf,
  uploadByApi,
} from "./web-lib";

/** The home page's JavaScript budget: 150 kB gzipped, kB = 1024 bytes. */
const BUNDLE_BUDGET = 150 * 1024;
const LIGHTHOUSE_RUN_MS = 90_000;
/**
 * Lighthouse performance: 90 on both pages, at the default 4x or at the slowdown calibrated to the
 * host's benchmark index (lighthouse-run.ts); a page fails under 90 at both (speed.ts belowTarget),
 * since at 4x alone clean-clone runs of one commit have read scores 20 points apart on busy hosts.
 */
const PERFORMANCE_TARGET = 90;
const ACCESSIBILITY_MIN = 95;

describe("web client end to end (Chromium, real edge, origin and ffmpeg)", () => {
  let platform: Platform;
  let base: string;
  let dir: string;
  let clip: string;
  let tiny: string;
  let chaptered: string;
  let chapteredId: Promise<string> = Promise.resolve("");
  let browser: Browser;
  let creatorCtx: BrowserContext;
  let viewerCtx: BrowserContext;
  let creator: Page;
  let viewer: Page;
  let videoId = "";
  let originPort = 0;
  let seeded: Promise<string[]> = Promise.resolve([]);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "marquee-web-e2e-"));
    mkdirSync(join(dir, "state"));
    mkdirSync(ARTIFACTS, { recursive: true });
    originPort = await freePort();
    platform = startPlatform({
      port: await freePort(),
      originPort,
      stateDir: join(dir, "state"),
      env: {
        MARQUEE_DEMO: "0",
        // Small single-PUT limit: the browser's uploads take the multipart path (plan, parts, resume).
        MARQUEE_EDGE_VARS: "SINGLE_UPLOAD_MAX_BYTES=262144",
      },
    });
    base = platform.base;
    // 480p: the ladder gets more than one rung; 8 s keeps the transcode short on two cores.
    clip = makeClip(join(dir, "clip.mp4"), { seconds: 8, size: "854x480" });
    tiny = makeClip(join(dir, "tiny.mp4"), { seconds: 2, size: "320x180", videoKbps: 200 });
    // Long enough for two chapters ten seconds apart and a seek into the second.
    chaptered = makeClip(join(dir, "chaptered.mp4"), { seconds: 20, size: "320x180", videoKbps: 200 });
    await platformReady(platform);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [...CHROMIUM_ARGS, "--autoplay-policy=no-user-gesture-required"],
    });
    creatorCtx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await creatorCtx.addInitScript(RECORD_UPLOAD_BAR);
    viewerCtx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    creator = await creatorCtx.newPage();
    viewer = await viewerCtx.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    if (platform) await stopPlatform(platform);
    const pid = platform?.child.pid;
    if (pid && groupAlive(pid)) process.kill(-pid, "SIGKILL");
    for (const line of survivors()) process.kill(Number(line.split(" ")[0]), "SIGKILL");
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("signs a creator up through the signup page", async () => {
    await signUp(base, creator, "creator");
    expect(await tokenOf(creator)).toBeTruthy();
  });

  it("creates a channel, which makes the account a creator", async () => {
    await creator.goto(`${base}/studio/channel`);
    await creator.getByLabel("Handle").fill(`web_${TAG}`);
    await creator.getByLabel("Channel name").fill("Web E2E");
    await creator.getByRole("button", { name: "Create channel" }).click();
    await creator.waitForURL(/\/studio\/upload$/);
    const me = await (await api(base, creator)).call<{ roles: string[]; channelId: string | null }>(
      "GET",
      "/api/v1/me",
    );
    expect(me.roles).toContain("creator");
    expect(me.channelId).toBeTruthy();
  });

  it("uploads a clip through the upload page; the progress bar reaches 100% with every part sent", async () => {
    await creator.getByLabel("Choose a video file").waitFor();
    await creator.getByLabel("Choose a video file").setInputFiles(clip);
    await creator.getByLabel("Title").fill("The test pattern");
    await creator.getByLabel("Tags (comma separated)").fill("e2e, pattern");
    await creator.getByRole("button", { name: "Upload" }).click();
    await creator.waitForURL(/\/studio\/videos\/vid_/, { timeout: 60_000 });
    videoId = new URL(creator.url()).pathname.split("/").pop() ?? "";
    const bar = await seen(creator);
    expect(bar.max).toBe(100);
    expect(bar.text).toMatch(/parts 1\/1/);
    // The seeded catalogue for the kids check transcodes while the rest goes on.
    const a = await api(base, creator);
    chapteredId = uploadByApi(a, "In two chapters", "kids", chaptered, {
      description: "What this is.\n\n0:00 Opening\n0:12 The second part",
    });
    seeded = Promise.all([
      ...(["kids", "teen", "adult"] as const).map((m) => uploadByApi(a, `Rated ${m}`, m, tiny)),
      chapteredId,
    ]);
    await seeded;
  });

  it("shows processing progress in the studio until the video is ready", async () => {
    // Right after upload-complete the video is queued or processing: its page shows the bar.
    const onVideoPage = creator.getByTestId("processing-progress");
    await onVideoPage.waitFor({ timeout: 30_000 });
    expect(Number(await onVideoPage.getAttribute("data-percent"))).toBeGreaterThanOrEqual(0);
    await creator.goto(`${base}/studio`);
    const row = creator.locator(`[data-testid="studio-video"][data-video-id="${videoId}"]`);
    await row.waitFor();
    const percents = new Set<number>();
    await until("the studio to show the video ready", 240_000, async () => {
      const bar = row.getByTestId("processing-progress");
      if (await bar.count()) percents.add(Number(await bar.getAttribute("data-percent")));
      return (await row.getAttribute("data-status")) === "ready";
    });
    // Seen without a reload: the studio polls while anything is processing.
    expect(percents.size).toBeGreaterThan(0);
    for (const p of percents) expect(p).toBeGreaterThanOrEqual(0);
    await creator.screenshot({ path: join(ARTIFACTS, "studio.png"), fullPage: true });
  });

  it("plays the video on the watch page with more than one quality level, and plays on at another chosen from the menu", async () => {
    await creator.goto(`${base}/watch/${videoId}`);
    const video = creator.getByTestId("player-video");
    await video.waitFor();
    await video.evaluate((v: Media) => {
      v.muted = true;
      return v.play().catch(() => undefined);
    });
    await until("the video to play past 1.5 s", 60_000, () =>
      video.evaluate((v: Media) => {
        if (v.error) throw new Error(`media error ${v.error.code}: ${v.error.message}`);
        return v.currentTime > 1.5;
      }),
    );
    expect(await video.evaluate((v: Media) => v.error)).toBeNull();
    const menu = creator.getByTestId("quality-menu");
    // Each option's value is the hls.js level index; its text is the rendition's height ("360p").
    const levels = (
      await menu
        .locator("option")
        .evaluateAll((options: { value: string; textContent: string | null }[]) =>
          options.map((o) => ({ value: o.value, text: o.textContent ?? "" })),
        )
    )
      .filter((l) => !/auto/i.test(l.text))
      .map((l) => ({ value: l.value, height: Number.parseInt(l.text, 10) }));
    expect(levels.length).toBeGreaterThan(1);
    await creator.screenshot({ path: join(ARTIFACTS, "watch.png") });

    // Switch to a level other than the one showing, from the menu, and watch it play: the frames
    // decoded must have the chosen level's height, the player must fetch that rendition's segments
    // (hls.js' currentLevel is not reachable from the page; what it loads is), and time must move on.
    const before = await video.evaluate((v: Media) => v.videoHeight);
    const target = levels.find((l) => l.height !== before);
    if (!target) throw new Error(`no level other than ${before}p in ${JSON.stringify(levels)}`);
    const rendition = `/hls/${target.height}p/`;
    const segments: string[] = [];
    const onRequest = (r: { url(): string }) => {
      const url = r.url();
      if (url.includes(rendition) && /\.m4s(\?|$)/.test(url)) segments.push(url);
    };
    creator.on("request", onRequest);
    await menu.selectOption(target.value);
    // Back to the start, so the short clip has time left to play at the new level.
    await video.evaluate((v: Media) => {
      v.currentTime = 0;
      return v.play().catch(() => undefined);
    });
    await until(`the ${target.height}p level to show`, 60_000, () =>
      video.evaluate((v: Media, h: number) => {
        if (v.error) throw new Error(`media error ${v.error.code}: ${v.error.message}`);
        return v.videoHeight === h && !v.paused;
      }, target.height),
    );
    const switchedAt = await video.evaluate((v: Media) => v.currentTime);
    await until(`the video to play on at ${target.height}p`, 60_000, () =>
      video.evaluate(
        (v: Media, [h, t]: [number, number]) => {
          if (v.error) throw new Error(`media error ${v.error.code}: ${v.error.message}`);
          if (v.videoHeight !== h) throw new Error(`the player went back to ${v.videoHeight}p`);
          return v.currentTime > t + 1;
        },
        [target.height, switchedAt] as [number, number],
      ),
    );
    creator.off("request", onRequest);
    expect(segments.length, `segments of ${rendition} fetched after the switch`).toBeGreaterThan(0);
    expect(await menu.inputValue()).toBe(target.value);
  });

  it("likes the video and comments on it", async () => {
    const like = creator.getByRole("button", { name: "Like", exact: true });
    await like.click();
    await until(
      "the like to register",
      15_000,
      async () => (await like.getAttribute("aria-pressed")) === "true",
    );
    await until("the like count to show 1", 15_000, async () =>
      /\b1\b/.test((await creator.getByTestId("like-count").textContent()) ?? ""),
    );
    const text = `Lovely bars ${TAG}`;
    await creator.getByRole("textbox", { name: "Add a comment" }).fill(text);
    await creator.getByRole("button", { name: "Comment", exact: true }).click();
    await creator.getByTestId("comment").filter({ hasText: text }).waitFor({ timeout: 15_000 });
  });

  it("a description's chapters show under the player and on its seek bar; choosing one plays from there", async () => {
    const id = await chapteredId;
    await ready(await api(base, creator), id);
    await creator.goto(`${base}/watch/${id}`);
    const list = creator.getByRole("region", { name: "Chapters" });
    await list.waitFor();
    expect(await list.getByRole("listitem").allTextContents()).toEqual([
      "0:00Opening",
      "0:12The second part",
    ]);
    const video = creator.getByTestId("player-video");
    await video.evaluate((v: Media) => {
      v.muted = true;
    });
    await list.getByRole("button", { name: "Play from 0:12: The second part" }).click();
    await until("the player to play from the second chapter", 60_000, () =>
      video.evaluate((v: Media) => {
        if (v.error) throw new Error(`media error ${v.error.code}: ${v.error.message}`);
        return !v.paused && v.currentTime >= 12;
      }),
    );
    // One mark on the seek bar, where the second chapter starts (the first starts at the start).
    await creator.getByTestId("chapter-mark").first().waitFor();
    expect(await creator.getByTestId("chapter-mark").count()).toBe(1);
  });

  it("keyboard shortcuts drive the player: space pauses, l seeks +10 s, f goes full screen, ? lists them", () =>
    drivePlayerByKeyboard(creator, base, chapteredId));

  it("a subscriber's bell count rises live when the creator publishes another video (an upload resumed after a reload)", async () => {
    // The seeded videos are published before anyone subscribes: only the sequel may notify.
    const a = await api(base, creator);
    for (const id of await seeded) await ready(a, id);
    await signUp(base, viewer, "viewer");
    await viewer.goto(`${base}/watch/${videoId}`);
    await viewer.getByRole("button", { name: "Subscribe", exact: true }).click();
    await viewer.getByRole("button", { name: "Subscribed", exact: true }).waitFor({ timeout: 15_000 });
    const count = viewer.getByTestId("unread-count");
    await count.waitFor({ state: "attached" });
    const before = Number(await count.textContent());

    // The creator's next upload loses its connection to storage: every attempt at the part fails.
    await creator.goto(`${base}/studio/upload`);
    await creator.route("**/storage/**", (route) => route.abort("connectionreset"));
    await creator.getByLabel("Choose a video file").setInputFiles(clip);
    await creator.getByLabel("Title").fill("The sequel");
    await creator.getByRole("button", { name: "Upload" }).click();
    await creator
      .getByRole("alert")
      .filter({ hasText: /storage/i })
      .waitFor({ timeout: 60_000 });
    await creator.unroute("**/storage/**");
    // Back after a reload: the page remembers the upload and asks for the same file.
    await creator.reload();
    await creator.getByLabel("Pick the same file to resume").setInputFiles(clip);
    await creator.waitForURL(/\/studio\/videos\/vid_/, { timeout: 60_000 });
    const sequel = new URL(creator.url()).pathname.split("/").pop() ?? "";
    expect(sequel).not.toBe(videoId);
    expect((await seen(creator)).max).toBe(100);
    expect(await creator.evaluate(() => localStorage.getItem("marquee.upload.pending"))).toBeNull();

    // The viewer never reloads: the count arrives over the WebSocket once the sequel is published.
    await until(
      "the viewer's unread count to rise",
      240_000,
      async () => Number(await count.textContent()) > before,
    );
    await viewer.getByRole("button", { name: /Notifications/ }).click();
    await viewer.locator(`a[href="/watch/${sequel}"]`).waitFor({ timeout: 15_000 });
  });

  it("a playlist of three videos, saved and reordered through the pages, plays in order, each next one by itself", () =>
    playPlaylistInOrder(creator, base, seeded));

  it("a kids profile's home shows no video rated above kids", async () => {
    await viewer.goto(`${base}/profiles`);
    await viewer.getByRole("button", { name: "Add profile" }).click();
    await viewer.getByLabel("Profile name").fill("Little one");
    await viewer.getByLabel("Maturity").selectOption("kids");
    await viewer.getByRole("button", { name: "Create profile" }).click();
    await viewer.getByRole("button", { name: /Little one/ }).click();
    await viewer.waitForURL(`${base}/`);
    const cards = viewer.getByTestId("video-card");
    await cards.first().waitFor({ timeout: 30_000 });
    const ratings = await Promise.all((await cards.all()).map((card) => card.getAttribute("data-maturity")));
    expect(ratings.length).toBeGreaterThan(0);
    expect(ratings.every((r) => r === "kids")).toBe(true);
    await viewer.screenshot({ path: join(ARTIFACTS, "home-kids.png"), fullPage: true });
  });

  it("the account page changes the email only with the password, and the old address gets an undo link", async () => {
    // Only a verified previous address is given an undo link: verify the signup address first.
    const old = `creator-${TAG}@example.test`;
    const mailbox = async (to: string) =>
      (
        (await (await fetch(`${base}/dev/mailbox?to=${encodeURIComponent(to)}`)).json()) as {
          email: { text: string }[];
        }
      ).email;
    const code = /\b(\d{6})\b/.exec((await mailbox(old)).map((m) => m.text).join("\n"))?.[1];
    await (await api(base, creator)).call("POST", "/api/v1/auth/verify-email", { code }, 204);

    await creator.goto(`${base}/account`);
    const form = creator.getByRole("form", { name: "Change email" });
    const moved = `moved-${TAG}@example.test`;
    await form.getByLabel("New email").fill(moved);
    await form.getByLabel("Current password").fill("not the password");
    await form.getByRole("button", { name: "Change email" }).click();
    await form.getByText("The password is wrong").waitFor({ timeout: 15_000 });
    await form.getByLabel("Current password").fill(PASSWORD);
    await form.getByRole("button", { name: "Change email" }).click();
    await form.getByRole("status").waitFor({ timeout: 15_000 });
    await creator.getByText(`Signed in as ${moved}`).waitFor({ timeout: 15_000 });
    expect((await mailbox(old)).some((m) => m.text.includes("/undo-email-change?token="))).toBe(true);
  });
  it("the home page loads at most 150 kB of gzipped JavaScript and no player code", async () => {
    const signedIn = await browser.newContext({ storageState: await creatorCtx.storageState() });
    const signedOut = await browser.newContext();
    try {
      const pages = [
        await scriptsOf(signedOut, "home, signed out", `${base}/`),
        await scriptsOf(signedIn, "home, signed in", `${base}/`),
        // The player's code loads when the viewer reaches for the player (hover, focus, play).
        await scriptsOf(signedOut, "watch", `${base}/watch/${videoId}`, (tab) =>
          tab.getByTestId("player-video").hover(),
        ),
      ];
      const table = writeBundle(ARTIFACTS, pages);
      console.log(table);
      const [home, homeSignedIn, watch] = pages as [PageScripts, PageScripts, PageScripts];
      // The markers must find the player where it is, or "no player code" would prove nothing.
      expect(
        watch.scripts.some((s) => s.player),
        `hls.js markers in the watch page's scripts\n${table}`,
      ).toBe(true);
      const development = pages.flatMap((p) => p.scripts.filter((s) => s.development).map((s) => s.path));
      expect(development, "scripts of a development build (NODE_ENV was not production)").toEqual([]);
      for (const p of [home, homeSignedIn]) {
        expect(p.scripts.length, `${p.page}: scripts loaded`).toBeGreaterThan(0);
        const player = p.scripts.filter((s) => s.player).map((s) => s.path);
        expect(player, `${p.page} loads hls.js\n${table}`).toEqual([]);
        expect(
          p.gzipBytes,
          `${p.page}: gzipped JavaScript over ${BUNDLE_BUDGET} bytes (150 kB, kB = 1024 bytes)\n${table}`,
        ).toBeLessThanOrEqual(BUNDLE_BUDGET);
      }
    } finally {
      await signedIn.close();
      await signedOut.close();
    }
  });

  it(
    "Lighthouse (mobile, median of three): performance ≥ 90 (at the default 4x or at the host-calibrated slowdown) and accessibility ≥ 95 on home and watch",
    async () => {
      const options = {
        runs: 3,
        chromePath: CHROMIUM,
        timeoutMs: LIGHTHOUSE_RUN_MS,
        env: { MARQUEE_TEST_RUN_ID: RUN_ID },
      };
      await quietHost(originPort, [creator, viewer]);
      const pages = [
        await lighthousePage("home", `${base}/`, options),
        await lighthousePage("watch", `${base}/watch/${videoId}`, options),
      ];
      const table = writeLighthouse(ARTIFACTS, pages);
      console.log(table);
      const below = belowTarget(pages, PERFORMANCE_TARGET, ACCESSIBILITY_MIN);
      const costs = pages.map((p) => `${p.page} costs most:\n  ${p.findings.slice(0, 8).join("\n  ")}`);
      expect(below, `${table}\n${costs.join("\n")}`).toEqual([]);
    },
    // Up to 180 s for the origin to go idle, then six runs of ~10–20 s each (one retry allowed per
    // run); a run that hangs is abandoned after LIGHTHOUSE_RUN_MS.
    8 * LIGHTHOUSE_RUN_MS + 210_000,
  );
});
