import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { VideoCardData } from "../api/types";
import { useFormat } from "../lib/format";
import type { PagedList } from "../lib/usePagedList";
import { Avatar, Badge, ErrorState, SkeletonGrid } from "../ui";
import { ListFooter } from "./ListFooter";
import { VideoThumb } from "./video/VideoThumb";

export interface VideoCardProps {
  video: VideoCardData;
  /** Where the profile stopped (history, "continue watching"): drawn as a bar over the thumbnail. */
  positionMs?: number;
  /** A line under the meta ("Watched 3 days ago"). */
  note?: string;
  /** A control beside the title (remove from history). */
  action?: ReactNode;
  /** Load the poster at once (the first cards of a page, above the fold). */
  eager?: boolean;
}

/**
 * One video in a listing: thumbnail (duration, progress, hover preview), channel avatar, title,
 * channel, views and age, and its badges. `data-testid="video-card"` with the video's id and
 * maturity lets tests check what a profile sees.
 */
export function VideoCard({ video, positionMs, note, action, eager }: VideoCardProps) {
  const { t } = useTranslation(["layout", "common"]);
  const f = useFormat();
  const age = f.timeAgo(video.publishedAt);
  return (
    <article
      className="video-card"
      data-testid="video-card"
      data-video-id={video.id}
      data-maturity={video.maturity}
    >
      <VideoThumb video={video} positionMs={positionMs} eager={eager} />
      <div className="video-card-body">
        <Avatar id={video.channel.id} name={video.channel.name} size="sm" />
        <div className="video-card-text">
          <h3 className="video-card-title">
            <Link to={`/watch/${video.id}`}>{video.title}</Link>
          </h3>
          <Link to={`/channel/${video.channel.id}`} className="video-card-channel">
            {video.channel.name}
          </Link>
          <p className="video-card-meta">
            {t("common:count.views", { count: video.viewCount })}
            {age ? <span aria-hidden="true"> · </span> : null}
            {age ? <span className="video-card-age">{age}</span> : null}
          </p>
          {video.premium || video.maturity !== "adult" ? (
            <p className="video-card-badges">
              {video.premium ? <Badge tone="warning">{t("card.premium")}</Badge> : null}
              {video.maturity !== "adult" ? (
                <Badge tone={video.maturity === "kids" ? "success" : "info"}>
                  {t(`common:maturity.${video.maturity}`)}
                </Badge>
              ) : null}
            </p>
          ) : null}
          {note ? <p className="video-card-note">{note}</p> : null}
        </div>
        {action ? <div className="video-card-action">{action}</div> : null}
      </div>
    </article>
  );
}

/** A responsive grid of cards (a list: screen readers say how many). */
export function VideoGrid({
  videos,
  eagerCount = 4,
}: {
  videos: VideoCardData[];
  /** How many of the first posters load at once rather than lazily. */
  eagerCount?: number;
}) {
  return (
    <ul className="card-grid">
      {videos.map((v, i) => (
        <li key={v.id}>
          <VideoCard video={v} eager={i < eagerCount} />
        </li>
      ))}
    </ul>
  );
}

/**
 * A paged list of videos as a grid with all its states: skeleton cards for the first page, an
 * error with Retry when it failed, `empty` (and what to do about it) when there is nothing, then
 * "More".
 */
export function PagedVideoGrid({
  list,
  empty,
  emptyHint,
  emptyAction,
  more,
  loadingText,
}: {
  list: PagedList<VideoCardData>;
  empty?: string;
  emptyHint?: string;
  emptyAction?: ReactNode;
  more?: string;
  loadingText?: string;
}) {
  const { t } = useTranslation(["layout", "common"]);
  if (list.items.length === 0 && list.loading) return <SkeletonGrid count={8} label={loadingText} />;
  if (list.items.length === 0 && list.error) return <ErrorState error={list.error} onRetry={list.reload} />;
  return (
    <>
      {list.items.length ? <VideoGrid videos={list.items} /> : null}
      <ListFooter
        list={list}
        empty={empty ?? t("card.noVideos")}
        emptyHint={emptyHint}
        emptyAction={emptyAction}
        more={more}
        loadingText={loadingText}
      />
    </>
  );
}
