/**
 * lib/firstScreen.ts on Node: the module reads `document` and `window` once, when it is imported,
 * so each case stubs a minimal page (an element with `getElementById`, a `location.pathname`) and
 * imports a fresh copy of the module.
 */
import { afterEach, describe, expect, it, vi } from "vitest";

type Module = typeof import("./firstScreen");

const TRENDING = {
  path: "/",
  trending: { items: [{ id: "v1", title: "One" }], nextCursor: "c1" },
};
const WATCH = {
  path: "/watch/abc",
  video: { id: "abc", title: "A video" },
  posterUrl: "https://cdn.example/abc.jpg",
};

interface FakeElement {
  textContent: string | null;
  remove: () => void;
}

/** A page at `pathname` whose index.html holds `json` in #first-screen (none when `json` is null). */
function stubPage(pathname: string, json: string | null) {
  let attached = json !== null;
  const element: FakeElement = {
    textContent: json,
    remove: vi.fn(() => {
      attached = false;
    }),
  };
  const getElementById = vi.fn((id: string) => (id === "first-screen" && attached ? element : null));
  vi.stubGlobal("document", { getElementById });
  vi.stubGlobal("window", { location: { pathname } });
  return { element, getElementById, isAttached: () => attached };
}

/** A fresh copy of the module, so it reads the page stubbed just before. */
async function load(): Promise<Module> {
  vi.resetModules();
  return import("./firstScreen");
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("the first screen the edge rendered", () => {
  it("on '/', gives trending's first page, and nothing for a watch page", async () => {
    stubPage("/", JSON.stringify(TRENDING));
    const m = await load();
    expect(m.firstScreen()).toEqual(TRENDING);
    expect(m.firstTrending()).toEqual(TRENDING.trending);
    expect(m.firstWatch("abc", false)).toBeUndefined();
  });

  it("on '/watch/:id', gives that video and its poster, and nothing for another video or trending", async () => {
    stubPage("/watch/abc", JSON.stringify(WATCH));
    const m = await load();
    expect(m.firstWatch("abc", false)).toMatchObject({ video: WATCH.video, posterUrl: WATCH.posterUrl });
    expect(m.firstWatch("other", false)).toBeUndefined();
    expect(m.firstTrending()).toBeUndefined();
  });

  it("signed in, takes only a video rated for kids: the edge's answer is the anonymous one", async () => {
    stubPage("/watch/abc", JSON.stringify({ ...WATCH, video: { ...WATCH.video, maturity: "adult" } }));
    const adult = await load();
    expect(adult.firstWatch("abc", true)).toBeUndefined();
    expect(adult.firstWatch("abc", false)).toBeDefined();
    stubPage("/watch/abc", JSON.stringify({ ...WATCH, video: { ...WATCH.video, maturity: "teen" } }));
    expect((await load()).firstWatch("abc", true)).toBeUndefined();
    stubPage("/watch/abc", JSON.stringify({ ...WATCH, video: { ...WATCH.video, maturity: "kids" } }));
    expect((await load()).firstWatch("abc", true)?.video.maturity).toBe("kids");
  });

  it("keeps a null poster as null", async () => {
    stubPage("/watch/abc", JSON.stringify({ ...WATCH, posterUrl: null }));
    const m = await load();
    expect(m.firstWatch("abc", false)?.posterUrl).toBeNull();
  });

  it("reads the element once, at import, and takes it out of the page", async () => {
    const page = stubPage("/", JSON.stringify(TRENDING));
    const m = await load();
    expect(page.getElementById).toHaveBeenCalledTimes(1);
    expect(page.getElementById).toHaveBeenCalledWith("first-screen");
    expect(page.element.remove).toHaveBeenCalledTimes(1);
    expect(page.isAttached()).toBe(false);
    // Asking again reads the data kept in memory, not the page.
    m.firstScreen();
    m.firstTrending();
    m.firstWatch("abc", false);
    expect(page.getElementById).toHaveBeenCalledTimes(1);
    expect(m.firstTrending()).toEqual(TRENDING.trending);
  });

  it("gives nothing when the data was rendered for another address (a redirect, a stale cache entry)", async () => {
    const page = stubPage("/watch/abc", JSON.stringify(TRENDING));
    const m = await load();
    expect(m.firstScreen()).toBeNull();
    expect(m.firstTrending()).toBeUndefined();
    expect(m.firstWatch("abc", false)).toBeUndefined();
    // The stale data still leaves the page.
    expect(page.element.remove).toHaveBeenCalledTimes(1);
  });

  it("matches the path exactly: a trailing slash or another video's page is another address", async () => {
    stubPage("/watch/abc/", JSON.stringify(WATCH));
    expect((await load()).firstScreen()).toBeNull();
    vi.unstubAllGlobals();
    stubPage("/watch/abcd", JSON.stringify(WATCH));
    expect((await load()).firstWatch("abcd", false)).toBeUndefined();
  });

  it("gives nothing, without throwing, for malformed JSON", async () => {
    const page = stubPage("/", "{not json");
    const m = await load();
    expect(m.firstScreen()).toBeNull();
    expect(m.firstTrending()).toBeUndefined();
    expect(page.element.remove).toHaveBeenCalledTimes(1);
  });

  it("gives nothing for JSON that is not a first screen (null, an object without a path)", async () => {
    stubPage("/", "null");
    expect((await load()).firstScreen()).toBeNull();
    vi.unstubAllGlobals();
    stubPage("/", "{}");
    expect((await load()).firstScreen()).toBeNull();
  });

  it("gives nothing when the page has no #first-screen, or an empty one", async () => {
    stubPage("/", null);
    expect((await load()).firstScreen()).toBeNull();
    vi.unstubAllGlobals();
    stubPage("/", "");
    expect((await load()).firstScreen()).toBeNull();
  });

  it("gives nothing without a document (Node, a worker)", async () => {
    expect(typeof document).toBe("undefined");
    const m = await load();
    expect(m.firstScreen()).toBeNull();
    expect(m.firstTrending()).toBeUndefined();
    expect(m.firstWatch("abc", false)).toBeUndefined();
  });

  it("is retired by leaveFirstScreen(): every page asks the API from then on", async () => {
    stubPage("/", JSON.stringify(TRENDING));
    const m = await load();
    expect(m.firstTrending()).toBeDefined();
    m.leaveFirstScreen();
    expect(m.firstScreen()).toBeNull();
    expect(m.firstTrending()).toBeUndefined();
    m.leaveFirstScreen();
    expect(m.firstScreen()).toBeNull();
  });

  it("leaveFirstScreen() retires a watch page's data too", async () => {
    stubPage("/watch/abc", JSON.stringify(WATCH));
    const m = await load();
    expect(m.firstWatch("abc", false)).toBeDefined();
    m.leaveFirstScreen();
    expect(m.firstWatch("abc", false)).toBeUndefined();
  });
});
