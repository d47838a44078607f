import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useFormat } from "../../lib/format";
import type { Video } from "../../lib/studio";
import { Skeleton } from "../../ui";
import { VideoAnalyticsTextLink } from "../analytics/AnalyticsLinks";
import { VideoStatus } from "./VideoStatus";
import { VideoThumb } from "./VideoThumb";

/**
 * The creator's videos as a table (thumbnail and title, visibility, state, date, counts); under
 * 720 px each row is drawn as a card (studio-list.css). Each row carries `data-testid="studio-video"`
 * with the video's id and API status, which tests read.
 */
export function StudioVideoList({ videos }: { videos: Video[] }) {
  const { t } = useTranslation("studio");
  const f = useFormat();
  return (
    <table className="studio-table">
      <caption className="visually-hidden">{t("list.caption")}</caption>
      <thead>
        <tr>
          <th scope="col">{t("list.video")}</th>
          <th scope="col">{t("list.visibility")}</th>
          <th scope="col">{t("list.status")}</th>
          <th scope="col">{t("list.date")}</th>
          <th scope="col" className="studio-num">
            {t("list.views")}
          </th>
          <th scope="col" className="studio-num">
            {t("list.likes")}
          </th>
          <th scope="col" className="studio-num">
            {t("list.comments")}
          </th>
        </tr>
      </thead>
      <tbody>
        {videos.map((v) => (
          <tr key={v.id} data-testid="studio-video" data-video-id={v.id} data-status={v.status}>
            <th scope="row" className="studio-video-cell">
              <div className="studio-video-cell-inner">
                <Link to={`/studio/videos/${v.id}`} tabIndex={-1} aria-hidden="true">
                  <VideoThumb video={v} />
                </Link>
                <span className="studio-video-text">
                  <Link className="studio-video-title" to={`/studio/videos/${v.id}`}>
                    {v.title}
                  </Link>
                  {v.playable ? (
                    <>
                      <Link className="studio-video-watch" to={`/watch/${v.id}`}>
                        {t("list.watch")}
                      </Link>
                      <VideoAnalyticsTextLink className="studio-video-watch" videoId={v.id} title={v.title} />
                    </>
                  ) : null}
                </span>
              </div>
            </th>
            <td data-label={t("list.visibility")}>{t(`visibility.${v.visibility}`)}</td>
            <td data-label={t("list.status")}>
              <VideoStatus video={v} />
            </td>
            <td data-label={t("list.date")}>
              <time dateTime={v.createdAt} title={f.dateTime(v.createdAt)}>
                {f.date(v.createdAt)}
              </time>
            </td>
            <td data-label={t("list.views")} className="studio-num">
              {f.compact(v.viewCount)}
            </td>
            <td data-label={t("list.likes")} className="studio-num">
              {f.compact(v.likeCount)}
            </td>
            <td data-label={t("list.comments")} className="studio-num">
              {f.compact(v.commentCount)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Rows on their way: the table's shape in grey, announced once. */
export function StudioVideoListSkeleton({ rows = 4 }: { rows?: number }) {
  const { t } = useTranslation("studio");
  return (
    <div role="status" className="studio-skeleton">
      <span className="visually-hidden">{t("list.loading")}</span>
      {Array.from({ length: rows }, (_, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: identical placeholders
        <div key={i} className="studio-skeleton-row" aria-hidden="true">
          <Skeleton className="studio-skeleton-thumb" radius="md" />
          <span className="studio-skeleton-text">
            <Skeleton width="70%" />
            <Skeleton width="40%" height="0.75em" />
          </span>
          <Skeleton className="studio-skeleton-chip" width="5.5rem" height="1.5rem" radius="full" />
        </div>
      ))}
    </div>
  );
}
