// `bun run bench [name ...]`: runs the benchmarks (all by default) and prints each one's ratio
// against its baseline, measured in the same run. Figures seen are recorded in bench/README.md.

import { ads } from "./ads";
import { analytics } from "./analytics";
import { feed } from "./feed";
import { ladderCpu } from "./ladder-cpu";
import { runCleanups, say } from "./lib/proc";
import { likes } from "./likes";
import { load } from "./load";
import { originOverhead } from "./origin-overhead";
import { segmentServing } from "./segment-serving";
import { ttfp } from "./ttfp";

const BENCHMARKS: Record<string, () => Promise<Record<string, number>>> = {
  "segment-serving": segmentServing,
  "ladder-cpu": ladderCpu,
  "origin-overhead": originOverhead,
  ttfp,
  likes,
  feed,
  ads,
  analytics,
  load,
};

// Ctrl-C or a kill: stop every process group and remove every temp dir a benchmark still holds.
let exiting = false;
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    if (exiting) return;
    exiting = true;
    say(`${signal}: cleaning up …`);
    void runCleanups().finally(() => process.exit(130));
  });
}

const wanted = process.argv.slice(2);
const names = wanted.length ? wanted : Object.keys(BENCHMARKS);
const results: Record<string, Record<string, number>> = {};
for (const [i, name] of names.entries()) {
  const bench = BENCHMARKS[name];
  if (!bench) {
    console.error(`unknown benchmark ${name}; known: ${Object.keys(BENCHMARKS).join(", ")}`);
    process.exit(2);
  }
  say(`(${i + 1}/${names.length}) ${name}`);
  try {
    results[name] = await bench();
  } finally {
    await runCleanups();
  }
}
console.log(JSON.stringify(results, null, 2));
