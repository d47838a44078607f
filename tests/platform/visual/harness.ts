// The visual tests' world without a platform: the web app built into a temp dir, served by a tiny
// static server (SPA fallback, fixture media under /media/fixture/), and Debian's Chromium whose
// every /api/** request is answered from the fixtures. Time is frozen, so pages render the same
// every run.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { extname, join, normalize, sep } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page, type Request } from "playwright-core";
import { CHROMIUM, CHROMIUM_ARGS, ROOT } from "../lib";
import { answerApi } from "./api-routes";
import { CREATOR_SESSION, MEDIA_BASE, NOTIFICATIONS, NOW } from "./fixtures";

const MEDIA = join(import.meta.dirname, "media");
const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".css": "text/css",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".woff": "font/woff",
  ".m3u8": "application/vnd.apple.mpegurl",
  ".mp4": "video/mp4",
  ".m4s": "video/iso.segment",
  ".vtt": "text/vtt",
};

export type Theme = "light" | "dark";
export const THEMES: Theme[] = ["light", "dark"];
export const WIDTHS = [375, 768, 1440] as const;
export const HEIGHT = 900;

export interface Harness {
  base: string;
  browser: Browser;
  /** API requests no fixture route answered ("GET /api/v1/…"): each is a gap in the fixtures. */
  unanswered: Set<string>;
  close(): Promise<void>;
}

/** `bunx vite build` of apps/web into a fresh temp dir (never apps/web/dist). */
function buildWebApp(): string {
  const dir = mkdtempSync(join(tmpdir(), "marquee-visual-"));
  try {
    execFileSync("bunx", ["vite", "build", "--outDir", dir, "--emptyOutDir"], {
      cwd: join(ROOT, "apps/web"),
      stdio: "pipe",
    });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    const e = err as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`vite build failed:\n${e.stdout?.toString() ?? ""}\n${e.stderr?.toString() ?? ""}`);
  }
  return dir;
}

/** A file under `root` for a URL path, or null (no escaping the root). */
function fileUnder(root: string, urlPath: string): string | null {
  const path = normalize(join(root, decodeURIComponent(urlPath)));
  if (!path.startsWith(root + sep)) return null;
  return existsSync(path) && statSync(path).isFile() ? path : null;
}

