import { Gauge } from "lucide-react";
import { useTranslation } from "react-i18next";
import { AnalyticsHeader } from "../../components/analytics/AnalyticsHeader";
import { QoeBreakdownChart } from "../../components/analytics/QoeBreakdownChart";
import { QoeSeriesChart } from "../../components/analytics/QoeSeriesChart";
import { RangePicker, useRangeParam } from "../../components/analytics/RangePicker";
import { AnalyticsSkeleton, QoeCards } from "../../components/analytics/StatCards";
import { StaffGate } from "../../components/moderation/StaffGate";
import { analyticsApi, hasViews, type PlatformQoe, rangeQuery } from "../../lib/analytics";
import { useLoad } from "../../lib/useLoad";
import { EmptyState, ErrorState } from "../../ui";
import "../../studio.css";
import "../../components/analytics/analytics.css";

/**
 * /admin/quality: the platform's playback quality (GET /api/v1/admin/analytics/qoe) for admins —
 * the totals and their course over the range, then by rendition, country, device and player version.
 */
export function QualityDashboardPage() {
  const { t } = useTranslation("analytics");
  return (
    <StaffGate
      need="admin"
      title={t("quality.title")}
      next="/admin/quality"
      text={{
        signInTo: t("quality.signInTo"),
        refused: t("quality.notAdmin"),
        refusedHint: t("quality.notAdminHint"),
        home: t("quality.home"),
      }}
    >
      <QualityDashboard />
    </StaffGate>
  );
}

function QualityDashboard() {
  const { t } = useTranslation("analytics");
  const [days, setDays] = useRangeParam();
  const loaded = useLoad(() => analyticsApi.platformQoe(rangeQuery(days)), [days]);
  const data = loaded.data;
  return (
    <section className="studio analytics" aria-labelledby="analytics-title">
      <AnalyticsHeader title={t("quality.title")} subtitle={t("quality.subtitle")}>
        <RangePicker days={days} onChange={setDays} computedAt={data?.computedAt} />
      </AnalyticsHeader>
      {!data && !loaded.error ? <AnalyticsSkeleton label={t("quality.loading")} /> : null}
      {!data && loaded.error ? <ErrorState error={loaded.error} onRetry={loaded.reload} /> : null}
      {data && !hasViews(data.totals) ? (
        <EmptyState
          icon={<Gauge />}
          title={t("quality.empty.title")}
          description={t("quality.empty.description")}
        />
      ) : null}
      {data && hasViews(data.totals) ? <QualitySections data={data} /> : null}
    </section>
  );
}

function QualitySections({ data }: { data: PlatformQoe }) {
  const { t } = useTranslation("analytics");
  const range = { from: data.from, to: data.to, granularity: data.granularity };
  const scope = "platform";
  const breakdowns = [
    {
      id: "qoe-renditions",
      title: t("qoe.byRendition"),
      dimension: "rendition",
      column: t("charts.rendition"),
      rows: data.byRendition,
    },
    {
      id: "qoe-countries",
      title: t("qoe.byCountry"),
      dimension: "country",
      column: t("charts.country"),
      rows: data.byCountry,
    },
    {
      id: "qoe-devices",
      title: t("qoe.byDevice"),
      dimension: "device",
      column: t("charts.device"),
      rows: data.byDevice,
    },
    {
      id: "qoe-players",
      title: t("qoe.byPlayerVersion"),
      dimension: "player",
      column: t("charts.playerVersion"),
      rows: data.byPlayerVersion,
    },
  ] as const;
  return (
    <>
      <QoeCards qoe={data.totals} range={range} scope={scope} title={t("totals.title")} />
      <QoeSeriesChart series={data.series} range={range} scope={scope} />
      {breakdowns.map((b) => (
        <QoeBreakdownChart key={b.id} {...b} rows={[...b.rows]} range={range} scope={scope} />
      ))}
    </>
  );
}
