import { useMemo, useRef } from "react";
import { useTranslation } from "react-i18next";
import {
  type AnalyticsGrain,
  type AnalyticsPoint,
  bucketLabel,
  csvFileName,
  fillSeries,
  formatHours,
  msToHours,
  rangeBuckets,
  seriesData,
} from "../../lib/analytics";
import { useFormat } from "../../lib/format";
import { ChartCard } from "./ChartCard";
import { baseOptions, useChart } from "./useChart";

export interface RangeInfo {
  from: string;
  to: string;
  granularity: AnalyticsGrain;
}

/**
 * "Views and watch time": views as bars on the left axis, watch time in hours as a line on the right
 * one, per bucket of the range's granularity. The table has every bucket's numbers.
 */
export function SeriesChart({
  series: points,
  range,
  scope,
}: {
  series: AnalyticsPoint[];
  range: RangeInfo;
  scope: string;
}) {
  const { t } = useTranslation("analytics");
  const f = useFormat();
  const canvas = useRef<HTMLCanvasElement>(null);
  // Every bucket of the range: the API leaves out buckets without views (they are zeros, not gaps).
  const series = useMemo(
    () => fillSeries(points, { from: range.from, to: range.to, granularity: range.granularity }),
    [points, range.from, range.to, range.granularity],
  );
  const labels = series.map((p) => bucketLabel(p.start, range.granularity, f.lang));

  useChart<"bar" | "line">(
    canvas,
    (c) => {
      const { axis, options } = baseOptions(c);
      return {
        type: "bar",
        data: {
          labels,
          datasets: [
            {
              type: "bar",
              label: t("charts.views"),
              data: series.map((p) => p.views),
              backgroundColor: c.info,
              yAxisID: "y",
              order: 2,
            },
            {
              type: "line",
              label: t("charts.watchHours"),
              data: series.map((p) => msToHours(p.watchTimeMs)),
              borderColor: c.accent,
              backgroundColor: c.accent,
              pointRadius: 0,
              yAxisID: "hours",
              order: 1,
            },
          ],
        },
        options: {
          ...options,
          plugins: {
            ...options.plugins,
            tooltip: {
              callbacks: {
                label: (item) => `${item.dataset.label}: ${f.number(item.parsed.y ?? 0)}`,
              },
            },
          },
          scales: {
            x: { ...axis, ticks: { ...axis.ticks, maxTicksLimit: 8, maxRotation: 0 } },
            y: { ...axis, beginAtZero: true, ticks: { ...axis.ticks, precision: 0 } },
            hours: { ...axis, position: "right", beginAtZero: true, grid: { drawOnChartArea: false } },
          },
        },
      };
    },
    [series, range.granularity, f, t],
  );

  // The range's own first and last buckets, not the first and last with views.
  const buckets = rangeBuckets(range);
  return (
    <ChartCard
      id="views"
      wide
      title={t("charts.overTime")}
      summary={
        buckets
          ? t("charts.overTimeSummary", {
              grain: t(range.granularity === "hour" ? "charts.hour" : "charts.day"),
              from: bucketLabel(buckets.first, range.granularity, f.lang),
              to: bucketLabel(buckets.last, range.granularity, f.lang),
            })
          : null
      }
      empty={points.length ? null : t("charts.empty")}
      chart={
        <div className="analytics-canvas" aria-hidden="true">
          <canvas ref={canvas} />
        </div>
      }
      table={
        <table className="analytics-table" data-testid="analytics-table">
          <caption>{t("charts.overTime")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("charts.time")}</th>
              <th scope="col">{t("charts.views")}</th>
              <th scope="col">{t("totals.engagedViews")}</th>
              <th scope="col">{t("totals.uniqueViewers")}</th>
              <th scope="col">{t("totals.watchTime")}</th>
            </tr>
          </thead>
          <tbody>
            {series.map((p, i) => (
              <tr key={p.start}>
                <th scope="row">
                  <time dateTime={p.start}>{labels[i]}</time>
                </th>
                <td>{f.number(p.views)}</td>
                <td>{f.number(p.engagedViews)}</td>
                <td>{f.number(p.uniqueViewers)}</td>
                <td>{formatHours(p.watchTimeMs, f.lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
      data={() => seriesData(series)}
      fileName={csvFileName(scope, "views-watch-time", range)}
    />
  );
}
