import type { Chart } from "chart.js";
import { useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { csvFileName, formatPct, type RetentionPoint, retentionData, stripTimes } from "../../lib/analytics";
import { useFormat } from "../../lib/format";
import { loadStoryboard, type StoryboardTile, tileAt, tileBackground } from "../../lib/storyboard";
import { useLoad } from "../../lib/useLoad";
import { ChartCard } from "./ChartCard";
import { baseOptions, useChart } from "./useChart";

/** Thumbnails under the curve. */
const FRAMES = 8;

/**
 * Audience retention (YouTube Studio's): the share of views still watching at each 1 % of the video,
 * with frames of the video's storyboard under the plot so a drop can be matched to a scene. The
 * strip is lined up with the plot area as Chart.js lays it out (the axis' width varies).
 */
export function RetentionChart({
  points,
  durationMs,
  storyboardUrl,
  range,
  scope,
}: {
  points: RetentionPoint[];
  durationMs: number | null;
  storyboardUrl: string | null;
  range: { from: string; to: string };
  scope: string;
}) {
  const { t } = useTranslation("analytics");
  const f = useFormat();
  const canvas = useRef<HTMLCanvasElement>(null);
  const [plot, setPlot] = useState<{ left: number; right: number } | null>(null);
  const drawable = points.length > 0 && durationMs !== null && durationMs > 0;

  useChart<"line">(
    canvas,
    (c) => {
      const { axis, options } = baseOptions(c);
      const align = {
        id: "analyticsStripAlign",
        afterLayout(chart: Chart) {
          const area = chart.chartArea;
          const next = { left: Math.round(area.left), right: Math.round(chart.width - area.right) };
          setPlot((prev) => (prev && prev.left === next.left && prev.right === next.right ? prev : next));
        },
      };
      return {
        type: "line",
        data: {
          labels: points.map((p) => f.duration(p.positionMs)),
          datasets: [
            {
              label: t("charts.retentionAudience"),
              data: points.map((p) => p.audiencePercentage),
              borderColor: c.accent,
              backgroundColor: c.accentSoft,
              fill: "origin",
              pointRadius: 0,
            },
          ],
        },
        plugins: [align],
        options: {
          ...options,
          plugins: {
            ...options.plugins,
            legend: { display: false },
            tooltip: {
              callbacks: {
                label: (item) => `${item.dataset.label}: ${formatPct(item.parsed.y ?? 0, f.lang)}`,
              },
            },
          },
          scales: {
            x: { ...axis, ticks: { ...axis.ticks, maxTicksLimit: 10, maxRotation: 0 } },
            y: {
              ...axis,
              beginAtZero: true,
              suggestedMax: 100,
              ticks: { ...axis.ticks, callback: (v) => formatPct(Number(v), f.lang) },
            },
          },
        },
      };
    },
    [points, f, t],
  );

  return (
    <ChartCard
      id="retention"
      wide
      title={t("charts.retention")}
      summary={t("charts.retentionSummary")}
      empty={drawable ? null : t("charts.retentionNone")}
      chart={
        <>
          <div className="analytics-canvas" aria-hidden="true">
            <canvas ref={canvas} />
          </div>
          {storyboardUrl && durationMs ? (
            <StoryboardStrip url={storyboardUrl} durationMs={durationMs} plot={plot} />
          ) : null}
        </>
      }
      table={
        <table className="analytics-table" data-testid="analytics-table">
          <caption>{t("charts.retention")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("charts.retentionPosition")}</th>
              <th scope="col">{t("charts.retentionAudience")}</th>
            </tr>
          </thead>
          <tbody>
            {points.map((p) => (
              <tr key={p.percent}>
                <th scope="row">
                  {f.duration(p.positionMs)} ({formatPct(p.percent, f.lang)})
                </th>
                <td>{formatPct(p.audiencePercentage, f.lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
      data={() => retentionData(points)}
      fileName={csvFileName(scope, "retention", range)}
    />
  );
}

/**
 * Frames of the storyboard spread along the plot (lib/storyboard.ts, as the cards' hover preview
 * and the player's scrubber use it). Decorative: the curve's table has the numbers. Left out when
 * the storyboard cannot be read (not made yet, or refused for a private or premium video).
 */
function StoryboardStrip({
  url,
  durationMs,
  plot,
}: {
  url: string;
  durationMs: number;
  plot: { left: number; right: number } | null;
}) {
  const { t } = useTranslation("analytics");
  // Resolved against the page: the sprite's address inside the VTT is resolved against this one.
  const loaded = useLoad(() => loadStoryboard(new URL(url, window.location.href).toString()), [url]);
  const tiles = loaded.data ?? [];
  const frames = useMemo(
    () =>
      tiles.length
        ? stripTimes(durationMs, FRAMES)
            .map((ms) => tileAt(tiles, ms / 1000))
            .filter((tile): tile is StoryboardTile => tile !== null)
        : [],
    [tiles, durationMs],
  );
  if (!frames.length) return null;
  return (
    <div
      className="analytics-strip"
      aria-hidden="true"
      title={t("charts.storyboard")}
      data-testid="retention-storyboard"
      style={plot ? { paddingLeft: `${plot.left}px`, paddingRight: `${plot.right}px` } : undefined}
    >
      {frames.map((tile, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: one frame per slot, in order
        <span key={i} className="analytics-frame" style={tileBackground(tile, tiles)} />
      ))}
    </div>
  );
}
