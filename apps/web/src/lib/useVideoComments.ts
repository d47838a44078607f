import { api, must } from "../api/client";
import type { paths } from "../api/schema";
import type { Comment } from "../api/types";
import { cursorQuery, type PagedList, usePagedList } from "./usePagedList";

type CommentsPage =
  paths["/api/v1/videos/{videoId}/comments"]["get"]["responses"][200]["content"]["application/json"];
export type CommentSort = "top" | "newest";

/**
 * A video's comments, paged; `last` carries the video's comment mode and count. `viewer` (the
 * active profile) is part of the key: what a profile sees of held comments is its own.
 */
export function useVideoComments(
  videoId: string,
  { sort, limit, viewer = null }: { sort: CommentSort; limit: number; viewer?: string | null },
): PagedList<Comment, CommentsPage> {
  return usePagedList(
    (cursor) =>
      must(
        api.GET("/api/v1/videos/{videoId}/comments", {
          params: { path: { videoId }, query: { sort, limit, ...cursorQuery(cursor) } },
        }),
      ),
    [videoId, sort, limit, viewer],
  );
}
