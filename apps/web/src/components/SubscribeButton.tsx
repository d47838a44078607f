import { Link } from "react-router";
import { api, must } from "../api/client";
import { formatCount } from "../lib/format";
import { useSession } from "../lib/session";
import { useAction } from "../lib/useAction";
import { useLoad } from "../lib/useLoad";
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
  const profileId = s?.profileId ?? null;
  const path = { channelId };
  const state = useLoad(
    () => must(api.GET("/api/v1/channels/{channelId}/subscription", { params: { path } })),
    [channelId, profileId],
    { enabled: profileId !== null },
  );
  const subscribed = state.data?.subscribed ?? null;
  const count = state.data?.subscriberCount ?? initialCount;
  const toggle = useAction(async () => {
    if (subscribed) {
      await must(api.DELETE("/api/v1/channels/{channelId}/subscription", { params: { path } }));
      state.setData(
        (old) => old && { ...old, subscribed: false, subscriberCount: Math.max(0, old.subscriberCount - 1) },
      );
    } else {
      state.setData(
        await must(
          api.PUT("/api/v1/channels/{channelId}/subscription", { params: { path }, body: { level: "all" } }),
        ),
      );
    }
  });

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
  return (
    <div className="row">
      <button
        type="button"
        className={subscribed ? "" : "primary"}
        aria-pressed={subscribed ?? false}
        disabled={toggle.busy || subscribed === null}
        onClick={() => void toggle.run()}
      >
        {subscribed ? "Subscribed" : "Subscribe"}
      </button>
      {countText}
      <ProblemMessage error={state.error ?? toggle.error} />
    </div>
  );
}
