import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartConfiguration,
  Legend,
  LinearScale,
  Tooltip,
} from "chart.js";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { useFormat } from "../../lib/format";
import { type ChartPoint, periodLabel } from "../../lib/payouts";
import { readTokenColours, useThemeVersion } from "../studio/chartTheme";

// Only the pieces drawn here (tree-shaken). Chart.js draws on a canvas with no eval and no injected
// stylesheet, so it runs under the strict CSP; it comes in this lazy chunk only (EarningsSection).
Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);

const TOKENS = {
  text: "--color-text-muted",
  grid: "--color-border",
  ads: "--color-info",
  adsSoft: "--color-info-soft",
  premium: "--color-accent",
  premiumSoft: "--color-accent-soft",
  earned: "--color-warning",
  earnedSoft: "--color-warning-soft",
  paid: "--color-success",
} as const;

/**
 * Earnings per period as two Chart.js charts: ads and premium as stacked bars, and earned (the open
 * month: estimated) beside paid. Amounts stay integer cents; only the labels turn them into money.
 * The estimate's bars are drawn soft with a border. The canvases are for the eye (aria-hidden): the
 * figure's caption summarises and EarningsTable has every number.
 */
export function EarningsChart({ points }: { points: ChartPoint[] }) {
  const { t } = useTranslation("payouts");
  const f = useFormat();
  const theme = useThemeVersion();
  const revenue = useRef<HTMLCanvasElement>(null);
  const paid = useRef<HTMLCanvasElement>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: redrawn when the data, language or theme change
  useEffect(() => {
    const a = revenue.current;
    const b = paid.current;
    if (!a || !b) return;
    const c = readTokenColours(a.parentElement ?? a, TOKENS);
    const labels = points.map((p) =>
      p.estimate
        ? t("chart.estimateLabel", { period: periodLabel(p.period, f.lang) })
        : periodLabel(p.period, f.lang),
    );
    const money = (cents: number) => f.money(Math.round(cents), "usd");
    const each = <T,>(pick: (p: ChartPoint) => T, estimate: T) =>
      points.map((p) => (p.estimate ? estimate : pick(p)));
    const bar = (label: string, data: number[], solid: string, soft: string, stack?: string) => ({
      type: "bar" as const,
      label,
      data,
      stack,
      backgroundColor: each(() => solid, soft),
      borderColor: solid,
      borderWidth: each(() => 0, 2),
    });
    const options = (stacked: boolean): ChartConfiguration<"bar", number[], string>["options"] => {
      const axis = { ticks: { color: c.text, font: { family: c.font } }, grid: { color: c.grid } };
      return {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: "index", intersect: false },
        plugins: {
          legend: { labels: { color: c.text, font: { family: c.font } } },
          tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${money(item.parsed.y ?? 0)}` } },
        },
        scales: {
          x: { ...axis, stacked },
          y: {
            ...axis,
            stacked,
            beginAtZero: true,
            ticks: { ...axis.ticks, precision: 0, callback: (v) => money(Number(v)) },
          },
        },
      };
    };
    const first: ChartConfiguration<"bar", number[], string> = {
      type: "bar",
      data: {
        labels,
        datasets: [
          bar(
            t("chart.ads"),
            points.map((p) => p.adsCents),
            c.ads,
            c.adsSoft,
            "revenue",
          ),
          bar(
            t("chart.premium"),
            points.map((p) => p.premiumCents),
            c.premium,
            c.premiumSoft,
            "revenue",
          ),
        ],
      },
      options: options(true),
    };
    const hasEstimate = points.some((p) => p.estimate);
    const second: ChartConfiguration<"bar", number[], string> = {
      type: "bar",
      data: {
        labels,
        datasets: [
          bar(
            hasEstimate ? t("chart.earnedEstimated") : t("chart.earned"),
            points.map((p) => p.totalCents),
            c.earned,
            c.earnedSoft,
          ),
          bar(
            t("chart.paid"),
            points.map((p) => p.paidCents),
            c.paid,
            c.paid,
          ),
        ],
      },
      options: options(false),
    };
    const charts = [new Chart(a, first), new Chart(b, second)];
    return () => {
      for (const chart of charts) chart.destroy();
    };
  }, [points, f, theme, t]);

  const first = points[0];
  const last = points[points.length - 1];
  return (
    <figure className="payouts-figure" data-testid="earnings-chart">
      <div className="payouts-charts" aria-hidden="true">
        <div className="payouts-chart">
          <canvas ref={revenue} />
        </div>
        <div className="payouts-chart">
          <canvas ref={paid} />
        </div>
      </div>
      {first && last ? (
        <figcaption>
          {t("chart.summary", {
            count: points.length,
            first: periodLabel(first.period, f.lang, "long"),
            last: periodLabel(last.period, f.lang, "long"),
          })}
        </figcaption>
      ) : null}
    </figure>
  );
}
