// `bun run bench [name ...]`: runs the benchmarks (all by default) and prints each one's ratio
// against its baseline, measured in the same run. Figures seen are recorded in bench/README.md.

import { say } from "./lib/proc";
import { segmentServing } from "./segment-serving";

const BENCHMARKS: Record<string, () => Promise<Record<string, number>>> = {
  "segment-serving": segmentServing,
};

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
  results[name] = await bench();
}
console.log(JSON.stringify(results, null, 2));
