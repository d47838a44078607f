// One Lighthouse run against a page: its own Debian Chromium through chrome-launcher, Lighthouse's
// default (mobile) settings — Moto G Power emulation, simulated slow 4G and a CPU slowdown —
// performance and accessibility only. Runs in the vitest worker (Node 22): lighthouse and
// chrome-launcher are plain ESM packages that vitest leaves to Node, so no child process is needed.
//
// The CPU slowdown is calibrated to the host, as Lighthouse's throttling guide says to
// (docs/throttling.md, "Calibrating the CPU slowdown"): its default 4x is meant for a host in the
// high-end desktop bracket (benchmark index 1500–2000) and emulates a mid-tier phone there; these
// shared 2-core machines measured 175–2,800, moving with the other work beside a run. Each run is
// gathered once (the page loaded in Chromium, the host's benchmark index measured at its start),
// then audited twice from the saved artifacts: at the default 4x and at the slowdown Lighthouse's
// calculator gives for that index (calibratedSlowdown). Lighthouse's simulated throttling computes
// every metric from the gathered trace, so the one page load serves both audits.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as chromeLauncher from "chrome-launcher";
import lighthouse, { type Result } from "lighthouse";

/** Lighthouse's default CPU slowdown (its reference: a host indexed about 1500–2000). */
export const DEFAULT_SLOWDOWN = 4;

/**
 * The CPU slowdown for a host of benchmark index `index`, by the piecewise line of Lighthouse's CPU
 * throttling calculator (linked from docs/throttling.md; patrickhulce/lighthouse-cpu-throttling-
 * calculator): 1x at 150, 2x at 800, 3x at 1300, then one more per 233 (4x at 1533, 6x at 2000),
 * never under 1x (below 150 the calculator calls the host too weak to emulate the phone), to one
 * decimal. The index is rounded first, as the report shows it.
 */
export function calibratedSlowdown(index: number): number {
  const i = Math.round(index);
  const m = i >= 1300 ? 3 + (i - 1300) / 233 : i >= 800 ? 2 + (i - 800) / 500 : 1 + (i - 150) / 650;
  return Math.max(1, Math.round(m * 10) / 10);
}

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
  /** The slowdown of the calibrated audit (calibratedSlowdown of the benchmark index). */
  cpuSlowdown: number;
  /** Performance of the same gathered load audited at that calibrated slowdown (the rest: at 4x). */
  performanceCalibrated: number;
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
    const dir = mkdtempSync(join(tmpdir(), "marquee-lighthouse-"));
    try {
      const flags = {
        output: "json" as const,
        logLevel: "error" as const,
        onlyCategories: ["performance", "accessibility"],
      };
      // Gather: load the page once and save what was seen (trace, network log, benchmark index).
      await Promise.race([lighthouse(url, { ...flags, port: chrome.port, gatherMode: dir }), timeout]);
      const saved = join(dir, "artifacts.json");
      const artifacts = JSON.parse(readFileSync(saved, "utf8")) as {
        BenchmarkIndex?: number;
        settings: { throttlingMethod: string; throttling: { cpuSlowdownMultiplier?: number } };
      };
      const cpuSlowdown = calibratedSlowdown(artifacts.BenchmarkIndex ?? Number.NaN);
      if (!Number.isFinite(cpuSlowdown)) throw new Error(`Lighthouse measured no benchmark index on ${url}`);
      // Lighthouse refuses to audit with settings other than the gathered ones. Under simulated
      // throttling the gather itself runs unthrottled and the slowdown is only the simulation's
      // input, so the saved settings take the slowdown to audit at as if it had been given up front.
      if (artifacts.settings.throttlingMethod !== "simulate")
        throw new Error("expected simulated throttling");
      const audit = async (slowdown: number) => {
        artifacts.settings.throttling.cpuSlowdownMultiplier = slowdown;
        writeFileSync(saved, JSON.stringify(artifacts));
        const result = await Promise.race([
          lighthouse(url, { ...flags, auditMode: dir, throttling: { cpuSlowdownMultiplier: slowdown } }),
          timeout,
        ]);
        if (!result) throw new Error(`Lighthouse returned nothing for ${url}`);
        const applied = result.lhr.configSettings.throttling.cpuSlowdownMultiplier;
        if (applied !== slowdown) throw new Error(`Lighthouse audited at ${applied}x, not ${slowdown}x`);
        return result.lhr;
      };
      // Audits of the same artifacts (no second page load): calibrated, then at the default 4x.
      const calibrated = await audit(cpuSlowdown);
      const performanceCalibrated = summarize(calibrated).performance;
      return { ...summarize(await audit(DEFAULT_SLOWDOWN)), cpuSlowdown, performanceCalibrated };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    clearTimeout(timer);
    chrome.kill();
  }
}

/** Lighthouse could not measure the page (its own `runtimeError`): no score came out. */
export class LighthouseRuntimeError extends Error {}

function summarize(lhr: Result): Omit<LighthouseRun, "performanceCalibrated" | "cpuSlowdown"> {
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
