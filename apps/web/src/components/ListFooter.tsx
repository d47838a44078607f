import type { PagedList } from "../lib/usePagedList";
import { ProblemMessage } from "./ProblemMessage";

/**
 * What goes around a paged list's items: the problem when a page failed, "nothing here" once the
 * list is known to be empty, "Loading…" while a page comes, and the button for the next page.
 */
export function ListFooter<T>({
  list,
  empty,
  more = "More",
  loadingText = "Loading…",
}: {
  list: Pick<PagedList<T>, "items" | "error" | "loading" | "hasMore" | "loadMore">;
  empty?: string;
  more?: string;
  loadingText?: string;
}) {
  return (
    <>
      <ProblemMessage error={list.error} />
      {empty && !list.loading && !list.error && list.items.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : null}
      {list.loading ? <p className="muted">{loadingText}</p> : null}
      {list.hasMore && !list.loading ? (
        <button type="button" className="more" onClick={list.loadMore}>
          {more}
        </button>
      ) : null}
    </>
  );
}
