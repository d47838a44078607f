// One Lighthouse run against a page: its own Debian Chromium through chrome-launcher, Lighthouse's
// default (mobile) settings — Moto G Power emulation, simulated slow 4G and 4x CPU slowdown —
// performance and accessibility only. Runs in the vitest worker (Node 22): lighthouse and
// chrome-launcher are plain ESM packages that vitest leaves to Node, so no child process is needed.
import * as chromeLauncher from "chrome-launcher";
import lighthouse, { type Result } from "lighthouse";

export interface LighthouseRun {
  /** Category scores, 0–100. */
  performance: number;
  accessibility: number;
  /** Metrics in ms (CLS unitless). */
  lcp: number;
  tbt: number;
  fcp: number;
  cls: number;
  /** Lighthouse's CPU benchmark of this machine during the run: low when the CPU was busy. */
  benchmarkIndex: number;
  /** What costs most, for whoever fixes the page: failing audits of both categories, worst first. */
  findings: string[];
  /** The whole report, for the details (LCP element, layout shift culprits, URLs). */
  lhr: Result;
}

const FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"];

/**
 * Runs Lighthouse once on `url`. Chromium is always killed afterwards, and a run that takes longer
 * than `timeoutMs` is abandoned (its Chromium killed, which also ends Lighthouse's connection).
 */
export async function lighthouseOnce(
  url: string,
  options: { chromePath: string; timeoutMs: number; env?: Record<string, string> },
): Promise<LighthouseRun> {
  const chrome = await chromeLauncher.launch({
    chromePath: options.chromePath,
    chromeFlags: FLAGS,
    // Marks Chromium as this test run's, so the afterAll sweep finds it should anything survive.
    envVars: { ...(process.env as Record<string, string>), ...options.env },
    logLevel: "silent",
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`Lighthouse on ${url} took longer than ${options.timeoutMs} ms`)),
        options.timeoutMs,
      );
    });
    const result = await Promise.race([
      lighthouse(url, {
        port: chrome.port,
        output: "json",
        logLevel: "error",
        onlyCategories: ["performance", "accessibility"],
      }),
      timeout,
    ]);
    if (!result) throw new Error(`Lighthouse returned nothing for ${url}`);
    return summarize(result.lhr);
  } finally {
    clearTimeout(timer);
    chrome.kill();
  }
}

/** Lighthouse could not measure the page (its own `runtimeError`): no score came out. */
export class LighthouseRuntimeError extends Error {}

function summarize(lhr: Result): LighthouseRun {
  if (lhr.runtimeError)
    throw new LighthouseRuntimeError(`Lighthouse on ${lhr.finalDisplayedUrl}: ${lhr.runtimeError.message}`);
  const score = (id: string) => Math.round((lhr.categories[id]?.score ?? 0) * 100);
  const metric = (id: string) => lhr.audits[id]?.numericValue ?? Number.NaN;
  return {
    performance: score("performance"),
    accessibility: score("accessibility"),
    lcp: metric("largest-contentful-paint"),
    tbt: metric("total-blocking-time"),
    fcp: metric("first-contentful-paint"),
    cls: metric("cumulative-layout-shift"),
    benchmarkIndex: Math.round(lhr.environment.benchmarkIndex),
    findings: findings(lhr),
    lhr,
  };
}

/** Failing audits (score < 0.9), with their headline figure, the ones weighing most first. */
function findings(lhr: Result): string[] {
  const weight = new Map<string, number>();
  for (const category of Object.values(lhr.categories)) {
    for (const ref of category.auditRefs) weight.set(ref.id, Math.max(weight.get(ref.id) ?? 0, ref.weight));
  }
  return Object.values(lhr.audits)
    .filter((a) => a.score !== null && a.score < 0.9 && a.scoreDisplayMode !== "informative")
    .sort(
      (a, b) =>
        (weight.get(b.id) ?? 0) - (weight.get(a.id) ?? 0) ||
        savings(b) - savings(a) ||
        (a.score ?? 0) - (b.score ?? 0),
    )
    .map((a) => `${a.id}${a.displayValue ? ` (${a.displayValue})` : ""}: ${a.title}`);
}

function savings(audit: Result["audits"][string] | undefined): number {
  const values: (number | undefined)[] = Object.values(audit?.metricSavings ?? {});
  return values.reduce<number>((sum, v) => sum + (v ?? 0), 0);
}
