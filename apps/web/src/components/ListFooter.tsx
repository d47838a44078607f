import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { PagedList } from "../lib/usePagedList";
import { Button, EmptyState, Spinner } from "../ui";
import { ProblemMessage } from "./ProblemMessage";

/**
 * What goes around a paged list's items: the problem when a page failed, the empty state once the
 * list is known to be empty (`empty` as its title, `emptyHint`/`emptyAction` for what to do next),
 * a spinner while a page comes, and the button for the next page.
 */
export function ListFooter<T>({
  list,
  empty,
  emptyHint,
  emptyAction,
  more,
  loadingText,
}: {
  list: Pick<PagedList<T>, "items" | "error" | "loading" | "hasMore" | "loadMore">;
  empty?: string;
  emptyHint?: string;
  emptyAction?: ReactNode;
  more?: string;
  loadingText?: string;
}) {
  const { t } = useTranslation("common");
  return (
    <>
      <ProblemMessage error={list.error} />
      {empty && !list.loading && !list.error && list.items.length === 0 ? (
        <EmptyState compact title={empty} description={emptyHint} action={emptyAction} />
      ) : null}
      {list.loading ? (
        <div className="list-footer-loading">
          <Spinner label={loadingText ?? t("status.loading")} />
        </div>
      ) : null}
      {list.hasMore && !list.loading ? (
        <Button className="more" onClick={list.loadMore}>
          {more ?? t("actions.more")}
        </Button>
      ) : null}
    </>
  );
}
