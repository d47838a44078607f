import { Link } from "react-router";
import type { VideoCardData } from "../api/types";
import { formatCount, formatDuration, timeAgo } from "../lib/format";
import type { PagedList } from "../lib/usePagedList";
import { ListFooter } from "./ListFooter";

/**
 * One video in a listing: poster, title (links to the watch page), channel, duration, views.
 * `data-testid="video-card"` with the video's id and maturity lets tests check what a profile sees.
 */
export function VideoCard({ video, note }: { video: VideoCardData; note?: string }) {
  const duration = formatDuration(video.durationMs);
  return (
    <article
      className="video-card"
      data-testid="video-card"
      data-video-id={video.id}
      data-maturity={video.maturity}
    >
      <Link to={`/watch/${video.id}`} className="video-card-poster" tabIndex={-1}>
        <img src={video.posterUrl} alt={video.title} loading="lazy" width={320} height={180} />
        {duration ? <span className="video-card-duration">{duration}</span> : null}
        {video.processing ? <span className="video-card-badge">Processing</span> : null}
      </Link>
      <div className="video-card-body">
        <h3 className="video-card-title">
          <Link to={`/watch/${video.id}`}>{video.title}</Link>
        </h3>
        <Link to={`/channel/${video.channel.id}`} className="video-card-channel">
          {video.channel.name}
        </Link>
        <p className="video-card-meta">
          {formatCount(video.viewCount, "view", "views")}
          {video.publishedAt ? ` · ${timeAgo(video.publishedAt)}` : ""}
          {video.premium ? " · Premium" : ""}
          {video.maturity !== "adult" ? ` · ${video.maturity === "kids" ? "Kids" : "Teen"}` : ""}
        </p>
        {note ? <p className="video-card-note">{note}</p> : null}
      </div>
    </article>
  );
}

/** A responsive grid of cards. */
export function VideoGrid({ videos }: { videos: VideoCardData[] }) {
  return (
    <div className="video-grid">
      {videos.map((v) => (
        <VideoCard key={v.id} video={v} />
      ))}
    </div>
  );
}

/** A paged list of videos as a grid, with its "empty", "Loading…" and "More" states. */
export function PagedVideoGrid({
  list,
  empty = "No videos yet.",
  more,
  loadingText,
}: {
  list: PagedList<VideoCardData>;
  empty?: string;
  more?: string;
  loadingText?: string;
}) {
  return (
    <>
      {list.items.length ? <VideoGrid videos={list.items} /> : null}
      <ListFooter list={list} empty={empty} more={more} loadingText={loadingText} />
    </>
  );
}
