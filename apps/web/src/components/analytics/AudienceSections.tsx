import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { ChannelAnalytics, VideoAnalytics } from "../../lib/analytics";
import { BreakdownChart } from "./BreakdownChart";
import { QoeSeriesChart } from "./QoeSeriesChart";
import { SeriesChart } from "./SeriesChart";
import { QoeCards, TotalsCards } from "./StatCards";

/**
 * What the channel and the video pages share: the totals, views and watch time over time, traffic
 * sources, countries and devices, and the quality of experience (figures and over time).
 * `children` go after views over time (the video's retention, the channel's top videos), `quality`
 * after the quality figures (the video's quality by rendition).
 */
export function AudienceSections({
  data,
  scope,
  children,
  quality,
}: {
  data: ChannelAnalytics | VideoAnalytics;
  scope: string;
  children?: ReactNode;
  quality?: ReactNode;
}) {
  const { t } = useTranslation("analytics");
  const range = { from: data.from, to: data.to, granularity: data.granularity };
  return (
    <>
      <TotalsCards totals={data.totals} />
      <SeriesChart series={data.series} range={range} scope={scope} />
      {children}
      <div className="analytics-grid">
        <BreakdownChart
          id="traffic-sources"
          title={t("charts.trafficSources")}
          dimension="source"
          column={t("charts.source")}
          rows={data.trafficSources}
          range={range}
          scope={scope}
        />
        <BreakdownChart
          id="countries"
          title={t("charts.countries")}
          dimension="country"
          column={t("charts.country")}
          rows={data.countries}
          range={range}
          scope={scope}
        />
        <BreakdownChart
          id="devices"
          title={t("charts.devices")}
          dimension="device"
          column={t("charts.device")}
          rows={data.devices}
          range={range}
          scope={scope}
        />
      </div>
      <QoeCards qoe={data.qoe} range={range} scope={scope} />
      <QoeSeriesChart series={data.series} range={range} scope={scope} />
      {quality}
    </>
  );
}
