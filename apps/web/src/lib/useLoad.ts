import { type DependencyList, startTransition, useCallback, useEffect, useRef, useState } from "react";

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  /** Loads again (after a change the page made, or to poll); the data on screen stays meanwhile. */
  reload: () => void;
  /** Replaces the data locally (optimistic updates, live frames). */
  setData: (next: T | undefined | ((prev: T | undefined) => T | undefined)) => void;
}

export interface LoadOptions<T> {
  /** False: load nothing (signed out, nothing asked yet); the data stays as it was. */
  enabled?: boolean;
  /** The data already in hand (the edge's first screen): shown at once instead of asked for. */
  initial?: T;
}

/**
 * The one way a page or component reads one thing: runs `load` when `deps` change and keeps its
 * result or error. New deps mean another thing, so the old data goes; a result that arrives after
 * the deps changed again (a stale answer) is dropped.
 */
export function useLoad<T>(
  load: () => Promise<T>,
  deps: DependencyList,
  { enabled = true, initial }: LoadOptions<T> = {},
): Loaded<T> {
  const [data, setData] = useState<T | undefined>(initial);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(enabled && initial === undefined);
  const [tick, setTick] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller's deps decide when to reload
  const run = useCallback(load, deps);
  const lastRun = useRef(run);
  // The data came with the page: the mount does not ask for it again (new deps, reload() still do).
  // Compared by identity, not cleared by the first run: StrictMode runs a mount's effects twice.
  const seededWith = useRef(enabled && initial !== undefined ? run : null);
  useEffect(() => {
    if (enabled && tick === 0 && seededWith.current === run) return;
    seededWith.current = null;
    if (lastRun.current !== run) {
      lastRun.current = run;
      setData(undefined);
    }
    if (!enabled) {
      setLoading(false);
      return;
    }
    let live = true;
    setLoading(true);
    setError(null);
    // An answer is drawn as a transition: React renders it in short slices and input stays
    // responsive meanwhile (a page's data often arrives while it is still starting up).
    run().then(
      (value) => {
        if (!live) return;
        startTransition(() => {
          setData(value);
          setLoading(false);
        });
      },
      (err: unknown) => {
        if (!live) return;
        startTransition(() => {
          setError(err);
          setLoading(false);
        });
      },
    );
    return () => {
      live = false;
    };
  }, [run, tick, enabled]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload, setData };
}
