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
 */
export function readChartColours(host: HTMLElement): ChartColours {
  const probe = document.createElement("span");
  probe.hidden = true;
  host.append(probe);
  const style = getComputedStyle(probe);
  const colours = {} as Record<keyof typeof TOKENS, string>;
  for (const [key, token] of Object.entries(TOKENS)) {
    probe.style.color = `var(${token})`;
    colours[key as keyof typeof TOKENS] = style.color;
  }
  probe.remove();
  const family = getComputedStyle(host).fontFamily || "sans-serif";
  return { ...colours, font: `12px ${family}` };
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
