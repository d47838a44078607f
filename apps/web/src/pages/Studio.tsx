import { Link } from "react-router";
import { api, must } from "../api/client";
import { ListFooter } from "../components/ListFooter";
import { ProblemMessage } from "../components/ProblemMessage";
import { SignInPrompt } from "../components/SignInPrompt";
import { ProcessingProgress } from "../components/studio/ProcessingProgress";
import { useSession } from "../lib/session";
import { isProcessing, statusLabel, type Video } from "../lib/studio";
import { useInterval } from "../lib/useInterval";
import { useLoad } from "../lib/useLoad";
import { cursorQuery, usePagedList } from "../lib/usePagedList";
import "../studio.css";

const POLL_MS = 2000;

/** The creator's studio: their videos (GET /api/v1/me/videos), polled every 2 s while any is processing. */
export function StudioPage() {
  const signedIn = useSession() !== null;
  const me = useLoad(() => must(api.GET("/api/v1/me")), [signedIn], { enabled: signedIn });
  const videos = usePagedList(
    (cursor) =>
      must(api.GET("/api/v1/me/videos", { params: { query: { limit: 50, ...cursorQuery(cursor) } } })),
    [signedIn],
    { enabled: signedIn, idOf: (v) => v.id },
  );
  // Refreshing the first page keeps the older pages loaded with "More".
  useInterval(videos.refresh, videos.items.some(isProcessing) ? POLL_MS : null);

  if (!signedIn) return <SignInPrompt className="studio" title="Studio" to="to see your videos." />;

  const channelId = me.data?.channelId;
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
      <ProblemMessage error={me.error} />
      {videos.items.length ? <VideoTable videos={videos.items} /> : null}
      <ListFooter list={videos} empty={channelId ? "No videos yet." : undefined} />
    </section>
  );
}

function VideoTable({ videos }: { videos: Video[] }) {
  return (
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
  );
}
