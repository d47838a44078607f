import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import type { components } from "../../api/schema";
import { useFormat } from "../../lib/format";
import { readChartColours, useThemeVersion } from "./chartTheme";

type Day = components["schemas"]["ReactionStats"]["days"][number];

const HEIGHT = 240;

/**
 * Likes (up) and dislikes (down) per UTC day as bars around zero, and the net as a line, drawn by
 * uPlot on a canvas in the theme's colours. The canvas is for the eye; the same numbers are in the
 * caption and a visually hidden table for screen readers.
 */
export function LikeChart({ days }: { days: Day[] }) {
  const { t } = useTranslation("studio");
  const f = useFormat();
  const host = useRef<HTMLDivElement>(null);
  const theme = useThemeVersion();
  // The API's days are UTC dates: "Nov 23" / "23. Nov." however far the viewer is from UTC.
  const dayFormat = new Intl.DateTimeFormat(f.lang, { month: "short", day: "numeric", timeZone: "UTC" });
  const labels = days.map((d) => dayFormat.format(new Date(`${d.day}T00:00:00Z`)));
  const names = { likes: t("stats.likes"), dislikes: t("stats.dislikes"), net: t("stats.net") };

  // biome-ignore lint/correctness/useExhaustiveDependencies: redrawn when the data, language or theme change
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const c = readChartColours(el);
    const axis = {
      stroke: c.muted,
      font: c.font,
      grid: { stroke: c.grid, width: 1 },
      ticks: { stroke: c.grid, width: 1 },
    };
    const bars = uPlot.paths.bars?.({ size: [0.7, 24], radius: 0.15 });
    const every = Math.max(1, Math.ceil(days.length / Math.max(2, Math.floor(el.clientWidth / 80))));
    const chart = new uPlot(
      {
        width: el.clientWidth,
        height: HEIGHT,
        scales: { x: { time: false, range: [-0.5, days.length - 0.5] } },
        legend: { show: true, live: true },
        cursor: { points: { show: false }, drag: { x: false, y: false } },
        series: [
          { label: t("stats.day"), value: (_u, i) => (i == null ? "–" : (labels[i] ?? "–")) },
          {
            label: names.likes,
            stroke: c.likes,
            fill: c.likes,
            paths: bars,
            fillTo: () => 0,
            points: { show: false },
            value: (_u, v) => (v == null ? "–" : f.number(v)),
          },
          {
            label: names.dislikes,
            stroke: c.dislikes,
            fill: c.dislikes,
            paths: bars,
            fillTo: () => 0,
            points: { show: false },
            value: (_u, v) => (v == null ? "–" : f.number(Math.abs(v))),
          },
          {
            label: names.net,
            stroke: c.net,
            width: 2,
            points: { show: true, size: 5, fill: c.net, stroke: c.net },
            value: (_u, v) => (v == null ? "–" : f.number(v)),
          },
        ],
        axes: [
          {
            ...axis,
            splits: () => days.map((_, i) => i).filter((i) => i % every === 0),
            values: (_u, splits) => splits.map((i) => labels[i] ?? ""),
          },
          {
            ...axis,
            size: 48,
            values: (_u, splits) => splits.map((v) => (Number.isInteger(v) ? f.number(v) : "")),
          },
        ],
      },
      [days.map((_, i) => i), days.map((d) => d.likes), days.map((d) => -d.dislikes), days.map((d) => d.net)],
      el,
    );
    const resize = new ResizeObserver(() => chart.setSize({ width: el.clientWidth, height: HEIGHT }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [days, f, theme, t]);

  const totals = days.reduce(
    (sum, d) => ({ likes: sum.likes + d.likes, dislikes: sum.dislikes + d.dislikes, net: sum.net + d.net }),
    { likes: 0, dislikes: 0, net: 0 },
  );
  return (
    <figure className="studio-chart" data-testid="like-chart">
      <div ref={host} className="studio-chart-canvas" aria-hidden="true" />
      <figcaption className="muted">
        {t("stats.summary", {
          count: days.length,
          from: labels[0] ?? "",
          to: labels[labels.length - 1] ?? "",
          likes: f.number(totals.likes),
          dislikes: f.number(totals.dislikes),
          net: f.number(totals.net),
        })}
      </figcaption>
      <table className="visually-hidden">
        <caption>{t("stats.tableCaption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("stats.day")}</th>
            <th scope="col">{names.likes}</th>
            <th scope="col">{names.dislikes}</th>
            <th scope="col">{names.net}</th>
          </tr>
        </thead>
        <tbody>
          {days.map((d, i) => (
            <tr key={d.day}>
              <th scope="row">{labels[i]}</th>
              <td>{f.number(d.likes)}</td>
              <td>{f.number(d.dislikes)}</td>
              <td>{f.number(d.net)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
