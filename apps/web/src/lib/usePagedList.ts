import { type DependencyList, startTransition, useCallback, useEffect, useRef, useState } from "react";

/** One page of a cursor list, as every list endpoint answers it. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PagedList<T, P extends Page<unknown> = Page<T>> {
  items: T[];
  /** The newest page as the API sent it (for what a list answers besides its items). */
  last: P | undefined;
  error: unknown;
  loading: boolean;
  hasMore: boolean;
  /** Appends the next page. */
  loadMore: () => void;
  /** Starts over from the first page. */
  reload: () => void;
  /** Fetches the first page again and keeps the pages loaded after it ("Load more"): for polling. */
  refresh: () => void;
  /** Changes the loaded items locally (an entry removed, a comment posted). */
  setItems: (update: (prev: T[]) => T[]) => void;
}

export interface PagedListOptions<T, P = Page<T>> {
  /** False: load nothing (signed out, nothing asked yet); the list is empty. */
  enabled?: boolean;
  /** What makes two items the same one, so refresh() does not show an item twice. */
  idOf?: (item: T) => string;
  /** The first page already in hand (the edge's first screen): shown at once instead of asked for. */
  initial?: P;
}

/** `{ cursor }` for a query when there is one: `query: { limit: 24, ...cursorQuery(cursor) }`. */
export const cursorQuery = (cursor: string | undefined) => (cursor ? { cursor } : {});

type ItemOf<P extends Page<unknown>> = P["items"][number];

interface State<T, P> {
  items: T[];
  last: P | undefined;
  cursor: string | null;
  firstPageSize: number;
  pagedOn: boolean;
}

const EMPTY = { items: [], last: undefined, cursor: null, firstPageSize: 0, pagedOn: false };

function firstPageState<T, P extends Page<unknown>>(page: P): State<T, P> {
  const items = page.items as T[];
  return { items, last: page, cursor: page.nextCursor, firstPageSize: items.length, pagedOn: false };
}

/**
 * The one way a page or component reads a cursor list (`{ items, nextCursor }` pages): the first
 * page when `deps` change (the list starts over), then "load more". An answer for deps that have
 * changed since it was asked (a stale answer) is dropped.
 */
export function usePagedList<P extends Page<unknown>>(
  loadPage: (cursor: string | undefined) => Promise<P>,
  deps: DependencyList,
  { enabled = true, idOf, initial }: PagedListOptions<ItemOf<P>, P> = {},
): PagedList<ItemOf<P>, P> {
  type T = ItemOf<P>;
  const [state, setState] = useState<State<T, P>>(() => (initial ? firstPageState(initial) : EMPTY));
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(enabled && !initial);
  // Bumped whenever the list starts over: answers asked under an older generation are stale.
  const generation = useRef(0);
  const busy = useRef(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller's deps decide when to start over
  const load = useCallback(loadPage, deps);
  // The first page came with the page: the mount does not ask for it again (new deps still do).
  // Compared by identity, not cleared by the first run: StrictMode runs a mount's effects twice.
  const seededWith = useRef(initial && enabled ? load : null);
  const latest = useRef({ load, idOf, enabled });
  latest.current = { load, idOf, enabled };

  const fetchPage = useCallback(
    async (cursor: string | undefined, apply: (prev: State<T, P>, page: P) => State<T, P>, quiet = false) => {
      const asked = generation.current;
      busy.current = true;
      if (!quiet) setLoading(true);
      setError(null);
      // The answer is drawn as a transition: React renders it in short slices, input stays responsive.
      let answer: { page: P } | { error: unknown };
      try {
        answer = { page: await latest.current.load(cursor) };
      } catch (error) {
        answer = { error };
      }
      if (asked !== generation.current) return;
      busy.current = false;
      startTransition(() => {
        if ("page" in answer) {
          const { page } = answer;
          setState((prev) => apply(prev, page));
        } else setError(answer.error);
        setLoading(false);
      });
    },
    [],
  );

  const reload = useCallback(() => {
    generation.current += 1;
    if (!latest.current.enabled) {
      busy.current = false;
      setLoading(false);
      return;
    }
    void fetchPage(undefined, (_prev, page) => firstPageState<T, P>(page));
  }, [fetchPage]);

  useEffect(() => {
    if (enabled && seededWith.current === load) return;
    seededWith.current = null;
    setState(EMPTY);
    reload();
  }, [load, enabled, reload]);

  const loadMore = useCallback(() => {
    const cursor = state.cursor;
    if (!cursor || busy.current) return;
    void fetchPage(cursor, (prev, page) => ({
      ...prev,
      items: [...prev.items, ...(page.items as T[])],
      last: page,
      cursor: page.nextCursor,
      pagedOn: true,
    }));
  }, [state.cursor, fetchPage]);

  const refresh = useCallback(() => {
    if (busy.current || !latest.current.enabled) return;
    void fetchPage(
      undefined,
      (prev, page) => {
        const idOf = latest.current.idOf;
        const fresh = new Set(idOf ? (page.items as T[]).map(idOf) : []);
        const older = prev.items.slice(prev.firstPageSize).filter((item) => !idOf || !fresh.has(idOf(item)));
        return {
          items: [...(page.items as T[]), ...older],
          last: page,
          cursor: prev.pagedOn ? prev.cursor : page.nextCursor,
          firstPageSize: (page.items as T[]).length,
          pagedOn: prev.pagedOn,
        };
      },
      true,
    );
  }, [fetchPage]);

  const setItems = useCallback((update: (prev: T[]) => T[]) => {
    setState((prev) => ({ ...prev, items: update(prev.items) }));
  }, []);

  return {
    items: state.items,
    last: state.last,
    error,
    loading,
    hasMore: state.cursor !== null,
    loadMore,
    reload,
    refresh,
    setItems,
  };
}
