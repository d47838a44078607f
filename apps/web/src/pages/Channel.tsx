import { useParams } from "react-router";
import { api, must } from "../api/client";
import { ProblemMessage } from "../components/ProblemMessage";
import { SubscribeButton } from "../components/SubscribeButton";
import { PagedVideoGrid } from "../components/VideoCard";
import { useSession } from "../lib/session";
import { useLoad } from "../lib/useLoad";
import { cursorQuery, usePagedList } from "../lib/usePagedList";

/** A channel page: its name, description, subscribe button and videos (newest first). */
export function ChannelPage() {
  const { channelId = "" } = useParams();
  const s = useSession();
  const channel = useLoad(
    () => must(api.GET("/api/v1/channels/{channelId}", { params: { path: { channelId } } })),
    [channelId],
  );
  const videos = usePagedList(
    (cursor) =>
      must(
        api.GET("/api/v1/channels/{channelId}/videos", {
          params: { path: { channelId }, query: { limit: 24, ...cursorQuery(cursor) } },
        }),
      ),
    [channelId],
  );

  if (channel.error) return <ProblemMessage error={channel.error} />;
  const c = channel.data;
  return (
    <section>
      {c ? (
        <header className="channel-header">
          <div>
            <h1>{c.name}</h1>
            <p className="muted">@{c.handle}</p>
            {c.description ? <p>{c.description}</p> : null}
          </div>
          <SubscribeButton
            key={c.id}
            channelId={c.id}
            initialCount={c.subscriberCount}
            isOwner={s?.accountId === c.ownerAccountId}
          />
        </header>
      ) : (
        <p className="muted">Loading…</p>
      )}
      <h2>Videos</h2>
      <PagedVideoGrid list={videos} empty="This channel has no videos yet." />
    </section>
  );
}
