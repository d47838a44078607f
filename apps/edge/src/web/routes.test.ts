import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import deHome from "../../../web/src/i18n/locales/de/home.json";
import { testDb } from "../../test/fixtures";
import { type ApiOptions, api, apiJson, type SeededAccount, seedAccount, unique } from "../../test/harness";
import { storedVideo, uniqueWord } from "../catalog/test-utils";
import { videoReactionDays } from "../db/schema";
import { recomputeTrending } from "../feed/trending-task";

describe("GET /embed/{videoId}", () => {
  it("serves the web app's index.html, exactly what the ASSETS binding serves for /", async () => {
    const res = await api(`/embed/vid_${unique("embed")}`);
    const body = await res.text();
    const asset = await env.ASSETS.fetch("http://marquee.test/");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(body).toBe(await asset.text());
    expect(body).toContain('<div id="root">');
  });

  it("may be framed by other sites: frame-ancestors * and no X-Frame-Options", async () => {
    const res = await api(`/embed/vid_${unique("frame")}`);
    await res.body?.cancel();
    expect(res.headers.get("x-frame-options")).toBeNull();
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("frame-ancestors *");
    expect(csp).not.toContain("frame-ancestors 'none'");
    // Still a strict page: scripts only from our own origin.
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
  });

  it("leaves every other HTML page unframeable", async () => {
    const res = await api("/api/docs");
    await res.body?.cancel();
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
  });
});

/** The shell as the static assets serve it, without the worker's first screen. */
const plainIndex = async () => (await env.ASSETS.fetch("http://marquee.test/")).text();

/** The parsed `<script type="application/json" id="first-screen">`, or null when there is none. */
function firstScreenJson(html: string): unknown {
  const m = /<script type="application\/json" id="first-screen">([\s\S]*?)<\/script>/.exec(html);
  return m ? JSON.parse(m[1] as string) : null;
}

async function page(path: string, options: ApiOptions = {}) {
  const res = await api(path, options);
  return { status: res.status, type: res.headers.get("content-type") ?? "", html: await res.text() };
}

/**
 * `/` against the API's own answer for the same request: another test file's trending recompute
 * may reorder the list (or move its cursor's score) between the two requests, so a mismatch is
 * retried a few times before it counts.
 */
async function homeWithItsTrending(options: ApiOptions = {}) {
  for (let attempt = 1; ; attempt++) {
    const trending = await apiJson<{ items: { posterUrl: string }[] }>("/api/v1/trending?limit=24", 200);
    const home = await page("/", options);
    const after = await apiJson("/api/v1/trending?limit=24", 200);
    if (attempt === 3 || JSON.stringify(after) === JSON.stringify(trending)) return { home, trending };
  }
}

