/**
 * `bun run deploy:check`: is the production configuration deployable? CI runs it (tests/lint/
 * deploy-check.test.ts). It needs no Cloudflare account, no network and no Docker:
 *
 * 1. wrangler reads the production environment (`--env production` of wrangler.toml) and
 *    `wrangler deploy --dry-run` bundles the worker with it. `--containers-rollout=none`: wrangler
 *    builds a Dockerfile image even in dry-run mode, which needs a Docker daemon; the image is
 *    built by `bun run deploy` (and checked statically by tests/lint/dockerfile.test.ts).
 * 2. Every binding the edge's code and types name is declared in the production environment,
 *    every Durable Object class is exported and migrated, the container fits its binding.
 * 3. The production vars, with a placeholder for each declared secret, go through the edge's own
 *    config parser (apps/edge/src/config.ts): accepted as APP_ENV=production, while the dev-only
 *    settings (MAILER=dev, SMS=dev, STORAGE_MODE=local) and each missing secret are refused.
 *
 * Usage: bun scripts/deploy-check.ts [--config wrangler.toml] [--env production] [--skip-bundle]
 * Prints one line per problem and exits 1 if there is any.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { toolEnv } from "./lib/dev-vars";

const ROOT = resolve(import.meta.dirname, "..");
const EDGE_SRC = join(ROOT, "apps/edge/src");
/**
 * The edge's config parser, loaded by path: its sources are typed for workerd (JsonWebKey, …), which
 * this Bun world's type check does not have; at run time it needs only zod.
 */
const edgeConfig = (await import(join(ROOT, "apps/edge/src/config.ts"))) as {
  CONFIG_KEYS: readonly string[];
  loadConfig: (env: object) => unknown;
};
const { CONFIG_KEYS, loadConfig } = edgeConfig;
const ENV_TYPES = [join(ROOT, "apps/edge/worker-configuration.d.ts"), join(EDGE_SRC, "types.ts")];

/** Never in [vars] (plain text in the dashboard and in wrangler.toml): `wrangler secret put` only. */
const SECRET_NAMES = new Set([
  "JWT_PRIVATE_JWK",
  "JWT_PREVIOUS_PUBLIC_JWKS",
  "ORIGIN_TOKEN",
  "PAYOUTS_TOKEN",
  "MEDIA_SIGNING_KEY",
  "MAILER_API_KEY",
  "TWILIO_AUTH_TOKEN",
  "R2_ACCESS_KEY_ID",
  "R2_SECRET_ACCESS_KEY",
  "STRIPE_SECRET_KEY",
  "STRIPE_WEBHOOK_SECRET",
  "PAYPAL_CLIENT_SECRET",
]);

/** Settings that exist for `bun run dev` and the tests; production must refuse each one. */
const DEV_ONLY: Record<string, string>[] = [{ MAILER: "dev" }, { SMS: "dev" }, { STORAGE_MODE: "local" }];

type ProductionConfig = {
  name?: string;
  main?: string;
  vars: Record<string, unknown>;
  secrets?: { required?: string[] };
  durable_objects: { bindings: { name: string; class_name: string; script_name?: string }[] };
  kv_namespaces: { binding: string }[];
  r2_buckets: { binding: string }[];
  d1_databases: { binding: string }[];
  queues: { producers?: { binding: string }[] };
  analytics_engine_datasets: { binding: string }[];
  services?: { binding: string }[];
  assets?: { binding?: string; directory?: string };
  containers?: { class_name: string; image: string; max_instances?: number }[];
  migrations: {
    new_classes?: string[];
    new_sqlite_classes?: string[];
    renamed_classes?: { from: string; to: string }[];
    deleted_classes?: string[];
  }[];
};

export interface CheckOptions {
  config: string;
  env: string;
  bundle: boolean;
}

/** Reads the environment the way `wrangler deploy --env` does (inheritance rules included). */
export async function readProductionConfig(options: CheckOptions): Promise<ProductionConfig> {
  const { unstable_readConfig } = await import("wrangler");
  return unstable_readConfig({ config: options.config, env: options.env }) as unknown as ProductionConfig;
}

/** Binding names a config declares, by where wrangler puts them. */
function declaredBindings(c: ProductionConfig): Set<string> {
  return new Set([
    ...c.durable_objects.bindings.map((b) => b.name),
    ...c.kv_namespaces.map((b) => b.binding),
    ...c.r2_buckets.map((b) => b.binding),
    ...c.d1_databases.map((b) => b.binding),
    ...(c.queues.producers ?? []).map((b) => b.binding),
    ...c.analytics_engine_datasets.map((b) => b.binding),
    ...(c.services ?? []).map((b) => b.binding),
    ...(c.assets?.binding ? [c.assets.binding] : []),
  ]);
}

