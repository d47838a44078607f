import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

// `bun run deploy:check` as CI runs it (the real script, the real wrangler, the edge's own config
// parser), then on deliberately broken copies of the production config.

const ROOT = join(import.meta.dirname, "../..");
const TIMEOUT = 120_000;
const scratch = mkdtempSync(join(tmpdir(), "deploy-check-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function deployCheck(args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((done) => {
    execFile(
      "bun",
      ["scripts/deploy-check.ts", ...args],
      { cwd: ROOT, timeout: TIMEOUT },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        done({ code, out: `${stdout}\n${stderr}` });
      },
    );
  });
}

/** wrangler.toml with `edit` applied, written elsewhere (paths made absolute so they still resolve). */
function brokenConfig(name: string, edit: (toml: string) => string): string {
  const toml = edit(readFileSync(join(ROOT, "wrangler.toml"), "utf8"))
    .replaceAll('"./apps/', `"${ROOT}/apps/`)
    .replaceAll('"apps/', `"${ROOT}/apps/`)
    .replace('image_build_context = "."', `image_build_context = "${ROOT}"`);
  const path = join(scratch, `${name}.toml`);
  writeFileSync(path, toml);
  return path;
}

function replaceOnce(toml: string, from: string, to: string): string {
  if (!toml.includes(from)) throw new Error(`wrangler.toml no longer contains: ${from}`);
  return toml.replace(from, to);
}

const problems = (out: string) => out.split("\n").filter((l) => l.startsWith("deploy:check ✗ "));

describe("deploy:check", () => {
  it(
    "passes on the production configuration: bundled by wrangler deploy --dry-run, no Docker needed",
    async () => {
      const { code, out } = await deployCheck([]);
      expect(problems(out)).toEqual([]);
      expect(code, out).toBe(0);
      expect(out).toMatch(/deploy:check ok: \[env\.production\] bundled with wrangler deploy --dry-run/);
    },
    TIMEOUT,
  );

  it(
    "fails, one line per problem, on a missing binding, dev-only settings, a missing secret and a bundle that does not build",
    async () => {
      const missing = brokenConfig("missing", (t) => {
        let toml = replaceOnce(
          t,
          '[[env.production.kv_namespaces]]\nbinding = "SETTINGS"',
          '[[env.production.kv_namespaces]]\nbinding = "OTHER"',
        );
        toml = replaceOnce(toml, 'MAILER = "http"\nMAILER_FROM', 'MAILER = "dev"\nMAILER_FROM');
        return replaceOnce(
          toml,
          'ORIGIN_CONTAINER_MAX_INSTANCES = "3"',
          'ORIGIN_CONTAINER_MAX_INSTANCES = "5"',
        );
      });
      const unbundled = join(scratch, "entry.ts");
      writeFileSync(unbundled, 'export { nothing } from "./no-such-module";\n');
      const development = brokenConfig("development", (t) => {
        let toml = replaceOnce(
          t,
          '[env.production]\nname = "marquee-edge"',
          `[env.production]\nname = "marquee-edge"\nmain = "${unbundled}"`,
        );
        toml = replaceOnce(
          toml,
          '[env.production.vars]\nAPP_ENV = "production"',
          '[env.production.vars]\nAPP_ENV = "development"\nSTRIPE_SECRET_KEY = "sk_live_x"',
        );
        toml = replaceOnce(toml, '  "MEDIA_SIGNING_KEY",\n', "");
        return replaceOnce(
          toml,
          'name = "ORIGIN_CONTAINER"\nclass_name = "OriginContainer"',
          'name = "ORIGIN_BOX"\nclass_name = "OriginContainer"',
        );
      });
      const [a, b] = await Promise.all([
        deployCheck(["--config", missing, "--skip-bundle"]),
        deployCheck(["--config", development]),
      ]);

      expect(a.code, a.out).toBe(1);
      const first = problems(a.out).join("\n");
      expect(first).toMatch(
        /binding SETTINGS \(KVNamespace\) is in the edge's Env types but not declared in \[env\.production\]/,
      );
      expect(first).toMatch(/refused by the config parser: MAILER: the dev mailer is refused in production/);
      expect(first).toMatch(/ORIGIN_CONTAINER_MAX_INSTANCES=5 exceeds the container's max_instances=3/);
      expect(a.out).toMatch(/deploy:check failed: \d+ problem\(s\)/);

      expect(b.code, b.out).toBe(1);
      const second = problems(b.out).join("\n");
      expect(second).toMatch(
        /APP_ENV is "development" in \[env\.production\].*production must run with APP_ENV=production/,
      );
      // Not declared required, so no placeholder: the parser refuses the config without it.
      expect(second).toMatch(/refused by the config parser: MEDIA_SIGNING_KEY/);
      expect(second).toMatch(/STRIPE_SECRET_KEY is a secret: put it with `wrangler secret put`, not in vars/);
      expect(second).toMatch(
        /binding ORIGIN_CONTAINER \(DurableObjectNamespace<.*OriginContainer>\) is in the edge's Env types but not declared/,
      );
      expect(second).toMatch(/wrangler deploy --dry-run failed: .*no-such-module/);
      // Every problem is one line.
      for (const line of [...problems(a.out), ...problems(b.out)]) expect(line).not.toContain("\n");
    },
    TIMEOUT,
  );
});

describe("deploy", () => {
  it("--dry-run prints the steps in order and runs none of them", async () => {
    const out = await new Promise<string>((done, fail) =>
      execFile("bun", ["scripts/deploy.ts", "--dry-run"], { cwd: ROOT, timeout: 30_000 }, (error, stdout) =>
        error ? fail(error) : done(stdout),
      ),
    );
    const steps = out.split("\n").filter((l) => /^\s+\d\. /.test(l));
    expect(steps.map((l) => l.trim().split(":")[0])).toEqual([
      "0. preflight",
      "1. web build",
      "2. remote D1 migrations",
      "3. worker, assets and origin container image",
    ]);
    expect(steps[2]).toContain("wrangler d1 migrations apply DB --remote --env production");
    expect(steps[3]).toContain("wrangler deploy --env production");
  });
});
