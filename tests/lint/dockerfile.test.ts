import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// This machine has no Docker daemon, so the origin's image is never built here: these checks read
// the Dockerfile (and what it must agree with) and hold its invariants statically.

const ROOT = join(import.meta.dirname, "../..");
const read = (path: string) => readFileSync(join(ROOT, path), "utf8");

interface Instruction {
  op: string;
  args: string;
}

/** Dockerfile instructions: comments dropped, `\` continuations joined. */
function instructions(text: string): Instruction[] {
  const lines = text.split("\n").filter((l) => !/^\s*#/.test(l));
  const joined = lines.join("\n").replace(/\\\n/g, " ");
  return joined
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [op = "", ...rest] = l.split(/\s+/);
      return { op: op.toUpperCase(), args: rest.join(" ") };
    });
}

/** The instructions of the last stage (what runs). */
function finalStage(all: Instruction[]): Instruction[] {
  const from = all.map((i) => i.op).lastIndexOf("FROM");
  return all.slice(from);
}

/** `ENV A=b C=d` (and the old `ENV A b`) as a map. */
function envOf(stage: Instruction[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const i of stage.filter((s) => s.op === "ENV")) {
    const pairs = [...i.args.matchAll(/([A-Z_][A-Z0-9_]*)=("[^"]*"|\S+)/g)];
    if (pairs.length === 0) {
      const [k, ...v] = i.args.split(/\s+/);
      if (k) env[k] = v.join(" ");
    }
    for (const p of pairs) env[p[1] as string] = (p[2] as string).replace(/^"|"$/g, "");
  }
  return env;
}

const dockerfile = read("apps/origin-transcoder/Dockerfile");
const all = instructions(dockerfile);
const runtime = finalStage(all);
const env = envOf(runtime);

describe("the origin's Dockerfile (checked statically: no Docker here)", () => {
  it("runs on Debian with Debian's own ffmpeg, and fetches nothing from a URL", () => {
    const base = runtime[0]?.args ?? "";
    expect(base).toMatch(/^debian:\$\{DEBIAN_RELEASE\}-slim|^debian:[\w.]+-slim/);
    const installs = runtime.filter((i) => i.op === "RUN" && /apt-get install/.test(i.args));
    expect(installs.some((i) => /\bffmpeg\b/.test(i.args))).toBe(true);
    // ffmpeg comes only from apt: no static build copied in or downloaded.
    for (const i of all) {
      if (i.op === "COPY") expect(i.args, "COPY of an ffmpeg").not.toMatch(/ffmpeg/i);
      if (i.op === "ADD") expect(i.args, "ADD of a URL").not.toMatch(/https?:\/\/|git@/);
      if (i.op === "RUN") expect(i.args, "download in RUN").not.toMatch(/\b(curl|wget)\b/);
    }
    expect(all.filter((i) => i.op === "ADD")).toEqual([]);
    // Bun is the official image's binary, pinned by version.
    expect(dockerfile).toMatch(/ARG BUN_VERSION=\d+\.\d+\.\d+/);
    expect(all.some((i) => i.op === "COPY" && /--from=deps \/usr\/local\/bin\/bun/.test(i.args))).toBe(true);
  });

  it("runs as a non-root user, set after every RUN of the final stage", () => {
    const users = runtime.filter((i) => i.op === "USER");
    const user = users.at(-1)?.args ?? "";
    expect(user).not.toBe("");
    expect(user.split(":")[0]).not.toMatch(/^(root|0)$/);
    const lastUser = runtime.lastIndexOf(users.at(-1) as Instruction);
    expect(runtime.slice(lastUser).filter((i) => i.op === "RUN")).toEqual([]);
    const name = user.split(":")[0] as string;
    expect(dockerfile).toMatch(new RegExp(`useradd[^\\n]*--uid (\\d+)[^\\n]*\\b${name}\\b`));
    expect(dockerfile).not.toMatch(/--uid 0\b/);
  });

  it("leaves only the origin's work dir writable, and points the origin and temp files at it", () => {
    const work = env.ORIGIN_WORK_DIR as string;
    expect(work).toMatch(/^\/[\w/-]+$/);
    // The origin reads that very variable (apps/origin-transcoder/src/config.ts).
    expect(read("apps/origin-transcoder/src/config.ts")).toMatch(/ORIGIN_WORK_DIR: z/);
    expect(env.TMPDIR).toBe(work);
    expect(env.HOME).toBe(work);
    const user = (runtime.filter((i) => i.op === "USER").at(-1)?.args ?? "").split(":")[0] as string;
    expect(dockerfile).toContain(`chown ${user}:${user} ${work}`);
    // The code is root's and read-only; no world-writable directory survives (/tmp, /var/tmp).
    expect(runtime.some((i) => i.op === "COPY" && /--chown=root:root/.test(i.args))).toBe(true);
    expect(dockerfile).toMatch(/chmod -R a-w \/app/);
    expect(dockerfile).toMatch(/find \/ -xdev -type d -perm -0002 -exec chmod o-w/);
    // The documented run line is read-only with the work dir as tmpfs.
    expect(dockerfile).toMatch(new RegExp(`--read-only --tmpfs ${work}:rw,uid=\\d+`));
  });

  it("serves the origin on the port the edge's container class talks to, with a health check", () => {
    const port = env.ORIGIN_PORT as string;
    expect(env.ORIGIN_HOST).toBe("0.0.0.0");
    expect(runtime.find((i) => i.op === "EXPOSE")?.args).toBe(port);
    expect(read("apps/edge/src/origin-container/object.ts")).toContain(`ORIGIN_CONTAINER_PORT = ${port};`);
    const health = runtime.find((i) => i.op === "HEALTHCHECK")?.args ?? "";
    expect(health).toMatch(/\/healthz/);
    expect(read("apps/origin-transcoder/src/server.ts")).toContain('url.pathname === "/healthz"');
    const cmd = runtime.filter((i) => i.op === "CMD").at(-1)?.args ?? "";
    expect(cmd).toBe('["bun", "apps/origin-transcoder/src/main.ts"]');
    expect(existsSync(join(ROOT, "apps/origin-transcoder/src/main.ts"))).toBe(true);
  });

  it("is the image of the production container binding, built from the repository root", () => {
    const toml = read("wrangler.toml");
    const container = toml.slice(toml.indexOf("[[env.production.containers]]"));
    expect(container).toMatch(/class_name = "OriginContainer"/);
    expect(container).toMatch(/image = "\.\/apps\/origin-transcoder\/Dockerfile"/);
    expect(container).toMatch(/image_build_context = "\."/);
    expect(container).toMatch(/max_instances = \d+/);
    // Containers are production-only: no top-level [[containers]] for bun run dev and the tests.
    expect(toml).not.toMatch(/^\[\[containers\]\]/m);
  });

  it("has a .dockerignore that lets in every workspace's package.json and keeps secrets and state out", () => {
    const ignore = read(".dockerignore").split("\n");
    expect(ignore).toContain("**");
    const workspaces = ["apps", "packages"].flatMap((dir) =>
      readdirSync(join(ROOT, dir))
        .filter((name) => existsSync(join(ROOT, dir, name, "package.json")))
        .map((name) => `${dir}/${name}`),
    );
    for (const ws of workspaces) {
      const listed = ignore.includes(`!${ws}/package.json`) || ignore.includes(`!${ws.split("/")[0]}/**`);
      expect(listed, `${ws}/package.json in the build context (bun install --frozen-lockfile)`).toBe(true);
    }
    for (const needed of ["!package.json", "!bun.lock", "!apps/origin-transcoder/src/**"]) {
      expect(ignore).toContain(needed);
    }
    expect(ignore).toContain("**/.dev.vars*");
    expect(ignore).toContain("**/node_modules");
    expect(ignore.some((l) => l.startsWith("!") && /\.wrangler|\.dev\.vars|\.data/.test(l))).toBe(false);
  });
});

describe("the Dockerfile reader", () => {
  it("joins continuations, drops comments and finds the final stage", () => {
    const parsed = instructions("FROM a AS b\n# c\nRUN x \\\n  && y\nFROM debian:bookworm-slim\nUSER 1:1\n");
    expect(parsed).toEqual([
      { op: "FROM", args: "a AS b" },
      { op: "RUN", args: "x && y" },
      { op: "FROM", args: "debian:bookworm-slim" },
      { op: "USER", args: "1:1" },
    ]);
    expect(finalStage(parsed).map((i) => i.op)).toEqual(["FROM", "USER"]);
  });
});