/** `NAME: Type` members of the Env interfaces in the generated types and types.ts. */
export function typedEnvMembers(sources: string[]): Map<string, string> {
  const members = new Map<string, string>();
  for (const text of sources) {
    for (const block of text.matchAll(
      /interface (?:__BaseEnv_Env|Env)\s*(?:extends [\w_]+\s*)?\{([^}]*)\}/g,
    )) {
      for (const m of (block[1] ?? "").matchAll(/^\s*([A-Z][A-Z0-9_]*)\??:\s*([^;]+);/gm)) {
        members.set(m[1] as string, (m[2] as string).trim());
      }
    }
  }
  return members;
}

/** `env.NAME` uses in the edge's runtime code (test code, which imports cloudflare:test, is skipped). */
export function envUsesInCode(dir: string): Map<string, string> {
  const uses = new Map<string, string>();
  const walk = (d: string) => {
    for (const entry of readdirSync(d)) {
      const path = join(d, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (path.endsWith(".ts") && !path.endsWith(".test.ts")) {
        const text = readFileSync(path, "utf8");
        if (text.includes('"cloudflare:test"')) continue;
        const names = [
          ...text.matchAll(/\benv\.([A-Z][A-Z0-9_]*)\b/g),
          ...text.matchAll(/Pick<Env,\s*"([A-Z][A-Z0-9_]*)">/g),
        ];
        for (const m of names) if (!uses.has(m[1] as string)) uses.set(m[1] as string, relative(ROOT, path));
      }
    }
  };
  walk(dir);
  return uses;
}

function checkBindings(c: ProductionConfig, where: string): string[] {
  const problems: string[] = [];
  const declared = declaredBindings(c);
  const vars = new Set(Object.keys(c.vars));
  const secrets = new Set(c.secrets?.required ?? []);
  const typed = typedEnvMembers(ENV_TYPES.map((p) => readFileSync(p, "utf8")));
  for (const [name, type] of typed) {
    if (type !== "string" && !declared.has(name)) {
      problems.push(`binding ${name} (${type}) is in the edge's Env types but not declared in ${where}`);
    }
  }
  for (const [name, file] of envUsesInCode(EDGE_SRC)) {
    const reported = typed.has(name) && typed.get(name) !== "string";
    if (reported) continue;
    const known = declared.has(name) || vars.has(name) || secrets.has(name) || CONFIG_KEYS.includes(name);
    if (!known)
      problems.push(`env.${name} (used in ${file}) is neither a binding, a var nor a secret in ${where}`);
  }
  for (const name of vars) {
    if (SECRET_NAMES.has(name))
      problems.push(`${name} is a secret: put it with \`wrangler secret put\`, not in vars`);
    else if (!CONFIG_KEYS.includes(name))
      problems.push(`var ${name} in ${where} is not read by apps/edge/src/config.ts`);
  }
  // Durable Object classes: exported by the worker, created by a migration, containers bound.
  const migrated = new Set<string>();
  for (const m of c.migrations) {
    for (const cls of [...(m.new_classes ?? []), ...(m.new_sqlite_classes ?? [])]) migrated.add(cls);
    for (const r of m.renamed_classes ?? []) migrated.add(r.to);
    for (const cls of m.deleted_classes ?? []) migrated.delete(cls);
  }
  const exported = exportedNames(c.main ? resolve(ROOT, c.main) : "");
  for (const b of c.durable_objects.bindings) {
    if (b.script_name) continue;
    if (!migrated.has(b.class_name)) problems.push(`Durable Object class ${b.class_name} has no migration`);
    if (exported && !exported.has(b.class_name)) {
      problems.push(`Durable Object class ${b.class_name} is not exported by ${c.main}`);
    }
  }
  const maxWanted = Number(c.vars.ORIGIN_CONTAINER_MAX_INSTANCES ?? 1);
  for (const container of c.containers ?? []) {
    const binding = c.durable_objects.bindings.find((b) => b.class_name === container.class_name);
    if (!binding) problems.push(`container class ${container.class_name} has no Durable Object binding`);
    if (!existsSync(container.image) && !/^[\w.-]+(\/[\w.-]+)+(:[\w.-]+)?$/.test(container.image)) {
      problems.push(`container image ${container.image} does not exist`);
    }
    if (container.max_instances !== undefined && maxWanted > container.max_instances) {
      problems.push(
        `ORIGIN_CONTAINER_MAX_INSTANCES=${maxWanted} exceeds the container's max_instances=${container.max_instances}`,
      );
    }
  }
  if (declared.has("ORIGIN_CONTAINER") && !(c.containers ?? []).length) {
    problems.push(`ORIGIN_CONTAINER is bound but ${where} declares no [[containers]]`);
  }
  return problems;
}

/** Names in the entry module's `export { X } from` / `export class X` statements. */
function exportedNames(entry: string): Set<string> | null {
  if (!entry || !existsSync(entry)) return null;
  const text = readFileSync(entry, "utf8");
  const names = new Set<string>();
  for (const m of text.matchAll(/export\s*\{([^}]*)\}/g)) {
    for (const part of (m[1] ?? "").split(",")) {
      const name = part
        .trim()
        .split(/\s+as\s+/)
        .pop();
      if (name) names.add(name);
    }
  }
  for (const m of text.matchAll(/export\s+class\s+(\w+)/g)) names.add(m[1] as string);
  return names;
}

