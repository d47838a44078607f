// The local edge as the benchmarks run it: the bench-only worker entry (apps/edge/bench/worker.ts: the
// production worker and its Durable Objects, plus the `/api/v1/dev/bench/*` routes) bundled once and
// served by `wrangler dev` from that bundle, so edits to the source tree during a run cannot reload it.
// Those routes exist only in this entry: no production or `bun run dev` edge has them.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { DEV_VARS_FILE, NO_PROMPT } from "../../scripts/lib/dev-vars";
import { freePort, ROOT, run, startGroup } from "./proc";

export const BENCH_WORKER = "apps/edge/bench/worker.ts";
export const WRANGLER_ENV = NO_PROMPT;

/** The q-quantile of ascending `sorted`. */
export const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;

export interface FrozenWorker {
  /** A wrangler.toml beside the bundle: the same bindings, absolute paths. */
  config: string;
  /** The bundled entry. */
  script: string;
}

/** Bundles `entry` (default: the bench worker) once into `dir`, with a wrangler.toml beside it. */
export function frozenWorker(dir: string, entry = BENCH_WORKER): FrozenWorker {
  run(["wrangler", "deploy", "--dry-run", "--outdir", dir, entry], WRANGLER_ENV);
  const script = join(dir, basename(entry).replace(/\.ts$/, ".js"));
  const assets = join(dir, "assets");
  mkdirSync(assets, { recursive: true });
  const config = readFileSync(join(ROOT, "wrangler.toml"), "utf8")
    .replace(/^main = .*$/m, `main = "${basename(script)}"`)
    // An empty assets dir: the web app's dist/ is rebuilt by anyone running `bun run dev`, and
    // wrangler restarts the worker (failing requests in flight) whenever its assets change.
    .replace(/^directory = "(.*)"$/m, () => `directory = "${assets}"`)
    .replace(/^migrations_dir = "(.*)"$/m, (_, d: string) => `migrations_dir = "${join(ROOT, d)}"`);
  writeFileSync(join(dir, "wrangler.toml"), config);
  copyFileSync(DEV_VARS_FILE, join(dir, ".dev.vars")); // wrangler reads it next to the config
  return { config: join(dir, "wrangler.toml"), script };
}

/** `wrangler dev` of a frozen worker on a free port, persisting to `state`; `vars` are extra NAME:value vars. */
export async function startFrozenEdge(worker: FrozenWorker, state: string, vars: string[] = []) {
  const port = await freePort();
  const edge = startGroup(
    [
      ...["wrangler", "dev", worker.script, "--no-bundle", "-c", worker.config, "--local"],
      ...["--ip", "127.0.0.1", "--port", String(port), "--persist-to", state],
      "--show-interactive-dev-session=false",
      ...vars.flatMap((v) => ["--var", v]),
    ],
    { env: WRANGLER_ENV },
  );
  return { edge, port };
}
