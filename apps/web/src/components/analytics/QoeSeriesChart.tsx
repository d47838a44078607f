import { useMemo, useRef } from "react";
import { useTranslation } from "react-i18next";
import {
  type AnalyticsPoint,
  bucketLabel,
  csvFileName,
  fillSeries,
  formatMs,
  formatPct,
  seriesData,
} from "../../lib/analytics";
import { useFormat } from "../../lib/format";
import { ChartCard } from "./ChartCard";
import type { RangeInfo } from "./SeriesChart";
import { baseOptions, useChart } from "./useChart";

/**
 * Quality over time: the startup time's median (ms, left axis) and the rebuffer and playback
 * failure percentages (right axis) per bucket. A bucket without a started view has no startup
 * time: the line has a gap there, not a zero.
 */
export function QoeSeriesChart({
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

  useChart<"line">(
    canvas,
    (c) => {
      const { axis, options } = baseOptions(c);
      const line = (label: string, data: (number | null)[], colour: string, yAxisID: string) => ({
        label,
        data: data as number[],
        borderColor: colour,
        backgroundColor: colour,
        pointRadius: 0,
        spanGaps: false,
        yAxisID,
      });
      return {
        type: "line",
        data: {
          labels,
          datasets: [
            line(
              t("charts.startupMedian"),
              series.map((p) => p.startupTimeMedianMs),
              c.info,
              "ms",
            ),
            line(
              t("charts.rebufferPercentage"),
              series.map((p) => p.rebufferPercentage),
              c.warning,
              "pct",
            ),
            line(
              t("charts.failurePercentage"),
              series.map((p) => p.playbackFailurePercentage),
              c.danger,
              "pct",
            ),
          ],
        },
        options: {
          ...options,
          plugins: {
            ...options.plugins,
            tooltip: {
              callbacks: {
                label: (item) =>
                  `${item.dataset.label}: ${
                    item.dataset.yAxisID === "ms"
                      ? formatMs(item.parsed.y, f.lang)
                      : formatPct(item.parsed.y ?? 0, f.lang)
                  }`,
              },
            },
          },
          scales: {
            x: { ...axis, ticks: { ...axis.ticks, maxTicksLimit: 8, maxRotation: 0 } },
            ms: {
              ...axis,
              position: "left",
              beginAtZero: true,
              ticks: { ...axis.ticks, callback: (v) => formatMs(Number(v), f.lang) },
            },
            pct: {
              ...axis,
              position: "right",
              beginAtZero: true,
              grid: { drawOnChartArea: false },
              ticks: { ...axis.ticks, callback: (v) => formatPct(Number(v), f.lang) },
            },
          },
        },
      };
    },
    [series, range.granularity, f, t],
  );

  return (
    <ChartCard
      id="qoe-series"
      wide
      title={t("qoe.series")}
      empty={points.length ? null : t("charts.empty")}
      chart={
        <div className="analytics-canvas" aria-hidden="true">
          <canvas ref={canvas} />
        </div>
      }
      table={
        <table className="analytics-table" data-testid="analytics-table">
          <caption>{t("qoe.series")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("charts.time")}</th>
              <th scope="col">{t("charts.views")}</th>
              <th scope="col">{t("qoe.startupMedian")}</th>
              <th scope="col">{t("qoe.rebufferPercentage")}</th>
              <th scope="col">{t("qoe.failurePercentage")}</th>
            </tr>
          </thead>
          <tbody>
            {series.map((p, i) => (
              <tr key={p.start}>
                <th scope="row">
                  <time dateTime={p.start}>{labels[i]}</time>
                </th>
                <td>{f.number(p.views)}</td>
                <td>{formatMs(p.startupTimeMedianMs, f.lang)}</td>
                <td>{formatPct(p.rebufferPercentage, f.lang)}</td>
                <td>{formatPct(p.playbackFailurePercentage, f.lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
      data={() => seriesData(series)}
      fileName={csvFileName(scope, "quality-over-time", range)}
    />
  );
}
