// The local edge as the platform benchmarks run it: the worker bundled once and served by
// `wrangler dev` from that bundle, so edits to the source tree during a run cannot reload it.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { freePort, ROOT, run, startGroup } from "./proc";

export const WRANGLER_ENV = {
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  WRANGLER_SEND_METRICS: "false",
  CI: "true",
};

/** The q-quantile of ascending `sorted`. */
export const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;

/** Bundles the worker once and writes a wrangler.toml next to the bundle (same bindings, absolute paths). */
export function frozenWorker(dir: string): string {
  run(["wrangler", "deploy", "--dry-run", "--outdir", dir], WRANGLER_ENV);
  const assets = join(dir, "assets");
  mkdirSync(assets, { recursive: true });
  const config = readFileSync(join(ROOT, "wrangler.toml"), "utf8")
    .replace(/^main = .*$/m, 'main = "index.js"')
    // An empty assets dir: the web app's dist/ is rebuilt by anyone running `bun run dev`, and
    // wrangler restarts the worker (failing requests in flight) whenever its assets change.
    .replace(/^directory = "(.*)"$/m, () => `directory = "${assets}"`)
    .replace(/^migrations_dir = "(.*)"$/m, (_, d: string) => `migrations_dir = "${join(ROOT, d)}"`);
  writeFileSync(join(dir, "wrangler.toml"), config);
  copyFileSync(join(ROOT, ".dev.vars"), join(dir, ".dev.vars")); // wrangler reads it next to the config
  return join(dir, "wrangler.toml");
}

/**
 * `wrangler dev` of a frozen worker on a free port, persisting to `state`; `vars` are extra NAME:value
 * vars. This is the one place that sets BENCH_ROUTES=1: the benchmark-only routes
 * (`/api/v1/dev/bench/*`, some without a token) exist in no other edge, `bun run dev` included.
 */
export async function startFrozenEdge(config: string, state: string, vars: string[] = []) {
  const port = await freePort();
  const edge = startGroup(
    [
      "wrangler",
      "dev",
      "--no-bundle",
      "-c",
      config,
      "--local",
      "--ip",
      "127.0.0.1",
      "--port",
      String(port),
      "--persist-to",
      state,
      "--show-interactive-dev-session=false",
      ...["BENCH_ROUTES:1", ...vars].flatMap((v) => ["--var", v]),
    ],
    { env: WRANGLER_ENV, capture: true },
  );
  return { edge, port };
}
