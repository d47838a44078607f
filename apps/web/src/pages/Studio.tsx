import { Clapperboard, Tv, Upload } from "lucide-react";
import { useTranslation } from "react-i18next";
import { api, must } from "../api/client";
import { ChannelAnalyticsLink } from "../components/analytics/AnalyticsLinks";
import { ListFooter } from "../components/ListFooter";
import { ProblemMessage } from "../components/ProblemMessage";
import { EarningsLink } from "../components/payouts/EarningsLink";
import { SignInPrompt } from "../components/SignInPrompt";
import { StudioVideoList, StudioVideoListSkeleton } from "../components/studio/StudioVideoList";
import { WebhooksLink } from "../components/webhooks/WebhooksLink";
import { useSession } from "../lib/session";
import { isProcessing } from "../lib/studio";
import { useInterval } from "../lib/useInterval";
import { useLoad } from "../lib/useLoad";
import { cursorQuery, usePagedList } from "../lib/usePagedList";
import { ButtonLink, EmptyState, ErrorState } from "../ui";
import "../studio.css";
import "../styles/studio-list.css";

const POLL_MS = 2000;

/** The creator's studio: their videos (GET /api/v1/me/videos), polled every 2 s while any is processing. */
export function StudioPage() {
  const { t } = useTranslation("studio");
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

  if (!signedIn) return <SignInPrompt className="studio" title={t("title")} to={t("signInTo")} />;

  const channelId = me.data?.channelId;
  const empty = videos.items.length === 0;
  const firstLoad = empty && (videos.loading || me.loading);
  return (
    <section className="studio" aria-labelledby="studio-title">
      <header className="studio-head">
        <div>
          <h1 id="studio-title">{t("title")}</h1>
          <p className="muted">{t("subtitle")}</p>
        </div>
        <div className="studio-actions">
          {channelId ? <ChannelAnalyticsLink /> : null}
          {channelId ? <EarningsLink /> : null}
          {channelId ? <WebhooksLink /> : null}
          {channelId && !(empty && !videos.loading) ? (
            <ButtonLink variant="primary" icon={<Upload />} to="/studio/upload">
              {t("uploadVideo")}
            </ButtonLink>
          ) : null}
        </div>
      </header>
      {me.error && !videos.error ? <ErrorState compact error={me.error} onRetry={me.reload} /> : null}
      {channelId === null ? (
        <EmptyState
          icon={<Tv />}
          title={t("noChannel.title")}
          description={t("noChannel.description")}
          action={
            <ButtonLink variant="primary" to="/studio/channel">
              {t("noChannel.action")}
            </ButtonLink>
          }
        />
      ) : null}
      {firstLoad ? <StudioVideoListSkeleton /> : null}
      {empty && videos.error ? <ErrorState error={videos.error} onRetry={videos.reload} /> : null}
      {empty && channelId && !videos.loading && !videos.error ? (
        <EmptyState
          icon={<Clapperboard />}
          title={t("empty.title")}
          description={t("empty.description")}
          action={
            <ButtonLink variant="primary" icon={<Upload />} to="/studio/upload">
              {t("empty.action")}
            </ButtonLink>
          }
        />
      ) : null}
      {empty ? null : (
        <>
          <StudioVideoList videos={videos.items} />
          <ProblemMessage error={videos.error} />
          <ListFooter list={{ ...videos, error: null }} more={t("list.more")} />
        </>
      )}
    </section>
  );
}
