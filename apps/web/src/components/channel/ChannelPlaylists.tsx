import { ListVideo } from "lucide-react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { api, must } from "../../api/client";
import { useLoad } from "../../lib/useLoad";
import { EmptyState, ErrorState, SkeletonText } from "../../ui";

/** A channel's public playlists (its account's), newest first, each a link to its page. */
export function ChannelPlaylists({ channelId }: { channelId: string }) {
  const { t } = useTranslation("channel");
  const lists = useLoad(
    () =>
      must(
        api.GET("/api/v1/channels/{channelId}/playlists", {
          params: { path: { channelId }, query: { limit: 100 } },
        }),
      ),
    [channelId],
  );
  if (lists.error) return <ErrorState compact error={lists.error} onRetry={lists.reload} />;
  if (!lists.data) return <SkeletonText lines={3} />;
  if (lists.data.items.length === 0) return <EmptyState icon={<ListVideo />} title={t("playlists.empty")} />;
  return (
    <>
      <h2 className="visually-hidden">{t("tab.playlists")}</h2>
      <ul className="channel-playlists">
        {lists.data.items.map((p) => (
          <li key={p.id}>
            <Link to={`/playlist/${p.id}`}>{p.title}</Link>{" "}
            <span className="muted">{t("playlists.videos", { count: p.itemCount })}</span>
          </li>
        ))}
      </ul>
    </>
  );
}
