import { describe, expect, it, onTestFinished } from "vitest";
import { BOOKMARK_HEADER, createBookmarkStore } from "./d1Bookmark";

const B1 = "00000000-00000011-00000000-00000000000000000000000000000000";
const B2 = "00000000-00000012-00000000-00000000000000000000000000000000";
const B3 = "00000000-00000013-00000000-00000000000000000000000000000000";

/** localStorage as one origin has it: every store made over it (a tab, a reload) sees the same. */
function originStorage() {
  const items = new Map<string, string>();
  return {
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
  };
}

describe("createBookmarkStore", () => {
  it("keeps the newest bookmark whatever order responses arrive in, and ignores junk", () => {
    const store = createBookmarkStore(originStorage());
    expect(store.current()).toBeNull();
    store.remember(B2);
    store.remember(B1); // an older request answered last
    store.remember(null);
    store.remember("");
    store.remember("has spaces in it");
    store.remember("x".repeat(300));
    expect(store.current()).toBe(B2);
    store.remember(B3);
    expect(store.current()).toBe(B3);
  });

  it("survives a reload and is shared by the tabs of one browser", () => {
    const storage = originStorage();
    const tabA = createBookmarkStore(storage);
    const tabB = createBookmarkStore(storage);
    tabA.remember(B2);
    expect(tabB.current()).toBe(B2);
    expect(createBookmarkStore(storage).current()).toBe(B2);
  });

  it("still holds the bookmark in memory when storage is missing or throws", () => {
    const none = createBookmarkStore(null);
    none.remember(B1);
    expect(none.current()).toBe(B1);
    const broken = createBookmarkStore({
      getItem: () => {
        throw new Error("SecurityError");
      },
      setItem: () => {
        throw new Error("QuotaExceededError");
      },
    });
    broken.remember(B2);
    expect(broken.current()).toBe(B2);
  });
});

describe("the API client", () => {
  it("sends the last bookmark it received and updates it from every response", async () => {
    const storage = originStorage();
    const sent: (string | null)[] = [];
    const answers: (string | null)[] = [B1, B3, B2, null];
    // The app's real client (openapi-fetch + its middleware) over a fake network and localStorage:
    // the client reads window.location and captures fetch when its module loads, so set them first.
    const g = globalThis as Record<string, unknown>;
    const saved = { fetch: g.fetch, localStorage: g.localStorage };
    onTestFinished(() => {
      Object.assign(g, saved);
    });
    g.window ??= { location: { origin: "http://127.0.0.1:8787" } };
    g.localStorage = storage;
    g.fetch = async (request: Request) => {
      sent.push(request.headers.get(BOOKMARK_HEADER));
      const bookmark = answers.shift() ?? null;
      const status = sent.length === 2 ? 404 : 200;
      const headers = new Headers({ "content-type": "application/json" });
      if (bookmark) headers.set(BOOKMARK_HEADER, bookmark);
      return new Response(JSON.stringify(status === 200 ? {} : { title: "Not found", status }), {
        status,
        headers,
      });
    };
    const { api } = await import("../api/client");

    await api.GET("/api/v1/me");
    await api.GET("/api/v1/me"); // a problem response's bookmark counts too
    await api.PATCH("/api/v1/me", { body: { displayName: "New name" } });
    await api.GET("/api/v1/me"); // answered without a bookmark: the held one stays
    await api.GET("/api/v1/me");

    expect(sent).toEqual([null, B1, B3, B3, B3]);
    expect(storage.getItem("marquee.d1Bookmark")).toBe(B3);
  });
});
