import { useEffect, useState } from "react";
import { useTheme } from "../../lib/theme";

/** The tokens a chart draws with; read from the page so both themes come out right. */
export interface ChartColours {
  text: string;
  muted: string;
  grid: string;
  likes: string;
  dislikes: string;
  net: string;
  netFill: string;
  font: string;
}

const TOKENS = {
  text: "--color-text",
  muted: "--color-text-muted",
  grid: "--color-border",
  likes: "--color-success",
  dislikes: "--color-danger",
  net: "--color-info",
  netFill: "--color-info-soft",
} as const;

/**
 * A canvas cannot read CSS variables, and the colour tokens are light-dark() pairs that only an
 * element resolves: a hidden probe inside `host` takes each token as its colour and reports rgb().
 * Every chart reads its colours through this (the studio's, the ads report, the earnings page).
 */
export function readTokenColours<K extends string>(
  host: HTMLElement,
  tokens: Record<K, string>,
): Record<K, string> & { font: string } {
  const probe = document.createElement("span");
  probe.hidden = true;
  host.append(probe);
  const style = getComputedStyle(probe);
  const colours = {} as Record<K, string>;
  for (const [key, token] of Object.entries(tokens) as [K, string][]) {
    probe.style.color = `var(${token})`;
    colours[key] = style.color;
  }
  probe.remove();
  return { ...colours, font: getComputedStyle(host).fontFamily || "sans-serif" };
}

export function readChartColours(host: HTMLElement): ChartColours {
  const colours = readTokenColours(host, TOKENS);
  return { ...colours, font: `12px ${colours.font}` };
}

/**
 * A key that changes whenever the theme may have: the theme switch (lib/theme.ts's store) or,
 * under "system", the OS setting.
 */
export function useThemeVersion(): string {
  const { theme } = useTheme();
  const [osChanges, setOsChanges] = useState(0);
  useEffect(() => {
    const os = window.matchMedia("(prefers-color-scheme: dark)");
    const bump = () => setOsChanges((v) => v + 1);
    os.addEventListener("change", bump);
    return () => os.removeEventListener("change", bump);
  }, []);
  return `${theme}:${osChanges}`;
}
