import { ChartColumn, Tv } from "lucide-react";
import { useTranslation } from "react-i18next";
import { api, must } from "../../api/client";
import { AnalyticsHeader } from "../../components/analytics/AnalyticsHeader";
import { AudienceSections } from "../../components/analytics/AudienceSections";
import { RangePicker, useRangeParam } from "../../components/analytics/RangePicker";
import { AnalyticsSkeleton } from "../../components/analytics/StatCards";
import { TopVideos } from "../../components/analytics/TopVideos";
import { GrownUpGate } from "../../components/studio/GrownUpGate";
import { analyticsApi, hasViews, rangeQuery } from "../../lib/analytics";
import { useLoad } from "../../lib/useLoad";
import { ButtonLink, EmptyState, ErrorState } from "../../ui";
import "../../studio.css";
import "../../components/analytics/analytics.css";

/**
 * /studio/analytics: the creator's channel over a range — totals, views and watch time over time,
 * traffic sources, countries, devices, quality of experience and the top videos (each linking to
 * its own analytics). Every chart has its table and its CSV.
 */
export function ChannelAnalyticsPage() {
  const { t } = useTranslation("analytics");
  return (
    <GrownUpGate
      title={t("channel.title")}
      next="/studio/analytics"
      signInTo={t("channel.signInTo")}
      kids={{ title: t("gate.kids"), hint: t("gate.kidsHint"), home: t("quality.home") }}
    >
      <ChannelAnalytics />
    </GrownUpGate>
  );
}

function ChannelAnalytics() {
  const { t } = useTranslation("analytics");
  const [days, setDays] = useRangeParam();
  const me = useLoad(() => must(api.GET("/api/v1/me")), []);
  const noChannel = me.data?.channelId === null;
  const loaded = useLoad(() => analyticsApi.channel(rangeQuery(days)), [days], {
    enabled: me.data?.channelId != null,
  });
  const data = loaded.data;
  return (
    <section className="studio analytics" aria-labelledby="analytics-title">
      <AnalyticsHeader title={t("channel.title")} subtitle={t("channel.subtitle")}>
        <RangePicker days={days} onChange={setDays} computedAt={data?.computedAt} />
      </AnalyticsHeader>
      {me.error ? <ErrorState error={me.error} onRetry={me.reload} /> : null}
      {noChannel ? (
        <EmptyState
          icon={<Tv />}
          title={t("channel.noChannel.title")}
          description={t("channel.noChannel.description")}
          action={
            <ButtonLink variant="primary" to="/studio/channel">
              {t("channel.noChannel.action")}
            </ButtonLink>
          }
        />
      ) : null}
      {!noChannel && !me.error && !data && !loaded.error ? (
        <AnalyticsSkeleton label={t("channel.loading")} />
      ) : null}
      {!data && loaded.error ? <ErrorState error={loaded.error} onRetry={loaded.reload} /> : null}
      {data && !hasViews(data.totals) ? (
        <EmptyState
          icon={<ChartColumn />}
          title={t("channel.empty.title")}
          description={t("channel.empty.description")}
          action={<ButtonLink to="/studio">{t("channel.empty.action")}</ButtonLink>}
        />
      ) : null}
      {data && hasViews(data.totals) ? (
        <AudienceSections data={data} scope="channel">
          <TopVideos videos={data.topVideos} range={data} scope="channel" />
        </AudienceSections>
      ) : null}
    </section>
  );
}
