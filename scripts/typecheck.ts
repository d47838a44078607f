// `bun run typecheck`: checks the web client's generated API types are current, then type-checks every TypeScript project, each in its own global type world
// (Workers for apps/edge, DOM for apps/web, Bun for the origin and scripts/, Node for tests/ and the
// config files in the root tsconfig.json). Runs `tsc --noEmit -p` on two projects at a time, prints each
// project's errors together, and exits 1 if any project has errors.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dir, "..");
const TSC = join(ROOT, "node_modules/.bin/tsc");

// Every app and package that has a tsconfig.json, plus the fixed ones.
const projects = [
  "tsconfig.json",
  ...new Bun.Glob("{apps,packages}/*/tsconfig.json").scanSync({ cwd: ROOT }),
  "scripts/tsconfig.json",
  "tests/tsconfig.json",
]
  .filter((p) => existsSync(join(ROOT, p)))
  .sort();

async function check(project: string): Promise<boolean> {
  const started = performance.now();
  const pretty = String(Boolean(process.stdout.isTTY));
  const proc = Bun.spawn([TSC, "--noEmit", "--pretty", pretty, "-p", project], {
    cwd: ROOT,
    stdout: "pipe",
    stderr: "pipe",
  });
  const [out, err, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  const secs = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`${code === 0 ? "ok  " : "FAIL"} ${project} (${secs}s)`);
  if (code !== 0) process.stdout.write(`${out}${err}\n`);
  return code === 0;
}

// The web client's API types must match the edge's routes (they are generated from them).
const apiTypes = Bun.spawnSync(["bun", join(ROOT, "scripts/gen-api-types.ts"), "--check"], {
  cwd: ROOT,
  stdio: ["ignore", "inherit", "inherit"],
});
console.log(
  `${apiTypes.exitCode === 0 ? "ok  " : "FAIL"} apps/web/src/api (generated from the edge's routes)`,
);

// Two at a time: the machines this runs on have two cores.
const queue = [...projects];
const results: boolean[] = [];
await Promise.all(
  [0, 1].map(async () => {
    for (let p = queue.shift(); p !== undefined; p = queue.shift()) results.push(await check(p));
  }),
);
const failed = results.filter((ok) => !ok).length + (apiTypes.exitCode === 0 ? 0 : 1);
console.log(failed ? `typecheck: ${failed} of ${projects.length} projects failed` : "typecheck: all ok");
process.exit(failed ? 1 : 0);