/** Wrangler's multi-line messages as one line, so each problem stays one line. */
function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}

/** A value of the right shape for each secret, so the parser checks everything else. */
function placeholder(name: string): string {
  if (name === "JWT_PRIVATE_JWK") return JSON.stringify({ kty: "EC", crv: "P-256", kid: "deploy-check" });
  if (name === "JWT_PREVIOUS_PUBLIC_JWKS") return "[]";
  return `deploy-check-placeholder-${name.toLowerCase()}-0123456789abcdef`;
}

function configProblems(env: Record<string, unknown>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return message.replace(/^Invalid configuration: /, "").split("; ");
  }
}

function checkConfig(c: ProductionConfig, where: string): string[] {
  const problems: string[] = [];
  const vars = Object.fromEntries(Object.entries(c.vars).map(([k, v]) => [k, String(v)]));
  const secrets = c.secrets?.required ?? [];
  const complete = { ...vars, ...Object.fromEntries(secrets.map((s) => [s, placeholder(s)])) };
  for (const p of configProblems(complete)) problems.push(`${where} is refused by the config parser: ${p}`);
  if ((vars.APP_ENV ?? "production") !== "production") {
    problems.push(`APP_ENV is "${vars.APP_ENV}" in ${where}: production must run with APP_ENV=production`);
  }
  if (problems.length > 0) return problems;
  for (const setting of DEV_ONLY) {
    const [[key, value]] = Object.entries(setting) as [[string, string]];
    if (configProblems({ ...complete, ...setting }).length === 0) {
      problems.push(`the config parser accepts the dev-only ${key}=${value} in production`);
    }
  }
  for (const secret of secrets) {
    const { [secret]: _, ...without } = complete;
    if (configProblems(without).length === 0) {
      problems.push(`secret ${secret} is declared required but the config parser starts without it`);
    }
  }
  return problems;
}

/** `wrangler deploy --dry-run`: resolves every import, bundles, and validates the bindings. */
function checkBundle(c: ProductionConfig, options: CheckOptions): string[] {
  if (c.assets?.directory && !existsSync(resolve(dirname(options.config), c.assets.directory))) {
    return [
      `the assets directory ${c.assets.directory} is missing: build the web app first (bun run --cwd apps/web build)`,
    ];
  }
  const outdir = mkdtempSync(join(tmpdir(), "marquee-deploy-check-"));
  try {
    const args = ["deploy", "--dry-run", "--config", options.config, "--env", options.env];
    args.push("--containers-rollout=none", "--outdir", outdir);
    const run = spawnSync("wrangler", args, {
      cwd: ROOT,
      env: toolEnv({ CI: "true", NO_COLOR: "1", FORCE_COLOR: "0" }),
      encoding: "utf8",
    });
    if (run.status !== 0) {
      const lines = `${run.stdout}\n${run.stderr}`.split("\n").map((l) => l.trim());
      const errors = lines.filter((l) => l.includes("[ERROR]") || l.startsWith("✘"));
      return [
        `wrangler deploy --dry-run failed: ${errors.join(" | ") || lines.filter(Boolean).slice(-3).join(" | ")}`,
      ];
    }
    const bundle = join(outdir, "index.js");
    if (!existsSync(bundle)) return ["wrangler deploy --dry-run wrote no bundle"];
    const text = readFileSync(bundle, "utf8");
    const missing = c.durable_objects.bindings.filter(
      (b) => !b.script_name && !new RegExp(`\\b${b.class_name}\\b`).test(text),
    );
    return missing.map((b) => `the bundle does not contain Durable Object class ${b.class_name}`);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

export async function deployCheck(options: CheckOptions): Promise<string[]> {
  const where = `[env.${options.env}] of ${relative(ROOT, options.config) || options.config}`;
  let config: ProductionConfig;
  try {
    config = await readProductionConfig(options);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return [`wrangler cannot read ${where}: ${oneLine(message)}`];
  }
  const problems = [...checkBindings(config, where), ...checkConfig(config, where)];
  if (options.bundle) problems.push(...checkBundle(config, options));
  return problems;
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      config: { type: "string", default: join(ROOT, "wrangler.toml") },
      env: { type: "string", default: "production" },
      "skip-bundle": { type: "boolean", default: false },
    },
  });
  const options = { config: resolve(values.config), env: values.env, bundle: !values["skip-bundle"] };
  const started = Date.now();
  const problems = await deployCheck(options);
  for (const p of problems) console.error(`deploy:check ✗ ${p}`);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (problems.length > 0) {
    console.error(`deploy:check failed: ${problems.length} problem(s) (${seconds} s)`);
    process.exit(1);
  }
  const what = options.bundle ? "bundled with wrangler deploy --dry-run, " : "";
  console.log(
    `deploy:check ok: [env.${options.env}] ${what}bindings declared, dev-only settings refused (${seconds} s)`,
  );
}
