// The local edge as the benchmarks run it: the bench-only worker entry (apps/edge/bench/worker.ts: the
// production worker and its Durable Objects, plus the `/api/v1/dev/bench/*` routes) bundled once and
// served by `wrangler dev` from that bundle, so edits to the source tree during a run cannot reload it.
// Those routes exist only in this entry: no production or `bun run dev` edge has them.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { DEV_VARS_FILE, NO_PROMPT } from "../../scripts/lib/dev-vars";
import { freePort, ROOT, run, startGroup, USER_HZ } from "./proc";

export const BENCH_WORKER = "apps/edge/bench/worker.ts";
/**
 * wrangler also appends every line a worker logs (and its own per-request `[wrangler:info]` line) to a
 * debug file in ~/.config/.wrangler/logs: an open, a write and a close per line, in the same process
 * that runs the dev server, paid per request by every route measured and by nothing in production.
 * Off unless asked for (`WRANGLER_WRITE_LOGS=true bun run bench …`); the lines still go to the
 * edge's output, where a failing benchmark prints them.
 */
export const WRANGLER_ENV = {
  ...NO_PROMPT,
  WRANGLER_WRITE_LOGS: process.env.WRANGLER_WRITE_LOGS ?? "false",
};

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

/**
 * wrangler's API (`unstable_startWorker`) serving a frozen worker with the inspector off, under the
 * Node that `wrangler dev` runs on (argv: config, script, port, persist dir). `wrangler dev` always
 * attaches its inspector proxy to workerd: every `console.*` call of the worker then also becomes a
 * DevTools event the proxy parses and reports to wrangler with an HTTP request of its own (~2–3 ms of
 * CPU per line on the dev machine) — a cost of the local tooling alone, which a route that logs pays
 * and a baseline that does not log does not.
 */
const START_WITHOUT_INSPECTOR = `
const { unstable_startWorker } = await import("wrangler");
const [config, entrypoint, port, persist] = process.argv.slice(1);
const worker = await unstable_startWorker({
  config,
  entrypoint,
  build: { bundle: false },
  dev: { inspector: false, server: { hostname: "127.0.0.1", port: Number(port) }, persist, watch: false, liveReload: false },
});
await worker.ready;
for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => worker.dispose().finally(() => process.exit(0)));
`;

/**
 * `wrangler dev` of a frozen worker on a free port, persisting to `state`; `vars` are extra NAME:value
 * vars. `inspector: false` serves it through wrangler's API without the inspector (see above; no
 * extra vars there).
 */
export async function startFrozenEdge(
  worker: FrozenWorker,
  state: string,
  vars: string[] = [],
  options: { inspector?: boolean } = {},
) {
  const port = await freePort();
  if (options.inspector === false) {
    if (vars.length > 0) throw new Error("startFrozenEdge: extra vars need the inspector (wrangler dev)");
    const edge = startGroup(
      [
        ...["node", "--input-type=module", "-e", START_WITHOUT_INSPECTOR],
        ...[worker.config, worker.script, String(port), state],
      ],
      { env: WRANGLER_ENV },
    );
    return { edge, port };
  }
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

/**
 * CPU-seconds (user + system) the live processes of process group `pgid` have used so far: a frozen
 * edge's wrangler, workerd and helpers (`edge.child.pid` is the group). The difference over a wrk run,
 * divided by the requests served, is the edge's CPU per request: unlike requests per second, it
 * barely moves when other work on the machine takes the cores away.
 */
export function groupCpuSeconds(pgid: number): number {
  let ticks = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // ended meanwhile
    }
    // Fields after the command name (which may hold spaces): state ppid pgrp … utime(12th) stime(13th).
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(fields[2]) === pgid) ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks / USER_HZ;
}
