import { type DependencyList, useCallback, useEffect, useRef, useState } from "react";

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  /** Loads again (after a change the page made, or to poll); the data on screen stays meanwhile. */
  reload: () => void;
  /** Replaces the data locally (optimistic updates, live frames). */
  setData: (next: T | undefined | ((prev: T | undefined) => T | undefined)) => void;
}

export interface LoadOptions {
  /** False: load nothing (signed out, nothing asked yet); the data stays as it was. */
  enabled?: boolean;
}

/**
 * The one way a page or component reads one thing: runs `load` when `deps` change and keeps its
 * result or error. New deps mean another thing, so the old data goes; a result that arrives after
 * the deps changed again (a stale answer) is dropped.
 */
export function useLoad<T>(
  load: () => Promise<T>,
  deps: DependencyList,
  { enabled = true }: LoadOptions = {},
): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(enabled);
  const [tick, setTick] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller's deps decide when to reload
  const run = useCallback(load, deps);
  const lastRun = useRef(run);
  // biome-ignore lint/correctness/useExhaustiveDependencies: tick is how reload() asks for another run
  useEffect(() => {
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
    run().then(
      (value) => {
        if (!live) return;
        setData(value);
        setLoading(false);
      },
      (err: unknown) => {
        if (!live) return;
        setError(err);
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
  }, [run, tick, enabled]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload, setData };
}
