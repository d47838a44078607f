/**
 * Runs React hooks in the web project's Node tests with the real React renderer. No DOM library is
 * installed, so the hook renders inside a component that draws nothing, mounted with
 * react-dom/client on a stand-in container: React then touches only the few properties stubbed
 * here (no element is ever created), and effects, state updates and StrictMode run as in a browser.
 * Call `installHookHarness()` once at the top of a test file.
 */
import { act, createElement, StrictMode } from "react";
import type { Root } from "react-dom/client";
import { afterAll, afterEach, beforeAll, vi } from "vitest";

const noop = () => {};
let createRoot: typeof import("react-dom/client").createRoot;

/** Stubs the globals React needs, and unmounts every root after each test. */
export function installHookHarness() {
  beforeAll(async () => {
    vi.stubGlobal("IS_REACT_ACT_ENVIRONMENT", true);
    const document = { nodeType: 9, activeElement: null, addEventListener: noop, removeEventListener: noop };
    const window = { document, event: undefined, HTMLIFrameElement: class {}, addEventListener: noop };
    Object.assign(document, { defaultView: window });
    vi.stubGlobal("window", window);
    vi.stubGlobal("document", document);
    ({ createRoot } = await import("react-dom/client"));
  });

  afterAll(() => {
    vi.unstubAllGlobals();
  });

  afterEach(async () => {
    for (const root of roots.splice(0)) await act(async () => root.unmount());
  });
}

const roots: Root[] = [];

interface ProbeProps {
  hook: (props: unknown) => unknown;
  props: unknown;
  renders: unknown[];
}

/** Draws nothing: calls the hook and keeps what it returned. */
function Probe({ hook, props, renders }: ProbeProps) {
  renders.push(hook(props));
  return null;
}

/** Runs `hook(props)` in a component and keeps every render's result (StrictMode renders twice). */
export async function renderHook<P, R>(hook: (props: P) => R, props: P, { strict = false } = {}) {
  const renders: R[] = [];
  const container = {
    nodeType: 1,
    nodeName: "DIV",
    tagName: "DIV",
    namespaceURI: "http://www.w3.org/1999/xhtml",
    ownerDocument: document,
    addEventListener: noop,
    removeEventListener: noop,
  };
  const root = createRoot(container as unknown as Element);
  roots.push(root);
  const draw = (next: P) => {
    const probe = createElement(Probe, {
      hook: hook as (props: unknown) => unknown,
      props: next,
      renders: renders as unknown[],
    });
    root.render(strict ? createElement(StrictMode, null, probe) : probe);
  };
  await act(async () => draw(props));
  return {
    renders,
    get current(): R {
      return renders[renders.length - 1] as R;
    },
    rerender: (next: P) => act(async () => draw(next)),
  };
}

/** A loader whose answers the test hands out: `answer(value)` settles the oldest call still open. */
export function controlledLoader<T>() {
  const open: ((value: T) => void)[] = [];
  const loader = vi.fn((..._args: unknown[]) => new Promise<T>((resolve) => open.push(resolve)));
  const answer = (value: T) =>
    act(async () => {
      const next = open.shift();
      if (!next) throw new Error("no request is waiting for an answer");
      next(value);
    });
  return { loader, answer };
}
