import { type Context, Hono } from "hono";
import { AppError } from "../lib/errors";
import type { AppEnv } from "../types";
import { type FirstScreen, homeFirstScreen, watchFirstScreen } from "./first-screen";
import { jsonForScript, preloadImage } from "./first-screen-html";

/** Where the app reads its first screen's data (apps/web/src/lib/firstScreen.ts). */
export const FIRST_SCREEN_ELEMENT_ID = "first-screen";

/**
 * Routes that serve the web app's own pages from the worker (wrangler.toml `run_worker_first`):
 *
 * - `/embed/{videoId}`: the embeddable player. Its response goes through the security-headers
 *   middleware, which makes /embed/* the one frameable path (`frame-ancestors *`, no X-Frame-Options).
 * - `/` and `/watch/{videoId}`: index.html with the first screen rendered in (first-screen.ts),
 *   so the largest paint does not wait for the app's JavaScript.
 *
 * Each is the SPA's index.html from the static assets; the app's router renders the page.
 */
export const webRoutes = new Hono<AppEnv>()
  .get("/embed/:videoId", (c) => appPage(c, null))
  .get("/", async (c) => appPage(c, await firstScreenOr(c, () => homeFirstScreen(c))))
  .get("/watch/:videoId", async (c) =>
    appPage(c, await firstScreenOr(c, () => watchFirstScreen(c, c.req.param("videoId")))),
  )
  // Any other address under these (a trailing slash, a path below) is the app's to answer, as the
  // static assets' SPA fallback did before the worker ran first here: never the API's JSON 404.
  .get("/embed/*", (c) => appPage(c, null))
  .get("/watch/*", (c) => appPage(c, null));

/**
 * The first screen, or none: a page the visitor may not see, or any failure to build it, leaves
 * the plain shell, which the app fills as it always did. The page itself never fails for it.
 */
async function firstScreenOr(c: Context<AppEnv>, build: () => Promise<FirstScreen | null>) {
  // HEAD gets the headers alone: nothing to build.
  if (c.req.method === "HEAD") return null;
  try {
    return await build();
  } catch (err) {
    if (!(err instanceof AppError) || err.status >= 500)
      c.var.log("warn", { event: "first_screen_failed", path: c.req.path, error: String(err) });
    return null;
  }
}

/**
 * The build's stylesheets by path, read once per isolate: their names carry a content hash, so a
 * path's content never changes (a new build is a new path).
 */
const stylesheets = new Map<string, string>();

async function stylesheet(assets: Fetcher, url: URL): Promise<string | null> {
  if (!url.pathname.startsWith("/assets/") || !url.pathname.endsWith(".css")) return null;
  const cached = stylesheets.get(url.pathname);
  if (cached !== undefined) return cached;
  const res = await assets.fetch(url, { method: "GET" });
  // A missing file would come back as the SPA's index.html: only CSS is inlined.
  if (!res.ok || !(res.headers.get("content-type") ?? "").includes("text/css")) {
    await res.body?.cancel();
    return null;
  }
  // Our own build's CSS; still, nothing in it may close the element early.
  const css = (await res.text()).replace(/<\/style/gi, "<\\/style");
  stylesheets.set(url.pathname, css);
  return css;
}

async function appPage(c: Context<AppEnv>, screen: FirstScreen | null) {
  // "/" is the SPA's index.html (asking for /index.html would redirect to "/").
  const index = await c.env.ASSETS.fetch(new URL("/", c.req.url), { method: "GET" });
  const type = index.headers.get("content-type") ?? "";
  if (!index.ok || !type.includes("text/html")) {
    await index.body?.cancel();
    throw new AppError("misconfigured", "The web app's index.html is not available (is apps/web built?)");
  }
  // A fresh response: none of the asset's own headers (its _headers rules forbid framing). Not
  // kept by shared caches: the page depends on the signed-in flag and the language, and carries
  // today's trending and day-stable signed poster links.
  const headers = {
    "content-type": type,
    "cache-control": "private, no-cache",
    vary: "Cookie, Accept-Language",
  };
  if (c.req.method === "HEAD") {
    await index.body?.cancel();
    return new Response(null, { status: 200, headers });
  }
  if (!screen) return new Response(index.body, { status: 200, headers });
  const assets = c.env.ASSETS;
  const rewritten = new HTMLRewriter()
    .on('link[rel="stylesheet"]', {
      // The page's CSS inline: without a render-blocking request the first screen paints as soon as
      // the HTML is parsed, instead of after a round trip for each stylesheet.
      async element(link) {
        const href = link.getAttribute("href");
        // The page has started streaming: a stylesheet that cannot be read stays a plain link.
        const css = href ? await stylesheet(assets, new URL(href, c.req.url)).catch(() => null) : null;
        if (css === null) return;
        // The link stays, disabled (not fetched, not applied), so the app's chunk loader sees this
        // stylesheet as present and does not add it again: a stylesheet added later would restyle
        // the whole page in the middle of the page's first render.
        link.before(`<style>${css}</style>`, { html: true });
        link.setAttribute("disabled", "");
      },
    })
    // The app's code after the first paint, so that on a slow link the first screen's poster does
    // not share the bandwidth with the app's script: the entry goes behind apps/web/public/boot.js
    // (`/boot.js?entry=/assets/index-<hash>.js`), which starts after the next frame (or after 200 ms
    // in a background tab, which paints none): it arms the module preloads disarmed here
    // (`data-later-href`), so the chunks download at once, then evaluates them one per task and the
    // entry last (one long task otherwise). boot.js loads only the build's own /assets/*.js, and
    // removes the first screen for a session older than the signed-in flag (first-screen.ts).
    .on('link[rel="modulepreload"]', {
      element(link) {
        const href = link.getAttribute("href");
        if (!href) return;
        link.setAttribute("data-later-href", href);
        link.removeAttribute("href");
      },
    })
    .on('script[type="module"][src]', {
      element(script) {
        const src = script.getAttribute("src");
        if (src?.startsWith("/assets/"))
          script.setAttribute("src", `/boot.js?entry=${encodeURIComponent(src)}`);
      },
    })
    .on("head", {
      element(head) {
        if (screen.preload) head.prepend(preloadImage(screen.preload), { html: true });
      },
    })
    .on("#root", {
      element(root) {
        root.append(screen.html, { html: true });
        root.after(
          `<script type="application/json" id="${FIRST_SCREEN_ELEMENT_ID}">${jsonForScript(screen.data)}</script>`,
          { html: true },
        );
      },
    })
    .transform(new Response(index.body, { status: 200, headers }));
  return rewritten;
}
