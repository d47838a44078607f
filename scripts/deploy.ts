/**
 * `bun run deploy`: one command from a checked-out tree to production (docs/production.md).
 *
 * In order, stopping at the first failure:
 *   0. preflight: `deploy:check` without the bundle (wrangler deploy bundles anyway), and no
 *      placeholder left in [env.production] (the zero resource ids, PUBLIC_URL on example.com);
 *   1. the web build (apps/web/dist, served by the worker as static assets);
 *   2. the remote D1 migrations (`wrangler d1 migrations apply DB --remote --env production`);
 *   3. `wrangler deploy --env production`, which also builds the origin's container image with
 *      Docker (apps/origin-transcoder/Dockerfile), pushes it to Cloudflare's registry and rolls
 *      the container application out.
 *
 * Needs a Cloudflare account (`wrangler login` or CLOUDFLARE_API_TOKEN + CLOUDFLARE_ACCOUNT_ID) and
 * a running Docker daemon. `--dry-run` prints the steps and runs nothing. `--secrets-file <path>`
 * is passed to `wrangler deploy` (the first deploy of a worker with required secrets needs it).
 */
import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { deployCheck, readProductionConfig } from "./deploy-check";
import { toolEnv } from "./lib/dev-vars";

const ROOT = resolve(import.meta.dirname, "..");
const ENV = "production";

interface Step {
  name: string;
  command: string[];
  cwd: string;
}

export function deploySteps(options: { secretsFile?: string }): Step[] {
  const deploy = ["wrangler", "deploy", "--env", ENV];
  if (options.secretsFile) deploy.push("--secrets-file", resolve(options.secretsFile));
  return [
    { name: "web build", command: ["bun", "run", "--cwd", "apps/web", "build"], cwd: ROOT },
    {
      name: "remote D1 migrations",
      command: ["wrangler", "d1", "migrations", "apply", "DB", "--remote", "--env", ENV],
      cwd: ROOT,
    },
    { name: "worker, assets and origin container image", command: deploy, cwd: ROOT },
  ];
}

/** What `wrangler deploy` would accept but must never reach production: the repo's placeholders. */
async function placeholderProblems(config: string): Promise<string[]> {
  const c = await readProductionConfig({ config, env: ENV, bundle: false });
  const problems: string[] = [];
  const zero = /^0[0-]*$/;
  for (const db of c.d1_databases as unknown as { binding: string; database_id?: string }[]) {
    if (!db.database_id || zero.test(db.database_id))
      problems.push(`D1 ${db.binding}: database_id is the placeholder`);
  }
  for (const kv of c.kv_namespaces as unknown as { binding: string; id?: string }[]) {
    if (!kv.id || zero.test(kv.id)) problems.push(`KV ${kv.binding}: id is the placeholder`);
  }
  const routes = (c as unknown as { routes?: (string | { pattern: string })[] }).routes ?? [];
  for (const route of routes) {
    const pattern = typeof route === "string" ? route : route.pattern;
    if (pattern.includes("example.com")) problems.push(`route ${pattern} still names example.com`);
  }
  for (const key of ["PUBLIC_URL", "ALLOWED_ORIGINS", "MAILER_FROM"]) {
    if (String(c.vars[key] ?? "").includes("example.com")) problems.push(`${key} still names example.com`);
  }
  return problems;
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: { "dry-run": { type: "boolean", default: false }, "secrets-file": { type: "string" } },
  });
  const steps = deploySteps({ secretsFile: values["secrets-file"] });
  const config = join(ROOT, "wrangler.toml");
  if (values["dry-run"]) {
    console.log("deploy --dry-run: would run, stopping at the first failure:");
    console.log("  0. preflight: deploy:check (no bundle) and no placeholder ids or example.com URLs");
    for (const [i, s] of steps.entries()) console.log(`  ${i + 1}. ${s.name}: ${s.command.join(" ")}`);
    process.exit(0);
  }
  const problems = [
    ...(await deployCheck({ config, env: ENV, bundle: false })),
    ...(await placeholderProblems(config)),
  ];
  if (problems.length > 0) {
    for (const p of problems) console.error(`deploy ✗ ${p}`);
    console.error("deploy: stopped before step 1 (docs/production.md says what to set)");
    process.exit(1);
  }
  for (const [i, step] of steps.entries()) {
    console.log(`deploy: ${i + 1}/${steps.length} ${step.name}: ${step.command.join(" ")}`);
    const [cmd, ...args] = step.command as [string, ...string[]];
    const run = spawnSync(cmd, args, { cwd: step.cwd, env: toolEnv(), stdio: "inherit" });
    if (run.status !== 0) {
      console.error(
        `deploy ✗ step ${i + 1} (${step.name}) failed (exit ${run.status ?? run.signal}); nothing after it ran`,
      );
      process.exit(1);
    }
  }
  console.log("deploy: done");
}
