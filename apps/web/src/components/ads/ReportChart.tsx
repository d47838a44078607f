import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartConfiguration,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from "chart.js";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import type { ReportDay } from "../../lib/ads";
import { useFormat } from "../../lib/format";
import { readTokenColours, useThemeVersion } from "../studio/chartTheme";
import { ratePercent } from "./rate";

// Only the pieces drawn here (tree-shaken: no other controllers, scales or plugins). Chart.js
// draws on a canvas with no eval and no injected stylesheet, so it runs under the strict CSP.
Chart.register(
  BarController,
  BarElement,
  LineController,
  LineElement,
  PointElement,
  CategoryScale,
  LinearScale,
  Tooltip,
  Legend,
);

const TOKENS = {
  text: "--color-text-muted",
  grid: "--color-border",
  impressions: "--color-info",
  completes: "--color-success",
  clicks: "--color-warning",
  spend: "--color-accent",
  ctr: "--color-danger",
  completion: "--color-success",
} as const;

/**
 * The daily report as two Chart.js charts: delivery (impressions, completes and clicks as bars,
 * spend as a line on its own axis) and rates (CTR and completion rate). The canvases are for the
 * eye (aria-hidden); ReportTable beside them has the same numbers for everyone.
 */
export function ReportChart({ days }: { days: ReportDay[] }) {
  const { t } = useTranslation("ads");
  const f = useFormat();
  const theme = useThemeVersion();
  const delivery = useRef<HTMLCanvasElement>(null);
  const rates = useRef<HTMLCanvasElement>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: redrawn when the data, language or theme change
  useEffect(() => {
    const a = delivery.current;
    const b = rates.current;
    if (!a || !b) return;
    const c = readTokenColours(a.parentElement ?? a, TOKENS);
    const dayFormat = new Intl.DateTimeFormat(f.lang, { month: "short", day: "numeric", timeZone: "UTC" });
    const labels = days.map((d) => dayFormat.format(new Date(`${d.day}T00:00:00Z`)));
    // Whole cents, floored like the API's spendCents (the exact millicents are in the table).
    const money = (cents: number) => f.money(Math.floor(cents), "usd");
    const base = {
      responsive: true,
      maintainAspectRatio: false,
      animation: false as const,
      interaction: { mode: "index" as const, intersect: false },
      plugins: { legend: { labels: { color: c.text, font: { family: c.font } } } },
    };
    const axis = { ticks: { color: c.text, font: { family: c.font } }, grid: { color: c.grid } };
    const first: ChartConfiguration<"bar" | "line", number[], string> = {
      type: "bar",
      data: {
        labels,
        datasets: [
          {
            type: "bar",
            label: t("report.impressions"),
            data: days.map((d) => d.impressions),
            backgroundColor: c.impressions,
            yAxisID: "y",
          },
          {
            type: "bar",
            label: t("report.completes"),
            data: days.map((d) => d.completes),
            backgroundColor: c.completes,
            yAxisID: "y",
          },
          {
            type: "bar",
            label: t("report.clicks"),
            data: days.map((d) => d.clicks),
            backgroundColor: c.clicks,
            yAxisID: "y",
          },
          {
            type: "line",
            label: t("report.spend"),
            // Millicents as fractional cents for the line's height; labels show whole cents.
            data: days.map((d) => d.spendMillicents / 1000),
            borderColor: c.spend,
            backgroundColor: c.spend,
            yAxisID: "money",
          },
        ],
      },
      options: {
        ...base,
        plugins: {
          ...base.plugins,
          tooltip: {
            callbacks: {
              label: (item) =>
                `${item.dataset.label}: ${item.dataset.yAxisID === "money" ? money(item.parsed.y ?? 0) : f.number(item.parsed.y ?? 0)}`,
            },
          },
        },
        scales: {
          x: axis,
          y: { ...axis, beginAtZero: true, ticks: { ...axis.ticks, precision: 0 } },
          money: {
            ...axis,
            position: "right",
            beginAtZero: true,
            grid: { drawOnChartArea: false },
            ticks: { ...axis.ticks, callback: (v) => money(Number(v)) },
          },
        },
      },
    };
    const percent = (v: number) => ratePercent(f.lang, v);
    const second: ChartConfiguration<"line", number[], string> = {
      type: "line",
      data: {
        labels,
        datasets: [
          {
            label: t("report.ctr"),
            data: days.map((d) => d.ctr),
            borderColor: c.ctr,
            backgroundColor: c.ctr,
          },
          {
            label: t("report.completionRate"),
            data: days.map((d) => d.completionRate),
            borderColor: c.completion,
            backgroundColor: c.completion,
          },
        ],
      },
      options: {
        ...base,
        plugins: {
          ...base.plugins,
          tooltip: {
            callbacks: { label: (item) => `${item.dataset.label}: ${percent(item.parsed.y ?? 0)}` },
          },
        },
        scales: {
          x: axis,
          y: { ...axis, min: 0, max: 1, ticks: { ...axis.ticks, callback: (v) => percent(Number(v)) } },
        },
      },
    };
    const charts = [new Chart(a, first), new Chart(b, second)];
    return () => {
      for (const chart of charts) chart.destroy();
    };
  }, [days, f, theme, t]);

  return (
    <div className="ads-charts" aria-hidden="true" data-testid="report-chart">
      <div className="ads-chart">
        <canvas ref={delivery} />
      </div>
      <div className="ads-chart">
        <canvas ref={rates} />
      </div>
    </div>
  );
}
