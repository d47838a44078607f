/** useLoad's `initial` data (the edge's first screen), run by the real React renderer (hook-harness.test-utils.ts). */
import { act } from "react";
import { describe, expect, it } from "vitest";
import { controlledLoader, installHookHarness, renderHook } from "./hook-harness.test-utils";
import { useLoad } from "./useLoad";

installHookHarness();

interface Video {
  id: string;
  title: string;
}

/** An inline loader, as pages pass one: a new function each render, kept by the hook until deps change. */
const inline = (loader: () => Promise<Video>) => () => loader();

const SENT: Video = { id: "abc", title: "From the edge" };
const FETCHED: Video = { id: "abc", title: "From the API" };
const OTHER: Video = { id: "xyz", title: "Another video" };

describe("useLoad with initial data", () => {
  it("shows it on the first render, not loading, and does not ask for it on mount", async () => {
    const { loader } = controlledLoader<Video>();
    const view = await renderHook(() => useLoad(inline(loader), [], { initial: SENT }), {});
    expect(view.renders[0]?.data).toBe(SENT);
    expect(view.renders[0]?.loading).toBe(false);
    expect(view.renders[0]?.error).toBeNull();
    // Effects have run (act flushed them): still no request, still the same data.
    expect(loader).not.toHaveBeenCalled();
    expect(view.current.data).toBe(SENT);
    expect(view.current.loading).toBe(false);
  });

  it("still asks on reload(), keeping the data on screen meanwhile", async () => {
    const { loader, answer } = controlledLoader<Video>();
    const view = await renderHook(() => useLoad(inline(loader), [], { initial: SENT }), {});
    await act(async () => view.current.reload());
    expect(loader).toHaveBeenCalledTimes(1);
    expect(view.current.loading).toBe(true);
    expect(view.current.data).toBe(SENT);
    await answer(FETCHED);
    expect(view.current.data).toBe(FETCHED);
    expect(view.current.loading).toBe(false);
  });

  it("still asks when the deps change: the old data goes while the new one loads", async () => {
    const { loader, answer } = controlledLoader<Video>();
    const view = await renderHook(
      (p: { id: string }) => useLoad(inline(loader), [p.id], { initial: p.id === "abc" ? SENT : undefined }),
      { id: "abc" },
    );
    expect(loader).not.toHaveBeenCalled();
    await view.rerender({ id: "xyz" });
    expect(loader).toHaveBeenCalledTimes(1);
    expect(view.current.data).toBeUndefined();
    expect(view.current.loading).toBe(true);
    await answer(OTHER);
    expect(view.current.data).toBe(OTHER);
    expect(view.current.loading).toBe(false);
  });

  type Retired = { first: Video | undefined };
  it("keeps the initial data when the page drops it later (the first screen retired)", async () => {
    const { loader } = controlledLoader<Video>();
    const view = await renderHook((p: Retired) => useLoad(inline(loader), ["abc"], { initial: p.first }), {
      first: SENT,
    } as Retired);
    await view.rerender({ first: undefined });
    expect(loader).not.toHaveBeenCalled();
    expect(view.current.data).toBe(SENT);
    expect(view.current.loading).toBe(false);
  });

  it("disabled, shows the initial data and asks nothing", async () => {
    const { loader } = controlledLoader<Video>();
    const view = await renderHook(() => useLoad(inline(loader), [], { initial: SENT, enabled: false }), {});
    expect(view.renders[0]?.data).toBe(SENT);
    expect(view.renders[0]?.loading).toBe(false);
    expect(loader).not.toHaveBeenCalled();
    expect(view.current.data).toBe(SENT);
    expect(view.current.loading).toBe(false);
  });

  // React runs a mount's effects twice under <StrictMode> (main.tsx, in development), keeping refs:
  // the seeded mount must skip its fetch both times.
  it("under StrictMode, does not ask for the initial data on mount either", async () => {
    const { loader } = controlledLoader<Video>();
    const view = await renderHook(() => useLoad(inline(loader), [], { initial: SENT }), {}, { strict: true });
    expect(loader).not.toHaveBeenCalled();
    expect(view.current.loading).toBe(false);
  });
});

describe("useLoad without initial data", () => {
  it("is loading on the first render with no data, and asks on mount", async () => {
    const { loader, answer } = controlledLoader<Video>();
    const view = await renderHook(() => useLoad(inline(loader), []), {});
    expect(view.renders[0]?.loading).toBe(true);
    expect(view.renders[0]?.data).toBeUndefined();
    expect(loader).toHaveBeenCalledTimes(1);
    await answer(FETCHED);
    expect(view.current.data).toBe(FETCHED);
    expect(view.current.loading).toBe(false);
  });

  it("disabled, is not loading and asks nothing", async () => {
    const { loader } = controlledLoader<Video>();
    const view = await renderHook(() => useLoad(inline(loader), [], { enabled: false }), {});
    expect(view.renders[0]?.loading).toBe(false);
    expect(loader).not.toHaveBeenCalled();
  });
});
