import { type DependencyList, useCallback, useEffect, useState } from "react";

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  /** Loads again (after a change the page made). */
  reload: () => void;
  /** Replaces the data locally (optimistic updates). */
  setData: (next: T | ((prev: T | undefined) => T | undefined)) => void;
}

/**
 * Runs `load` when `deps` change and keeps its result or error. A result that arrives after the
 * deps changed again (a stale answer) is dropped.
 */
export function useLoad<T>(load: () => Promise<T>, deps: DependencyList): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller's deps decide when to reload
  const run = useCallback(load, deps);
  // biome-ignore lint/correctness/useExhaustiveDependencies: tick is how reload() asks for another run
  useEffect(() => {
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
  }, [run, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload, setData };
}
