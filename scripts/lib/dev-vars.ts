/**
 * The local development environment every tool shares: the secrets in `.dev.vars` (written by
 * `bun run setup`, read by wrangler next to wrangler.toml), the dev platform's default ports and
 * state dir, and the environment wrangler runs with. Node APIs only: Bun scripts, the benchmarks
 * and the platform tests (vitest on Node) all import it.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

export const REPO_ROOT = resolve(import.meta.dirname, "../..");
export const DEV_VARS_FILE = join(REPO_ROOT, ".dev.vars");

/** What `bun run dev` uses when PORT, ORIGIN_PORT, PAYMENTS_SANDBOX_PORT and MARQUEE_STATE_DIR are not set. */
export const DEV_DEFAULTS = {
  host: "127.0.0.1",
  port: 8787,
  originPort: 8790,
  sandboxPort: 8791,
  stateDir: ".wrangler/state",
};

/** The state dir the platform uses: `MARQUEE_STATE_DIR` or `.wrangler/state`, relative to the repo. */
export function defaultStateDir(): string {
  return resolve(REPO_ROOT, process.env.MARQUEE_STATE_DIR || DEV_DEFAULTS.stateDir);
}

export class MissingDevVarsError extends Error {}

/** Every NAME=value line of `.dev.vars`, quotes removed (the JWK is single-quoted JSON). */
export function readDevVars(file = DEV_VARS_FILE): Record<string, string> {
  if (!existsSync(file)) {
    throw new MissingDevVarsError(
      ".dev.vars is missing: run `bun run setup` (or `npm start`) first to create local secrets.",
    );
  }
  const vars: Record<string, string> = {};
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m?.[1] || m[2] === undefined) continue;
    vars[m[1]] = m[2].replace(/^'(.*)'$|^"(.*)"$/, "$1$2");
  }
  return vars;
}

/** One secret of `.dev.vars` (ORIGIN_TOKEN, MEDIA_SIGNING_KEY, JWT_PRIVATE_JWK). */
export function devVar(name: string): string {
  const value = readDevVars()[name];
  if (value === undefined) throw new MissingDevVarsError(`${name} missing from .dev.vars: run bun run setup`);
  return value;
}

/**
 * The environment for wrangler and the repo's other tools: node_modules/.bin first (wrangler needs
 * the Node 22 there; the system one may be older), no telemetry, no network look-ups. Add `NO_PROMPT`
 * for one-off wrangler commands.
 */
export function toolEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...(process.env as Record<string, string>),
    PATH: `${join(REPO_ROOT, "node_modules/.bin")}:${process.env.PATH ?? ""}`,
    CLOUDFLARE_CF_FETCH_ENABLED: "false",
    WRANGLER_SEND_METRICS: "false",
    ...extra,
  };
}

/** CI=true keeps wrangler from asking for confirmation. */
export const NO_PROMPT = { CI: "true" };
