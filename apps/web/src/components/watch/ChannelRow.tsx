import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { Channel } from "../../api/types";
import { Avatar, Skeleton } from "../../ui";
import { SubscribeToggle, useSubscription } from "../SubscribeButton";

/** The channel under the title: its avatar and name (a link), subscriber count, and Subscribe. */
export function ChannelRow({
  channelId,
  channel,
  isOwner,
}: {
  channelId: string;
  channel: Channel | undefined;
  isOwner: boolean;
}) {
  const { t } = useTranslation("common");
  const subscription = useSubscription(channelId, channel?.subscriberCount);
  const { count } = subscription;
  return (
    <div className="watch-channel">
      {channel ? (
        <Link to={`/channel/${channel.id}`} className="watch-channel-link">
          <Avatar id={channel.id} name={channel.name} size="md" />
          <span className="watch-channel-text">
            <span className="watch-channel-name">{channel.name}</span>
            {count !== undefined ? (
              <span className="watch-channel-count">{t("count.subscribers", { count })}</span>
            ) : null}
          </span>
        </Link>
      ) : (
        <span className="watch-channel-link">
          <Skeleton width="2.5rem" height="2.5rem" radius="full" />
          <span className="watch-channel-text">
            <Skeleton width="8rem" />
            <Skeleton width="5rem" height="0.75em" />
          </span>
        </span>
      )}
      {isOwner ? null : <SubscribeToggle subscription={subscription} />}
    </div>
  );
}
