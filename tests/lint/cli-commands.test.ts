// Every command-line tool follows one argument convention (packages/shared/src/cli.ts): `--help` prints
// the usage to stdout (exit 0); a bad argument prints ONE line `<cmd>: <reason>` and the usage to
// stderr (exit 2), never a stack trace. Spawns the real commands with `bun`; every case here is
// refused before the command does anything (no platform, no network, no database).
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../..");

const COMMANDS = {
  upload: "scripts/upload.ts",
  "admin:create": "scripts/admin-create.ts",
  "seed:scale": "scripts/seed-scale.ts",
  "payouts:run": "apps/origin-transcoder/src/payouts/cli.ts",
} as const;
type Name = keyof typeof COMMANDS;

// Without the variables the commands read, so "missing" means missing.
const env: Record<string, string | undefined> = { ...process.env };
for (const name of ["MARQUEE_EMAIL", "MARQUEE_PASSWORD", "MARQUEE_API", "MARQUEE_ADMIN_PASSWORD"])
  delete env[name];
env.MARQUEE_UPLOAD_STATE = join(mkdtempSync(join(tmpdir(), "cli-commands-")), "uploads.json");

function run(name: Name, args: string[]) {
  const r = spawnSync("bun", [COMMANDS[name], ...args], {
    cwd: ROOT,
    env,
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const helpOf = new Map<Name, string>();
function help(name: Name): string {
  const cached = helpOf.get(name);
  if (cached) return cached;
  const r = run(name, ["--help"]);
  expect(r.code, r.stderr).toBe(0);
  helpOf.set(name, r.stdout);
  return r.stdout;
}

/** Exit 2, nothing on stdout, and on stderr exactly the reason line followed by the usage. */
function expectRefused(name: Name, args: string[], reason: string | RegExp) {
  const r = run(name, args);
  expect(r.code, r.stderr).toBe(2);
  expect(r.stdout).toBe("");
  const [first, ...rest] = r.stderr.split("\n");
  expect(first).toMatch(typeof reason === "string" ? `${name}: ${reason}` : reason);
  expect(first?.startsWith(`${name}: `)).toBe(true);
  expect(rest.join("\n")).toBe(help(name));
  expect(r.stderr).not.toMatch(/^\s+at |error:|Error\b/m); // no stack trace, no runtime error
}

// Each case spawns `bun` (about a second each on a busy machine, seed:scale's imports the slowest).
describe("the command-line tools' argument convention", { timeout: 60_000 }, () => {
  it.each(Object.keys(COMMANDS) as Name[])("%s --help and -h print the usage to stdout, exit 0", (name) => {
    const text = help(name);
    expect(text).toMatch(new RegExp(`^usage: bun run ${name} `));
    expect(text).toMatch(/^ {2}-h, --help +show this help$/m);
    const short = run(name, ["-h"]);
    expect(short).toEqual({ code: 0, stdout: text, stderr: "" });
  });

  it.each(Object.keys(COMMANDS) as Name[])(
    "%s refuses an unknown flag with one line and the usage",
    (name) => {
      expectRefused(name, ["--no-such-flag"], "unknown argument --no-such-flag");
    },
  );

  it("upload: missing value, missing required option, bad values, unreadable file, missing title", () => {
    const who = ["--email", "a@b.example", "--password", "long enough password"];
    expect(help("upload")).toMatch(/--wait/);
    expect(help("upload")).toMatch(/--timeout <seconds>/);
    expectRefused("upload", ["package.json", ...who, "--title"], "--title needs a value");
    expectRefused(
      "upload",
      ["package.json", "--password", "x", "--title", "t"],
      "--email (or MARQUEE_EMAIL) is required",
    );
    expectRefused("upload", [...who, "--title", "t"], "<file> is required (the video file to upload)");
    expectRefused(
      "upload",
      ["package.json", ...who, "-t", "t", "--visibility", "everyone"],
      '--visibility must be one of public, unlisted, private, premium, got "everyone"',
    );
    expectRefused(
      "upload",
      ["package.json", ...who, "-t", "t", "--wait", "--timeout", "0"],
      /^upload: --timeout must be an integer from 1 to \d+, got "0"$/,
    );
    expectRefused(
      "upload",
      ["no/such/file.mp4", ...who, "-t", "t"],
      /^upload: cannot read .*no\/such\/file\.mp4$/,
    );
    expectRefused("upload", ["package.json", ...who], "--title is required for a new upload");
  });

  it("admin:create: missing required option, bad email", () => {
    expectRefused("admin:create", [], "--email is required");
    expectRefused("admin:create", ["--email"], "--email needs a value");
    expectRefused(
      "admin:create",
      ["--email", "not-an-address"],
      '--email must be a valid address, got "not-an-address"',
    );
  });

  it("seed:scale: bad counts and a short password", () => {
    expectRefused(
      "seed:scale",
      ["--videos", "lots"],
      '--videos must be an integer from 1 to 5000000, got "lots"',
    );
    expectRefused("seed:scale", ["--viewers", "-1"], '--viewers must be an integer from 0 to 1000, got "-1"');
    expectRefused("seed:scale", ["--seed"], "--seed needs a value");
    expectRefused(
      "seed:scale",
      ["--password", "short"],
      "--password must be at least 10 characters (the sign-up rule)", // not echoed
    );
  });

  it("payouts:run: missing period, bad period, open period", () => {
    expectRefused("payouts:run", [], "--period is required");
    expectRefused(
      "payouts:run",
      ["--period", "2026-13"],
      '--period must be a UTC month (2026-11) or day (2026-11-15), got "2026-13"',
    );
    expectRefused("payouts:run", ["--period", "2999-01"], /^payouts:run: period 2999-01 is not closed/);
  });
});
