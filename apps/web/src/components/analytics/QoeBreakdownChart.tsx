import { useRef } from "react";
import { useTranslation } from "react-i18next";
import {
  csvFileName,
  formatHours,
  formatMs,
  formatPct,
  type QoeBreakdown,
  qoeBreakdownData,
} from "../../lib/analytics";
import { useFormat } from "../../lib/format";
import { ChartCard } from "./ChartCard";
import { type Dimension, useValueLabel } from "./labels";
import { baseOptions, useChart } from "./useChart";

const DRAWN = 12;

/**
 * Quality broken down by one dimension (rendition, country, device, player version): the rebuffer
 * and failure percentages as grouped bars of the twelve values with the most views, and every
 * figure in a visible table (operators read these numbers, not only the shape).
 */
export function QoeBreakdownChart({
  id,
  title,
  dimension,
  column,
  rows,
  range,
  scope,
}: {
  id: string;
  title: string;
  dimension: Dimension;
  column: string;
  rows: QoeBreakdown[];
  range: { from: string; to: string };
  scope: string;
}) {
  const { t } = useTranslation("analytics");
  const f = useFormat();
  const label = useValueLabel();
  const canvas = useRef<HTMLCanvasElement>(null);
  const drawn = rows.slice(0, DRAWN);

  useChart<"bar">(
    canvas,
    (c) => {
      const { axis, options } = baseOptions(c);
      return {
        type: "bar",
        data: {
          labels: drawn.map((r) => label(dimension, r.value)),
          datasets: [
            {
              label: t("charts.rebufferPercentage"),
              data: drawn.map((r) => r.rebufferPercentage),
              backgroundColor: c.warning,
            },
            {
              label: t("charts.failurePercentage"),
              data: drawn.map((r) => r.playbackFailurePercentage),
              backgroundColor: c.danger,
            },
          ],
        },
        options: {
          ...options,
          plugins: {
            ...options.plugins,
            tooltip: {
              callbacks: {
                label: (item) => `${item.dataset.label}: ${formatPct(item.parsed.y ?? 0, f.lang)}`,
              },
            },
          },
          scales: {
            x: axis,
            y: {
              ...axis,
              beginAtZero: true,
              ticks: { ...axis.ticks, callback: (v) => formatPct(Number(v), f.lang) },
            },
          },
        },
      };
    },
    [rows, dimension, label, f, t],
  );

  return (
    <ChartCard
      id={id}
      title={title}
      wide
      tableVisible
      empty={rows.length ? null : t("qoe.emptyBreakdown")}
      chart={
        <div className="analytics-canvas analytics-canvas--short" aria-hidden="true">
          <canvas ref={canvas} />
        </div>
      }
      table={
        <table className="analytics-table analytics-table--visible" data-testid="analytics-table">
          <caption className="visually-hidden">{title}</caption>
          <thead>
            <tr>
              <th scope="col">{column}</th>
              <th scope="col" className="analytics-num">
                {t("qoe.views")}
              </th>
              <th scope="col" className="analytics-num">
                {t("qoe.watchTime")}
              </th>
              <th scope="col" className="analytics-num">
                {t("qoe.startupMedian")}
              </th>
              <th scope="col" className="analytics-num">
                {t("qoe.startupP90")}
              </th>
              <th scope="col" className="analytics-num">
                {t("qoe.rebufferPercentage")}
              </th>
              <th scope="col" className="analytics-num">
                {t("qoe.failurePercentage")}
              </th>
              <th scope="col" className="analytics-num">
                {t("qoe.exitsBeforeStart")}
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.value} data-value={r.value}>
                <th scope="row">{label(dimension, r.value)}</th>
                <td className="analytics-num">{f.number(r.views)}</td>
                <td className="analytics-num">{formatHours(r.watchTimeMs, f.lang)}</td>
                <td className="analytics-num">{formatMs(r.startupTimeMedianMs, f.lang)}</td>
                <td className="analytics-num">{formatMs(r.startupTimeP90Ms, f.lang)}</td>
                <td className="analytics-num">{formatPct(r.rebufferPercentage, f.lang)}</td>
                <td className="analytics-num">{formatPct(r.playbackFailurePercentage, f.lang)}</td>
                <td className="analytics-num">{formatPct(r.exitsBeforeStartPercentage, f.lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
      data={() => qoeBreakdownData(dimension, rows)}
      fileName={csvFileName(scope, id, range)}
    />
  );
}
