import { useEffect, useState } from "react";

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

/** A number that changes whenever the theme may have: the html data-theme switch or the OS setting. */
export function useThemeVersion(): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const bump = () => setVersion((v) => v + 1);
    const observer = new MutationObserver(bump);
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
    const os = window.matchMedia("(prefers-color-scheme: dark)");
    os.addEventListener("change", bump);
    return () => {
      observer.disconnect();
      os.removeEventListener("change", bump);
    };
  }, []);
  return version;
}
