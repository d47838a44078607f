/** usePagedList's `initial` page (the edge's first screen), run by the real React renderer (hook-harness.test-utils.ts). */
import { act } from "react";
import { describe, expect, it } from "vitest";
import { controlledLoader, installHookHarness, renderHook } from "./hook-harness.test-utils";
import { type Page, usePagedList } from "./usePagedList";

installHookHarness();

interface Card {
  id: string;
}
type CardPage = Page<Card>;

/** An inline loader, as pages pass one: a new function each render, kept by the hook until deps change. */
const pages = (loader: (cursor: string | undefined) => Promise<CardPage>) => (cursor: string | undefined) =>
  loader(cursor);

const FIRST: CardPage = { items: [{ id: "a" }, { id: "b" }], nextCursor: "c1" };
const SECOND: CardPage = { items: [{ id: "c" }], nextCursor: null };
const FRESH: CardPage = { items: [{ id: "z" }], nextCursor: null };
const ids = (items: Card[]) => items.map((c) => c.id);

describe("usePagedList with an initial page", () => {
  it("shows it on the first render, not loading, and does not ask for it on mount", async () => {
    const { loader } = controlledLoader<CardPage>();
    const view = await renderHook(() => usePagedList(pages(loader), [], { initial: FIRST }), {});
    const first = view.renders[0];
    expect(first && ids(first.items)).toEqual(["a", "b"]);
    expect(first?.loading).toBe(false);
    expect(first?.last).toBe(FIRST);
    expect(first?.hasMore).toBe(true);
    expect(first?.error).toBeNull();
    // Effects have run (act flushed them): still no request, still the same page.
    expect(loader).not.toHaveBeenCalled();
    expect(ids(view.current.items)).toEqual(["a", "b"]);
    expect(view.current.loading).toBe(false);
  });

  it("loads the next page from the initial page's cursor and appends it", async () => {
    const { loader, answer } = controlledLoader<CardPage>();
    const view = await renderHook(() => usePagedList(pages(loader), [], { initial: FIRST }), {});
    await act(async () => view.current.loadMore());
    expect(loader).toHaveBeenCalledTimes(1);
    expect(loader).toHaveBeenCalledWith("c1");
    expect(view.current.loading).toBe(true);
    await answer(SECOND);
    expect(ids(view.current.items)).toEqual(["a", "b", "c"]);
    expect(view.current.hasMore).toBe(false);
    expect(view.current.loading).toBe(false);
  });

  it("still asks on reload(), starting over from the first page", async () => {
    const { loader, answer } = controlledLoader<CardPage>();
    const view = await renderHook(() => usePagedList(pages(loader), [], { initial: FIRST }), {});
    await act(async () => view.current.reload());
    expect(loader).toHaveBeenCalledTimes(1);
    expect(loader).toHaveBeenCalledWith(undefined);
    expect(view.current.loading).toBe(true);
    await answer(FRESH);
    expect(ids(view.current.items)).toEqual(["z"]);
    expect(view.current.last).toBe(FRESH);
    expect(view.current.loading).toBe(false);
  });

  it("still asks when the deps change: the list starts over, empty while it loads", async () => {
    const { loader, answer } = controlledLoader<CardPage>();
    const view = await renderHook(
      (p: { q: string }) => usePagedList(pages(loader), [p.q], { initial: FIRST }),
      {
        q: "one",
      },
    );
    expect(loader).not.toHaveBeenCalled();
    await view.rerender({ q: "two" });
    expect(loader).toHaveBeenCalledTimes(1);
    expect(loader).toHaveBeenCalledWith(undefined);
    expect(view.current.items).toEqual([]);
    expect(view.current.loading).toBe(true);
    await answer(FRESH);
    expect(ids(view.current.items)).toEqual(["z"]);
    expect(view.current.loading).toBe(false);
  });

  it("refresh() asks again and keeps the initial page's items once each", async () => {
    const { loader, answer } = controlledLoader<CardPage>();
    const view = await renderHook(
      () => usePagedList(pages(loader), [], { initial: FIRST, idOf: (c: Card) => c.id }),
      {},
    );
    await act(async () => view.current.refresh());
    expect(loader).toHaveBeenCalledWith(undefined);
    // A quiet fetch: the list stays on screen, not loading.
    expect(view.current.loading).toBe(false);
    await answer({ items: [{ id: "new" }, { id: "a" }, { id: "b" }], nextCursor: "c2" });
    expect(ids(view.current.items)).toEqual(["new", "a", "b"]);
  });

  it("disabled, ignores the initial page: the list is empty and nothing is asked", async () => {
    const { loader } = controlledLoader<CardPage>();
    const view = await renderHook(
      () => usePagedList(pages(loader), [], { initial: FIRST, enabled: false }),
      {},
    );
    expect(view.renders[0]?.loading).toBe(false);
    expect(loader).not.toHaveBeenCalled();
    expect(view.current.items).toEqual([]);
    expect(view.current.loading).toBe(false);
  });

  // React runs a mount's effects twice under <StrictMode> (main.tsx, in development), keeping refs:
  // the seeded mount must skip its fetch both times.
  it("under StrictMode, does not ask for the initial page on mount either", async () => {
    const { loader } = controlledLoader<CardPage>();
    const view = await renderHook(
      () => usePagedList(pages(loader), [], { initial: FIRST }),
      {},
      { strict: true },
    );
    expect(loader).not.toHaveBeenCalled();
    expect(ids(view.current.items)).toEqual(["a", "b"]);
    expect(view.current.loading).toBe(false);
  });
});

describe("usePagedList without an initial page", () => {
  it("is loading on the first render with no items, and asks for the first page on mount", async () => {
    const { loader, answer } = controlledLoader<CardPage>();
    const view = await renderHook(() => usePagedList(pages(loader), []), {});
    expect(view.renders[0]?.loading).toBe(true);
    expect(view.renders[0]?.items).toEqual([]);
    expect(view.renders[0]?.last).toBeUndefined();
    expect(loader).toHaveBeenCalledTimes(1);
    expect(loader).toHaveBeenCalledWith(undefined);
    await answer(FIRST);
    expect(ids(view.current.items)).toEqual(["a", "b"]);
    expect(view.current.loading).toBe(false);
  });

  it("disabled, is not loading and asks nothing", async () => {
    const { loader } = controlledLoader<CardPage>();
    const view = await renderHook(() => usePagedList(pages(loader), [], { enabled: false }), {});
    expect(view.renders[0]?.loading).toBe(false);
    expect(loader).not.toHaveBeenCalled();
  });
});
