import { useCallback, useEffect, useRef, useState } from "react";
import { Link } from "react-router";
import { api, must } from "../api/client";
import { ProblemMessage } from "../components/ProblemMessage";
import { useSession } from "../lib/session";
import { isProcessing, statusLabel, type Video } from "../lib/studio";
import "../studio.css";

const POLL_MS = 2000;
const PAGE = 50;

/** A video's processing progress: the bar and the percent as text. */
export function ProcessingProgress({ video }: { video: Video }) {
  return (
    <span className="processing" data-testid="processing-progress" data-percent={video.progress}>
      <progress aria-label={`Processing progress of ${video.title}`} max={100} value={video.progress} />{" "}
      {video.progress}%
    </span>
  );
}

/** The creator's studio: their videos (GET /api/v1/me/videos), polled every 2 s while any is processing. */
export function StudioPage() {
  const signedIn = useSession() !== null;
  const [videos, setVideos] = useState<Video[] | null>(null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [channelId, setChannelId] = useState<string | null | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const pagedOn = useRef(false);

  const load = useCallback(async () => {
    try {
      const page = await must(api.GET("/api/v1/me/videos", { params: { query: { limit: PAGE } } }));
      // Refreshing the first page keeps the older pages loaded with "Load more".
      const fresh = new Set(page.items.map((v) => v.id));
      setVideos((old) => [...page.items, ...(old ?? []).slice(PAGE).filter((v) => !fresh.has(v.id))]);
      if (!pagedOn.current) setNextCursor(page.nextCursor);
      setError(null);
    } catch (err) {
      setError(err);
    }
  }, []);

  useEffect(() => {
    if (!signedIn) return;
    must(api.GET("/api/v1/me"))
      .then((me) => setChannelId(me.channelId))
      .catch(setError);
    void load();
  }, [signedIn, load]);

  const busy = videos?.some(isProcessing) ?? false;
  useEffect(() => {
    if (!busy) return;
    const timer = setInterval(() => void load(), POLL_MS);
    return () => clearInterval(timer);
  }, [busy, load]);

  async function more() {
    if (!nextCursor) return;
    try {
      const page = await must(
        api.GET("/api/v1/me/videos", { params: { query: { limit: PAGE, cursor: nextCursor } } }),
      );
      pagedOn.current = true;
      setVideos((old) => [...(old ?? []), ...page.items.filter((v) => !old?.some((o) => o.id === v.id))]);
      setNextCursor(page.nextCursor);
    } catch (err) {
      setError(err);
    }
  }

  if (!signedIn)
    return (
      <section className="studio">
        <h1>Studio</h1>
        <p>
          <Link to="/signin">Sign in</Link> to see your videos.
        </p>
      </section>
    );

  return (
    <section className="studio">
      <div className="studio-head">
        <h1>Studio</h1>
        {channelId ? (
          <Link className="button-like" to="/studio/upload">
            Upload a video
          </Link>
        ) : null}
      </div>
      {channelId === null ? (
        <p>
          You have no channel yet. <Link to="/studio/channel">Create your channel</Link> to start uploading.
        </p>
      ) : null}
      <ProblemMessage error={error} />
      {videos === null ? <p>Loading…</p> : null}
      {videos?.length === 0 && channelId ? <p>No videos yet.</p> : null}
      {videos?.length ? (
        <table className="studio-table">
          <caption className="visually-hidden">Your videos</caption>
          <thead>
            <tr>
              <th scope="col">Video</th>
              <th scope="col">Status</th>
              <th scope="col">Visibility</th>
              <th scope="col">Views</th>
              <th scope="col">Likes</th>
              <th scope="col">Comments</th>
            </tr>
          </thead>
          <tbody>
            {videos.map((v) => (
              <tr key={v.id} data-testid="studio-video" data-video-id={v.id} data-status={v.status}>
                <th scope="row">
                  <Link to={`/studio/videos/${v.id}`}>{v.title}</Link>
                  <div className="studio-sub">{new Date(v.createdAt).toLocaleString()}</div>
                </th>
                <td>
                  {statusLabel(v.status)}
                  {isProcessing(v) ? (
                    <div>
                      <ProcessingProgress video={v} />
                    </div>
                  ) : null}
                  {v.status === "failed" && v.failureReason ? (
                    <div className="studio-sub">{v.failureReason}</div>
                  ) : null}
                  {v.playable ? (
                    <div>
                      <Link to={`/watch/${v.id}`}>Watch</Link>
                    </div>
                  ) : null}
                </td>
                <td>{v.visibility}</td>
                <td>{v.viewCount}</td>
                <td>{v.likeCount}</td>
                <td>{v.commentCount}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {nextCursor ? (
        <button type="button" onClick={() => void more()}>
          Load more
        </button>
      ) : null}
    </section>
  );
}