describe("GET / and /watch/{videoId}: the first screen", () => {
  const title = `Sunset & "Waves" <live> ${uniqueWord("fs")}`;
  const evil = `</script><script>alert(1)</script> "<b>& ${uniqueWord("fs")}`;
  const hidden = `Private first screen ${uniqueWord("fs")}`;
  let owner: SeededAccount;
  let hot: string;
  let evilId: string;
  let privateId: string;
  let kidsId: string;

  beforeAll(async () => {
    owner = await seedAccount({ tag: "firstscreen", channel: true });
    [hot, evilId, privateId, kidsId] = await Promise.all([
      storedVideo(owner, { title, maturity: "adult" }),
      storedVideo(owner, { title: evil }),
      storedVideo(owner, { title: hidden, visibility: "private" }),
      storedVideo(owner, { title: `For everyone ${uniqueWord("fs")}`, maturity: "kids" }),
    ]);
    // Liked today far above anything else, so both lead trending overall through any recompute.
    const day = new Date().toISOString().slice(0, 10);
    await testDb()
      .insert(videoReactionDays)
      .values([
        { videoId: hot, day, likes: 1_000_000, dislikes: 0 },
        { videoId: evilId, day, likes: 999_999, dislikes: 0 },
      ]);
    await recomputeTrending(env, Date.now());
  });

  it("/ renders trending's first page: the cards, the first poster preloaded, and the API's answer as JSON", async () => {
    const { home, trending } = await homeWithItsTrending();
    expect(home.status).toBe(200);
    expect(home.type).toContain("text/html");
    const { html } = home;
    expect(html).toContain(
      `>Sunset &#38; &#34;Waves&#34; &#60;live&#62; ${title.split(" ").at(-1)}</a></h3>`,
    );
    expect(html).toContain(`data-video-id="${hot}"`);
    const poster = trending.items[0]?.posterUrl as string;
    expect(poster).toMatch(/^https?:\/\/[^"&<>']+\/thumbs\/poster\.jpg$/);
    expect(html).toContain(`<img src="${poster}"`);
    expect(html).toContain(`<link rel="preload" as="image" href="${poster}"`);
    expect(html).toContain(`<h1 id="trending">Trending</h1>`);
    expect(firstScreenJson(html)).toEqual({ path: "/", trending });
  });

  it("a title that tries to close the script stays text in the HTML and the JSON", async () => {
    type Data = { trending?: { items: { id: string; title: string }[] }; video?: { title: string } };
    const escaped = "&#60;/script&#62;&#60;script&#62;alert(1)&#60;/script&#62; &#34;&#60;b&#62;&#38; ";
    for (const path of ["/", `/watch/${evilId}`]) {
      const { html } = await page(path);
      expect(html, path).toContain(escaped);
      expect(html, path).not.toContain("<script>alert");
      expect(html, path).not.toContain('"<b>&');
      const data = firstScreenJson(html) as Data;
      const shown = data.video ?? data.trending?.items.find((c) => c.id === evilId);
      expect(shown?.title, path).toBe(evil);
    }
  });

  it("a signed-in visitor gets the plain shell on /", async () => {
    const { status, html } = await page("/", { headers: { cookie: "marquee_signed_in=1" } });
    expect(status).toBe(200);
    expect(html).toBe(await plainIndex());
  });

  it("/watch/{id} of a public video: its poster (the playback answer's) and title, with the video as JSON", async () => {
    const [{ html, status }, video, playback] = await Promise.all([
      page(`/watch/${hot}`),
      apiJson(`/api/v1/videos/${hot}`, 200),
      apiJson<{ posterUrl: string }>(`/api/v1/videos/${hot}/playback`, 200),
    ]);
    expect(status).toBe(200);
    const { posterUrl } = playback;
    expect(html).toContain(`<img class="player-poster" src="${posterUrl}"`);
    expect(html).toContain(`<link rel="preload" as="image" href="${posterUrl}"`);
    expect(html).toContain('<h1 id="watch-title" class="watch-title">Sunset &#38; &#34;Waves&#34;');
    expect(firstScreenJson(html)).toEqual({ path: `/watch/${hot}`, video, posterUrl });
  });

  it("/watch/{id} of a private, unknown or malformed id is the plain shell, never an error", async () => {
    for (const id of [privateId, `vid_${uniqueWord("nope")}`, "%3Cscript%3E", "x"]) {
      const { status, html } = await page(`/watch/${id}`);
      expect(status, id).toBe(200);
      expect(html, id).not.toContain('id="first-screen"');
      expect(html, id).not.toContain("player-poster");
      expect(html, id).not.toContain(hidden);
      expect(html, id).toContain('<div id="root">');
    }
  });

  it("speaks German to a browser that prefers it", async () => {
    const { html } = await page("/", { headers: { "accept-language": "de-AT,de;q=0.9" } });
    expect(html).toContain(`<h1 id="trending">${deHome.reason.trending}</h1>`);
  });

  it("inlines the stylesheets, leaving their links disabled, and loads the app after the first paint", async () => {
    const plain = await (await env.ASSETS.fetch("http://marquee.test/")).text();
    const sheets = [...plain.matchAll(/<link rel="stylesheet"[^>]*href="([^"]+)"/g)].map((m) => m[1] ?? "");
    const entry = /<script type="module"[^>]*src="([^"]+)"/.exec(plain)?.[1] ?? "";
    const preloads = [...plain.matchAll(/<link rel="modulepreload"[^>]*href="([^"]+)"/g)].map(
      (m) => m[1] ?? "",
    );
    expect(sheets.length).toBeGreaterThan(0);
    for (const path of ["/", `/watch/${hot}`]) {
      const { html } = await page(path);
      expect(html, path).toContain('id="first-screen"');
      for (const sheet of sheets) {
        const css = await (await env.ASSETS.fetch(`http://marquee.test${sheet}`)).text();
        // Inline, and the link kept but disabled (browsers neither fetch nor apply it).
        expect(html, path).toContain(`<style>${css}</style>`);
        expect(html, path).toMatch(new RegExp(`<link rel="stylesheet"[^>]*href="${sheet}"[^>]*disabled`));
      }
      // The entry behind public/boot.js, the module preloads disarmed until it runs.
      expect(html, path).toContain(`src="/boot.js?entry=${encodeURIComponent(entry)}"`);
      for (const href of preloads) expect(html, path).toContain(`data-later-href="${href}"`);
      expect(html, path).not.toMatch(/<link rel="modulepreload"[^>]* href=/);
    }
  });

  it("signed in, a watch page has a first screen only for a video rated for kids: the profile may be a child's", async () => {
    const signedIn = { headers: { cookie: "marquee_signed_in=1" } };
    const adult = await page(`/watch/${hot}`, signedIn);
    expect(adult.status).toBe(200);
    expect(adult.html).toBe(await plainIndex());
    const kids = await page(`/watch/${kidsId}`, signedIn);
    expect(firstScreenJson(kids.html)).toMatchObject({
      path: `/watch/${kidsId}`,
      video: { maturity: "kids" },
    });
    expect(kids.html).toContain('<img class="player-poster"');
  });

  it("answers every other address under /watch and /embed with the app, not the API's JSON 404", async () => {
    const plain = await plainIndex();
    for (const path of [`/watch/${hot}/`, "/watch/", `/watch/${hot}/more`, `/embed/${hot}/`]) {
      const res = await page(path);
      expect(res.status, path).toBe(200);
      expect(res.type, path).toContain("text/html");
      expect(res.html, path).toBe(plain);
    }
  });

  it("keeps the page out of shared caches (it varies by the signed-in flag and the language); HEAD builds nothing", async () => {
    const res = await api(`/watch/${hot}`);
    await res.body?.cancel();
    expect(res.headers.get("cache-control")).toBe("private, no-cache");
    expect(res.headers.get("vary")).toContain("Cookie");
    expect(res.headers.get("vary")).toContain("Accept-Language");
    const head = await api(`/watch/${hot}`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-type")).toContain("text/html");
    expect(await head.text()).toBe("");
  });
});
