import { useRef } from "react";
import { useTranslation } from "react-i18next";
import { type Breakdown, breakdownData, csvFileName, formatHours, formatPct } from "../../lib/analytics";
import { useFormat } from "../../lib/format";
import { ChartCard } from "./ChartCard";
import { type Dimension, useValueLabel } from "./labels";
import { baseOptions, useChart } from "./useChart";

const DRAWN = 10;

/**
 * A breakdown of views (traffic sources, countries, devices) as horizontal bars of each value's
 * share, the largest ten; the table and the CSV have every value the API sent.
 */
export function BreakdownChart({
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
  /** The first column's header ("Source", "Country", …). */
  column: string;
  rows: Breakdown[];
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
          datasets: [{ label: t("charts.share"), data: drawn.map((r) => r.share), backgroundColor: c.info }],
        },
        options: {
          ...options,
          indexAxis: "y",
          plugins: {
            ...options.plugins,
            legend: { display: false },
            tooltip: { callbacks: { label: (item) => formatPct(item.parsed.x ?? 0, f.lang) } },
          },
          scales: {
            x: {
              ...axis,
              beginAtZero: true,
              max: 100,
              ticks: { ...axis.ticks, callback: (v) => formatPct(Number(v), f.lang) },
            },
            y: { ...axis, grid: { display: false } },
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
      empty={rows.length ? null : t("charts.empty")}
      chart={
        <div
          className="analytics-canvas analytics-canvas--bars"
          aria-hidden="true"
          style={{ height: `${Math.max(6, drawn.length * 2.25 + 2)}rem` }}
        >
          <canvas ref={canvas} />
        </div>
      }
      table={
        <table className="analytics-table" data-testid="analytics-table">
          <caption>{title}</caption>
          <thead>
            <tr>
              <th scope="col">{column}</th>
              <th scope="col">{t("charts.views")}</th>
              <th scope="col">{t("totals.watchTime")}</th>
              <th scope="col">{t("charts.share")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.value} data-value={r.value}>
                <th scope="row">{label(dimension, r.value)}</th>
                <td>{f.number(r.views)}</td>
                <td>{formatHours(r.watchTimeMs, f.lang)}</td>
                <td>{formatPct(r.share, f.lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
      data={() => breakdownData(dimension, rows)}
      fileName={csvFileName(scope, id, range)}
    />
  );
}
