import { ArrowLeft, ChartColumn, Play } from "lucide-react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { api, must } from "../../api/client";
import { AnalyticsHeader } from "../../components/analytics/AnalyticsHeader";
import { AudienceSections } from "../../components/analytics/AudienceSections";
import { QoeBreakdownChart } from "../../components/analytics/QoeBreakdownChart";
import { RangePicker, useRangeParam } from "../../components/analytics/RangePicker";
import { RetentionChart } from "../../components/analytics/RetentionChart";
import { AnalyticsSkeleton } from "../../components/analytics/StatCards";
import { GrownUpGate } from "../../components/studio/GrownUpGate";
import {
  analyticsApi,
  hasViews,
  rangeQuery,
  storyboardUrlOf,
  type VideoAnalytics,
} from "../../lib/analytics";
import { useLoad } from "../../lib/useLoad";
import { ButtonLink, EmptyState, ErrorState } from "../../ui";
import "../../studio.css";
import "../../styles/studio-video.css";
import "../../components/analytics/analytics.css";

/**
 * /studio/videos/:videoId/analytics: one video over a range — what the channel page shows for the
 * channel, plus the audience retention curve with the storyboard's frames under it and the quality
 * of experience by rendition.
 */
export function VideoAnalyticsPage() {
  const { t } = useTranslation("analytics");
  const { videoId = "" } = useParams();
  return (
    <GrownUpGate
      title={t("video.title")}
      next={`/studio/videos/${videoId}/analytics`}
      signInTo={t("video.signInTo")}
      kids={{ title: t("gate.kids"), hint: t("gate.kidsHint"), home: t("quality.home") }}
    >
      <VideoAnalyticsView videoId={videoId} />
    </GrownUpGate>
  );
}

function VideoAnalyticsView({ videoId }: { videoId: string }) {
  const { t } = useTranslation("analytics");
  const [days, setDays] = useRangeParam();
  const video = useLoad(
    () => must(api.GET("/api/v1/videos/{videoId}", { params: { path: { videoId } } })),
    [videoId],
  );
  const loaded = useLoad(() => analyticsApi.video(videoId, rangeQuery(days)), [videoId, days]);
  const data = loaded.data;
  const title = video.data?.title;
  const back = (
    <Link className="studio-back" to={`/studio/videos/${videoId}`}>
      <ArrowLeft aria-hidden="true" />
      {t("video.back")}
    </Link>
  );
  return (
    <section className="studio analytics" aria-labelledby="analytics-title">
      <AnalyticsHeader
        before={back}
        title={t("video.title")}
        subtitle={title ? t("video.subtitle", { title }) : "\u00a0"}
      >
        <RangePicker days={days} onChange={setDays} computedAt={data?.computedAt} />
      </AnalyticsHeader>
      {!data && !loaded.error ? <AnalyticsSkeleton label={t("video.loading")} /> : null}
      {!data && loaded.error ? <ErrorState error={loaded.error} onRetry={loaded.reload} /> : null}
      {data && !hasViews(data.totals) ? (
        <EmptyState
          icon={<ChartColumn />}
          title={t("video.empty.title")}
          description={t("video.empty.description")}
          action={
            video.data?.playable ? (
              <ButtonLink icon={<Play />} to={`/watch/${videoId}`}>
                {t("video.empty.action")}
              </ButtonLink>
            ) : undefined
          }
        />
      ) : null}
      {data && hasViews(data.totals) ? <VideoSections data={data} /> : null}
    </section>
  );
}

function VideoSections({ data }: { data: VideoAnalytics }) {
  const { t } = useTranslation("analytics");
  const scope = `video-${data.videoId}`;
  const storyboard = useLoad(() => storyboardUrlOf(data), [data]);
  return (
    <AudienceSections
      data={data}
      scope={scope}
      quality={
        <QoeBreakdownChart
          id="qoe-renditions"
          title={t("qoe.byRendition")}
          dimension="rendition"
          column={t("charts.rendition")}
          rows={data.renditions}
          range={data}
          scope={scope}
        />
      }
    >
      <RetentionChart
        points={data.retention}
        durationMs={data.durationMs}
        storyboardUrl={storyboard.data ?? null}
        range={data}
        scope={scope}
      />
    </AudienceSections>
  );
}