function serve(dist: string): Promise<Server> {
  const server = createServer((req, res) => {
    const { pathname } = new URL(req.url ?? "/", "http://localhost");
    const file = pathname.startsWith(`${MEDIA_BASE}/`)
      ? fileUnder(MEDIA, pathname.slice(MEDIA_BASE.length))
      : (fileUnder(dist, pathname) ?? (pathname.startsWith("/media/") ? null : join(dist, "index.html")));
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
    res.end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

export async function startHarness(): Promise<Harness> {
  const dist = buildWebApp();
  const server = await serve(dist);
  const { port } = server.address() as AddressInfo;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  return {
    base: `http://127.0.0.1:${port}`,
    browser,
    unanswered: new Set(),
    async close() {
      await browser.close().catch(() => undefined);
      await new Promise((resolve) => server.close(resolve));
      rmSync(dist, { recursive: true, force: true });
    },
  };
}

/**
 * A browser context of one width, theme and visitor: frozen clock, fixture API, mocked live socket;
 * the creator's contexts start with the session in localStorage (apps/web/src/lib/session.ts).
 */
export async function newContext(
  h: Harness,
  width: number,
  theme: Theme,
  signedIn: boolean,
): Promise<BrowserContext> {
  const ctx = await h.browser.newContext({
    viewport: { width, height: HEIGHT },
    deviceScaleFactor: 1,
    colorScheme: theme,
    reducedMotion: "reduce",
    locale: "en-US",
    timezoneId: "UTC",
    serviceWorkers: "block",
    storageState: {
      cookies: [],
      origins: signedIn
        ? [
            {
              origin: h.base,
              localStorage: [{ name: "marquee.session", value: JSON.stringify(CREATOR_SESSION) }],
            },
          ]
        : [],
    },
  });
  await ctx.clock.setFixedTime(NOW);
  await ctx.route("**/api/**", async (route) => {
    const request = route.request();
    const url = new URL(request.url());
    const answer = answerApi(
      request.method(),
      url,
      (await request.headerValue("authorization")) ?? undefined,
    );
    if (!answer) {
      h.unanswered.add(`${request.method()} ${url.pathname}`);
      await route.fulfill({ status: 404, contentType: "application/problem+json", body: "{}" });
    } else if (answer.status === 204) await route.fulfill({ status: 204 });
    else
      await route.fulfill({
        status: answer.status,
        contentType: answer.status < 400 ? "application/json" : "application/problem+json",
        body: JSON.stringify(answer.body),
      });
  });
  await ctx.routeWebSocket(/\/api\/v1\/me\/notifications\/live/, (ws) => {
    ws.onMessage((m) => {
      if (m === "ping") ws.send("pong");
    });
    ws.send(JSON.stringify({ type: "hello", unread: NOTIFICATIONS.unread }));
  });
  return ctx;
}

/** The pages under test, and who looks at them. */
export interface PageSpec {
  name: string;
  path: string;
  /** The creator (session in localStorage) rather than a signed-out visitor. */
  signedIn: boolean;
}

export const PAGES: PageSpec[] = [
  { name: "home", path: "/", signedIn: false },
  { name: "watch", path: "/watch/vid_1", signedIn: false },
  { name: "channel", path: "/channel/ch_northern", signedIn: false },
  { name: "studio", path: "/studio", signedIn: true },
  { name: "upload", path: "/studio/upload", signedIn: true },
  { name: "sign-in", path: "/signin", signedIn: false },
];

// The tests' tsconfig has no DOM lib: what runs in the page is a string.
/** Scrolls one viewport down (content below the fold may load when it comes into view); true at the end. */
const SCROLL_DOWN = `(async () => {
  const before = window.scrollY;
  window.scrollBy(0, window.innerHeight);
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  return window.scrollY === before;
})()`;
const SETTLE = `(async () => {
  window.scrollTo(0, 0);
  await document.fonts.ready;
  for (const img of document.images) img.loading = "eager";
  await Promise.all(Array.from(document.images, (img) => img.decode().catch(() => undefined)));
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  return true;
})()`;

const QUIET_MS = 500;
/** Counts DOM changes, so a wait can also last until React has rendered what arrived. */
const COUNT_MUTATIONS = `window.__visualMutations = 0;
new MutationObserver(() => { window.__visualMutations += 1; })
  .observe(document, { subtree: true, childList: true, attributes: true, characterData: true });`;
const quietWaits = new WeakMap<Page, () => Promise<void>>();

/**
 * Tracks the page's requests in flight and its DOM changes, so a wait can last until for QUIET_MS
 * no request has been in flight and nothing in the page has changed (on two shared cores, a render
 * can take longer than a pause between requests).
 */
async function trackQuiet(page: Page): Promise<void> {
  await page.addInitScript(COUNT_MUTATIONS);
  const inFlight = new Set<Request>();
  let changed = Date.now();
  const track = (add: boolean) => (request: Request) => {
    if (add) inFlight.add(request);
    else inFlight.delete(request);
    changed = Date.now();
  };
  page.on("request", track(true));
  page.on("requestfinished", track(false));
  page.on("requestfailed", track(false));
  let mutations = 0;
  quietWaits.set(page, async () => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const now = (await page.evaluate("window.__visualMutations ?? 0")) as number;
      if (now !== mutations) {
        mutations = now;
        changed = Date.now();
      }
      if (inFlight.size === 0 && Date.now() - changed >= QUIET_MS) return;
      if (Date.now() > deadline)
        throw new Error(
          `${page.url()} did not settle within 20 s: ${mutations} DOM changes; in flight: ${[...inFlight].map((r) => r.url()).join(", ") || "none"}`,
        );
      await new Promise((r) => setTimeout(r, 100));
    }
  });
}

/** Opens a page and waits until it has stopped changing (see settle). */
export async function openPage(h: Harness, ctx: BrowserContext, spec: PageSpec): Promise<Page> {
  const page = await ctx.newPage();
  await trackQuiet(page);
  await page.goto(h.base + spec.path, { waitUntil: "load" });
  await settle(page);
  return page;
}

/**
 * Waits until the page is done: every part scrolled into view once (lazy content loads), no request
 * in flight, fonts and images in, back at the top.
 */
export async function settle(page: Page): Promise<void> {
  const quiet = quietWaits.get(page) ?? (() => page.waitForLoadState("networkidle"));
  await quiet();
  for (let i = 0; i < 40 && !(await page.evaluate(SCROLL_DOWN)); i++) await quiet();
  await quiet();
  await page.evaluate(SETTLE);
  await quiet();
}

/**
 * Loaded pages shared by the tests that look at the same page, width and theme (screenshot, then
 * axe, then the Tab walk), so each is loaded once; a page closes after its last planned use.
 */
export class PagePool {
  private readonly entries = new Map<string, { uses: number; page?: Promise<Page> }>();

  constructor(private readonly open: (key: string) => Promise<Page>) {}

  /** Declares one more use of `key` (call while defining the tests). */
  plan(key: string): void {
    const e = this.entries.get(key) ?? { uses: 0 };
    e.uses += 1;
    this.entries.set(key, e);
  }

  async use<T>(key: string, look: (page: Page) => Promise<T>): Promise<T> {
    const e = this.entries.get(key);
    if (!e) throw new Error(`no use of ${key} was planned`);
    e.page ??= this.open(key);
    try {
      return await look(await e.page);
    } finally {
      e.uses -= 1;
      if (e.uses === 0) await (await e.page.catch(() => null))?.close();
    }
  }
}

/** The full page, with the <video> (its frame and native controls move with decoding) masked. */
function shoot(page: Page): Promise<Buffer> {
  return page.screenshot({
    fullPage: true,
    animations: "disabled",
    caret: "hide",
    mask: [page.locator("video")],
    maskColor: "#2b2b30",
    scale: "css",
  });
}

const pngHeight = (png: Buffer) => png.readUInt32BE(20);

/**
 * A screenshot of the page at rest: taken again (after another quiet wait) until two in a row are
 * identical and as tall as the document, so a late render under load never becomes a baseline.
 */
export async function screenshot(page: Page): Promise<Buffer> {
  const quiet = quietWaits.get(page) ?? (() => page.waitForLoadState("networkidle"));
  const tallness = async () => (await page.evaluate("document.documentElement.scrollHeight")) as number;
  let last = null as Buffer | null;
  for (let i = 0; i < 5; i++) {
    await quiet();
    const height = await tallness();
    const shot = await shoot(page);
    if (last?.equals(shot) && pngHeight(shot) === height) return shot;
    last = pngHeight(shot) === height ? shot : null;
  }
  throw new Error(`${page.url()} kept changing between screenshots (5 tries)`);
}
