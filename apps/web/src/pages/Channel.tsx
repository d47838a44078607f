import { Upload } from "lucide-react";
import { useTranslation } from "react-i18next";
import { Link, useParams, useSearchParams } from "react-router";
import { api, must } from "../api/client";
import type { Channel } from "../api/types";
import { ChannelPlaylists } from "../components/channel/ChannelPlaylists";
import { ReportButton } from "../components/reports/ReportButton";
import { SubscribeButton } from "../components/SubscribeButton";
import { PagedVideoGrid } from "../components/VideoCard";
import { useFormat } from "../lib/format";
import { useSession } from "../lib/session";
import { useLoad } from "../lib/useLoad";
import { cursorQuery, usePagedList } from "../lib/usePagedList";
import { Avatar, avatarColour, ButtonLink, ErrorState, Skeleton } from "../ui";
import "../styles/channel.css";

const TABS = ["videos", "playlists", "about"] as const;
type ChannelTab = (typeof TABS)[number];

/** A channel page: banner, avatar, name, subscribe, and tabs for its videos, playlists and about (?tab=). */
export function ChannelPage() {
  const { t } = useTranslation("channel");
  const { channelId = "" } = useParams();
  const [params] = useSearchParams();
  const tab: ChannelTab = TABS.find((x) => x === params.get("tab")) ?? "videos";
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

  if (channel.error) return <ErrorState error={channel.error} onRetry={channel.reload} />;
  const c = channel.data;
  const isOwner = Boolean(c && s?.accountId === c.ownerAccountId);

  return (
    // A watch reached from here is a channel view (lib/trafficSource.ts).
    <section className="channel-page" aria-labelledby="channel-name" data-traffic-source="channel">
      <div className="channel-banner" data-hue={avatarColour(channelId)} aria-hidden="true" />
      {c ? <ChannelHead channel={c} isOwner={isOwner} /> : <ChannelHeadSkeleton />}
      <ChannelTabs current={tab} />
      {tab === "videos" ? (
        <div className="channel-panel">
          <h2 className="visually-hidden">{t("tab.videos")}</h2>
          <PagedVideoGrid
            list={videos}
            empty={t("videos.empty")}
            emptyHint={isOwner ? t("videos.emptyOwnerHint") : t("videos.emptyHint")}
            emptyAction={
              isOwner ? (
                <ButtonLink to="/studio/upload" variant="primary" icon={<Upload />}>
                  {t("videos.upload")}
                </ButtonLink>
              ) : undefined
            }
          />
        </div>
      ) : tab === "playlists" ? (
        <div className="channel-panel">
          <ChannelPlaylists channelId={channelId} />
        </div>
      ) : (
        <div className="channel-panel">{c ? <About channel={c} /> : null}</div>
      )}
    </section>
  );
}

/**
 * The channel's sections as links (?tab=about), drawn like the ui's NavTabs (whose NavLinks ignore
 * the query). Not Radix Tabs: the bundler puts ui/Tabs.tsx's Radix code in the shell every page loads.
 */
function ChannelTabs({ current }: { current: ChannelTab }) {
  const { t } = useTranslation("channel");
  return (
    <nav aria-label={t("sections")} className="channel-tabs">
      <ul className="ui-tab-list ui-nav-tabs">
        {TABS.map((tab) => (
          <li key={tab}>
            <Link
              to={tab === "videos" ? "?" : `?tab=${tab}`}
              replace
              className="ui-tab"
              aria-current={tab === current ? "page" : undefined}
            >
              {t(`tab.${tab}`)}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function ChannelHead({ channel: c, isOwner }: { channel: Channel; isOwner: boolean }) {
  const { t } = useTranslation("channel");
  const f = useFormat();
  return (
    <header className="channel-head">
      <Avatar id={c.id} name={c.name} size="xl" className="channel-avatar" />
      <div className="channel-identity">
        <h1 id="channel-name">{c.name}</h1>
        <p className="channel-meta">
          <span>@{c.handle}</span>
          <span aria-hidden="true"> · </span>
          <span>{t("joined", { date: f.date(c.createdAt) })}</span>
          {/* Report (signed in, not your own channel): the dialog loads on use. */}
          {isOwner ? null : <ReportButton targetType="channel" targetId={c.id} iconOnly size="sm" />}
        </p>
      </div>
      <div className="channel-subscribe">
        <SubscribeButton key={c.id} channelId={c.id} initialCount={c.subscriberCount} isOwner={isOwner} />
      </div>
    </header>
  );
}

function ChannelHeadSkeleton() {
  const { t } = useTranslation("channel");
  return (
    <div className="channel-head" role="status">
      <span className="visually-hidden">{t("loading")}</span>
      <Skeleton width="6rem" height="6rem" radius="full" className="channel-avatar" />
      <div className="channel-identity">
        <Skeleton width="14rem" height="1.75rem" />
        <Skeleton width="10rem" />
      </div>
    </div>
  );
}

function About({ channel: c }: { channel: Channel }) {
  const { t } = useTranslation("channel");
  const f = useFormat();
  return (
    <div className="channel-about">
      <h2>{t("about.title")}</h2>
      {c.description ? (
        <p className="pre-wrap channel-description">{c.description}</p>
      ) : (
        <p className="muted">{t("about.noDescription")}</p>
      )}
      <dl className="channel-facts">
        <div>
          <dt>{t("about.joined")}</dt>
          <dd>{f.date(c.createdAt, "long")}</dd>
        </div>
        <div>
          <dt>{t("about.subscribers")}</dt>
          <dd>{f.number(c.subscriberCount)}</dd>
        </div>
        <div>
          <dt>{t("about.handle")}</dt>
          <dd>@{c.handle}</dd>
        </div>
      </dl>
    </div>
  );
}
