// One Lighthouse run against a page: its own Debian Chromium through chrome-launcher, Lighthouse's
// default (mobile) settings — Moto G Power emulation, simulated slow 4G and a CPU slowdown —
// performance and accessibility only. Runs in the vitest worker (Node 22): lighthouse and
// chrome-launcher are plain ESM packages that vitest leaves to Node, so no child process is needed.
//
// The CPU slowdown is calibrated to the host, as Lighthouse's throttling guide says to
// (docs/throttling.md, "Calibrating the CPU slowdown"): its default 4x is meant for a host in the
// high-end desktop bracket (benchmark index 1500–2000) and emulates a mid-tier phone there; these
// shared 2-core machines measure 600–1500, and the same index moves with the other work beside a
// run. Each run is gathered once (the page loaded in Chromium, the host's benchmark index measured
// at its start), then audited with the slowdown that takes that host to the same phone
// (calibratedSlowdown): Lighthouse's simulated throttling computes every metric from the gathered
// trace, so the one page load serves the calibrated audit.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as chromeLauncher from "chrome-launcher";
import lighthouse, { type Result } from "lighthouse";

/** The benchmark index Lighthouse's default 4x slowdown is made for: the middle of 1500–2000. */
export const DEFAULT_SLOWDOWN_HOST_INDEX = 1750;
export const DEFAULT_SLOWDOWN = 4;

/**
 * The CPU slowdown that makes a host of benchmark index `index` emulate the phone Lighthouse's
 * default 4x emulates on its reference host: 4 × index ÷ 1750 (a slower host needs less slowing to
 * reach the same phone, a faster one more), never under 1 (no speed-up), to one decimal.
 */
export function calibratedSlowdown(index: number): number {
  const m = (DEFAULT_SLOWDOWN * Math.round(index)) / DEFAULT_SLOWDOWN_HOST_INDEX;
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
  /** The CPU slowdown the run was audited with (calibratedSlowdown of its benchmark index). */
  cpuSlowdown: number;
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
      const cpuSlowdown = calibratedSlowdown(artifacts.BenchmarkIndex ?? DEFAULT_SLOWDOWN_HOST_INDEX);
      // Lighthouse refuses to audit with settings other than the gathered ones. Under simulated
      // throttling the gather itself runs unthrottled and the slowdown is only the simulation's
      // input, so the saved settings take the calibrated value as if it had been given up front.
      if (artifacts.settings.throttlingMethod !== "simulate")
        throw new Error("expected simulated throttling");
      artifacts.settings.throttling.cpuSlowdownMultiplier = cpuSlowdown;
      writeFileSync(saved, JSON.stringify(artifacts));
      // Audit: the same artifacts, simulated at the calibrated slowdown (no second page load).
      const result = await Promise.race([
        lighthouse(url, { ...flags, auditMode: dir, throttling: { cpuSlowdownMultiplier: cpuSlowdown } }),
        timeout,
      ]);
      if (!result) throw new Error(`Lighthouse returned nothing for ${url}`);
      return summarize(result.lhr);
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
    cpuSlowdown: lhr.configSettings.throttling.cpuSlowdownMultiplier ?? Number.NaN,
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
