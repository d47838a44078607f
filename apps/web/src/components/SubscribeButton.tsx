import { useEffect, useState } from "react";
import { Link } from "react-router";
import { api, must } from "../api/client";
import { formatCount } from "../lib/format";
import { useSession } from "../lib/session";
import { ProblemMessage } from "./ProblemMessage";

/** Subscribe / Subscribed toggle for a channel (PUT / DELETE /channels/{id}/subscription). */
export function SubscribeButton({
  channelId,
  initialCount,
  isOwner,
}: {
  channelId: string;
  initialCount?: number;
  isOwner?: boolean;
}) {
  const s = useSession();
  const [subscribed, setSubscribed] = useState<boolean | null>(null);
  const [count, setCount] = useState(initialCount);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const path = { channelId };

  useEffect(() => {
    if (!s?.profileId) return;
    let live = true;
    must(api.GET("/api/v1/channels/{channelId}/subscription", { params: { path: { channelId } } })).then(
      (state) => {
        if (!live) return;
        setSubscribed(state.subscribed);
        setCount(state.subscriberCount);
      },
      (err: unknown) => live && setError(err),
    );
    return () => {
      live = false;
    };
  }, [channelId, s?.profileId]);

  const countText =
    count === undefined ? null : (
      <span className="muted">{formatCount(count, "subscriber", "subscribers")}</span>
    );
  if (!s)
    return (
      <div className="row">
        <Link to={`/signin?next=${encodeURIComponent(window.location.pathname)}`} className="button primary">
          Subscribe
        </Link>
        {countText}
      </div>
    );
  if (isOwner) return <div className="row">{countText}</div>;

  async function toggle() {
    setBusy(true);
    setError(null);
    try {
      if (subscribed) {
        await must(api.DELETE("/api/v1/channels/{channelId}/subscription", { params: { path } }));
        setSubscribed(false);
        setCount((c) => (c === undefined ? c : Math.max(0, c - 1)));
      } else {
        const state = await must(
          api.PUT("/api/v1/channels/{channelId}/subscription", { params: { path }, body: { level: "all" } }),
        );
        setSubscribed(state.subscribed);
        setCount(state.subscriberCount);
      }
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="row">
      <button
        type="button"
        className={subscribed ? "" : "primary"}
        aria-pressed={subscribed ?? false}
        disabled={busy || subscribed === null}
        onClick={toggle}
      >
        {subscribed ? "Subscribed" : "Subscribe"}
      </button>
      {countText}
      <ProblemMessage error={error} />
    </div>
  );
}
