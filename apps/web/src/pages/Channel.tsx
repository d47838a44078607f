import { useEffect, useRef, useState } from "react";
import { useParams } from "react-router";
import { api, must } from "../api/client";
import type { VideoCardData } from "../api/types";
import { ProblemMessage } from "../components/ProblemMessage";
import { SubscribeButton } from "../components/SubscribeButton";
import { VideoGrid } from "../components/VideoCard";
import { useSession } from "../lib/session";
import { useLoad } from "../lib/useLoad";

/** A channel page: its name, description, subscribe button and videos (newest first). */
export function ChannelPage() {
  const { channelId = "" } = useParams();
  const s = useSession();
  const channel = useLoad(
    () => must(api.GET("/api/v1/channels/{channelId}", { params: { path: { channelId } } })),
    [channelId],
  );
  const [items, setItems] = useState<VideoCardData[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  // The channel on screen: an answer for another one (the reader moved on) is dropped.
  const current = useRef(channelId);
  current.current = channelId;

  async function load(from: string | null) {
    const asked = channelId;
    setLoading(true);
    setError(null);
    try {
      const page = await must(
        api.GET("/api/v1/channels/{channelId}/videos", {
          params: { path: { channelId: asked }, query: { limit: 24, ...(from ? { cursor: from } : {}) } },
        }),
      );
      if (current.current !== asked) return;
      setItems((prev) => (from ? [...prev, ...page.items] : page.items));
      setCursor(page.nextCursor);
    } catch (err) {
      if (current.current === asked) setError(err);
    } finally {
      if (current.current === asked) setLoading(false);
    }
  }

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new channel starts over
  useEffect(() => {
    setItems([]);
    void load(null);
  }, [channelId]);

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
      <ProblemMessage error={error} />
      {!(loading && items.length === 0) ? (
        <VideoGrid videos={items} empty="This channel has no videos yet." />
      ) : null}
      {cursor && !loading ? (
        <button type="button" className="more" onClick={() => load(cursor)}>
          More
        </button>
      ) : null}
    </section>
  );
}
