import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartConfiguration,
  type ChartType,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from "chart.js";
import { type DependencyList, type RefObject, useEffect } from "react";
import { readTokenColours, useThemeVersion } from "../studio/chartTheme";

// Only the pieces the analytics charts draw (tree-shaken: no other controllers, scales or plugins).
// Chart.js draws on a canvas with no eval and no injected stylesheet, so it runs under the strict CSP;
// it is imported by the analytics route chunks only (the home page never loads it).
Chart.register(
  BarController,
  BarElement,
  LineController,
  LineElement,
  PointElement,
  CategoryScale,
  LinearScale,
  Filler,
  Tooltip,
  Legend,
);

/** The tokens every analytics chart draws with, read from the page so both themes come out right. */
const TOKENS = {
  text: "--color-text-muted",
  grid: "--color-border",
  accent: "--color-accent",
  accentSoft: "--color-accent-soft",
  info: "--color-info",
  infoSoft: "--color-info-soft",
  success: "--color-success",
  warning: "--color-warning",
  danger: "--color-danger",
} as const;
export type AnalyticsColours = Record<keyof typeof TOKENS, string> & { font: string };

/** Options every chart shares: sized by its box, no animation, the token colours on axes and legend. */
export function baseOptions(c: AnalyticsColours) {
  const axis = { ticks: { color: c.text, font: { family: c.font } }, grid: { color: c.grid } };
  return {
    axis,
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false as const,
      interaction: { mode: "index" as const, intersect: false },
      plugins: { legend: { labels: { color: c.text, font: { family: c.font } } } },
    },
  };
}

/**
 * Draws `make(colours)` on the canvas and redraws when `deps`, the theme or the OS colour scheme
 * change; the chart is destroyed on unmount (Chart.js keeps a registry keyed by canvas).
 */
export function useChart<T extends ChartType>(
  canvas: RefObject<HTMLCanvasElement | null>,
  make: (colours: AnalyticsColours) => ChartConfiguration<T, number[], string>,
  deps: DependencyList,
): void {
  const theme = useThemeVersion();
  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller's deps (and the theme) decide when to redraw
  useEffect(() => {
    const element = canvas.current;
    if (!element) return;
    const colours = readTokenColours(element.parentElement ?? element, TOKENS);
    const chart = new Chart(element, make(colours) as unknown as ChartConfiguration);
    return () => chart.destroy();
  }, [...deps, theme]);
}
