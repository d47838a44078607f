// The command-line convention (packages/shared/src/cli.ts) and the terminal progress bar
// (scripts/lib/progress-bar.ts), as pure functions. No project runs scripts/ or packages/shared tests,
// so they live with the lint project (Node); cli-commands.test.ts spawns the real commands.
import { describe, expect, it } from "vitest";
import { defineCommand, integerBetween, parseCommand, usage } from "../../packages/shared/src/cli";
import { barWriter, renderBar } from "../../scripts/lib/progress-bar";

const SPEC = defineCommand({
  name: "demo",
  invocation: "bun run demo",
  summary: "A command to test the parser with.",
  positionals: [
    { name: "file", description: "the input", required: true },
    { name: "out", description: "the output" },
  ],
  options: {
    title: { type: "string", short: "t", required: true, description: "the title" },
    mode: { type: "string", choices: ["fast", "slow"], default: "fast", description: "how" },
    count: { type: "string", default: "3", check: integerBetween(1, 9), description: "how many" },
    token: { type: "string", env: "DEMO_TOKEN", description: "a secret" },
    verbose: { type: "boolean", short: "v", description: "say more" },
  },
});

const parse = (argv: string[], env: Record<string, string> = {}) => parseCommand(SPEC, argv, env);
const reason = (argv: string[], env: Record<string, string> = {}) => {
  const r = parse(argv, env);
  if (r.kind !== "error") throw new Error(`expected an error for ${argv.join(" ")}, got ${r.kind}`);
  return r.reason;
};

describe("parseCommand", () => {
  it("takes long, inline, short and boolean forms, defaults, and positionals", () => {
    expect(parse(["in.mp4", "--title", "Hi", "--count=7", "-v", "--mode", "slow"])).toEqual({
      kind: "ok",
      values: { title: "Hi", mode: "slow", count: "7", token: undefined, verbose: true },
      positionals: ["in.mp4"],
    });
    expect(parse(["-t", "Hi", "in.mp4", "out.mp4"])).toEqual({
      kind: "ok",
      values: { title: "Hi", mode: "fast", count: "3", token: undefined, verbose: false },
      positionals: ["in.mp4", "out.mp4"],
    });
    // The last of a repeated option wins; after `--` everything is a positional, even `--title`.
    const last = parse(["--title", "a", "--title", "b", "--", "--title"]);
    expect(last).toMatchObject({ kind: "ok", values: { title: "b" }, positionals: ["--title"] });
    // A value may look like a negative number or be a lone dash.
    expect(parse(["-", "--title", "-1"])).toMatchObject({ values: { title: "-1" }, positionals: ["-"] });
  });

  it("reads an option's environment variable when the option is absent, the flag winning", () => {
    expect(parse(["f", "-t", "x"], { DEMO_TOKEN: "env" })).toMatchObject({ values: { token: "env" } });
    expect(parse(["f", "-t", "x", "--token", "flag"], { DEMO_TOKEN: "env" })).toMatchObject({
      values: { token: "flag" },
    });
    expect(parse(["f", "-t", "x"], { DEMO_TOKEN: "" })).toMatchObject({ values: { token: undefined } });
  });

  it("answers --help and -h with the usage, even beside a bad argument", () => {
    for (const argv of [["--help"], ["-h"], ["--bogus", "--help"], ["f", "--title", "-h"]])
      expect(parse(argv)).toEqual({ kind: "help", text: usage(SPEC) });
    // After `--`, -h is a file name.
    expect(parse(["-t", "x", "--", "-h"])).toMatchObject({ kind: "ok", positionals: ["-h"] });
  });

  it("refuses with one reason line: unknown, missing value, missing required, bad value, extra", () => {
    expect(reason(["f", "-t", "x", "--bogus"])).toBe("unknown argument --bogus");
    expect(reason(["f", "-t", "x", "-q"])).toBe("unknown argument -q");
    expect(reason(["f", "--title"])).toBe("--title needs a value");
    expect(reason(["f", "--title", "--verbose"])).toBe("--title needs a value");
    expect(reason(["f", "--title="])).toBe("--title needs a value");
    expect(reason(["f", "-t"])).toBe("-t needs a value");
    expect(reason(["f"])).toBe("--title is required");
    expect(reason(["-t", "x"])).toBe("<file> is required (the input)");
    expect(reason(["f", "-t", "x", "--mode", "warp"])).toBe('--mode must be one of fast, slow, got "warp"');
    expect(reason(["f", "-t", "x", "--count", "10"])).toBe(
      '--count must be an integer from 1 to 9, got "10"',
    );
    expect(reason(["f", "-t", "x", "--count", "2.5"])).toBe(
      '--count must be an integer from 1 to 9, got "2.5"',
    );
    expect(reason(["f", "-t", "x", "--verbose=yes"])).toBe("--verbose takes no value");
    expect(reason(["a", "b", "c", "-t", "x"])).toBe("unexpected argument #3 (this command takes 2)");
    // Never echoed: what follows `=` of an unknown flag, a stray word (either may be a password).
    expect(reason(["f", "-t", "x", "--pasword=hunter2"])).toBe("unknown argument --pasword");
    expect(reason(["a", "b", "hunter2", "-t", "x"])).not.toContain("hunter2");
    const r = parse(["f"]);
    expect(r.kind === "error" && r.message).toBe(`demo: --title is required\n${usage(SPEC)}`);
  });

  it("names the env fallback of a required option in its reason", () => {
    const spec = defineCommand({
      name: "x",
      invocation: "x",
      summary: "x",
      options: { email: { type: "string", required: true, env: "X_EMAIL", description: "e" } },
    });
    const r = parseCommand(spec, []);
    expect(r.kind === "error" && r.reason).toBe("--email (or X_EMAIL) is required");
    expect(parseCommand(spec, [], { X_EMAIL: "a@b.c" })).toMatchObject({ values: { email: "a@b.c" } });
  });
});

describe("usage", () => {
  it("lists the synopsis, the summary, the arguments and every option with its short form and facts", () => {
    const text = usage(SPEC);
    expect(text.split("\n")[0]).toBe("usage: bun run demo <file> [<out>] --title <value> [options]");
    expect(text).toContain("A command to test the parser with.");
    expect(text).toMatch(/^ {2}<file> +the input$/m);
    expect(text).toMatch(/^ {2}-t, --title <value> +the title \(required\)$/m);
    expect(text).toMatch(/^ {6}--mode <value> +how \(one of fast, slow; default fast\)$/m);
    expect(text).toMatch(/^ {6}--token <value> +a secret \(env DEMO_TOKEN\)$/m);
    expect(text).toMatch(/^ {2}-v, --verbose +say more$/m);
    expect(text).toMatch(/^ {2}-h, --help +show this help$/m);
    expect(text.endsWith("\n")).toBe(true);
  });
});

describe("progress bar", () => {
  it("renders label, bar, percentage and detail, clamped", () => {
    expect(renderBar("process", 0.5, "processing", 10)).toBe("process [#####-----]  50% processing");
    expect(renderBar("process", 1, "ready", 10)).toBe("process [##########] 100% ready");
    expect(renderBar("p", -1, "", 4)).toBe("p [----]   0%");
    expect(renderBar("p", 7, "", 4)).toBe("p [####] 100%");
    expect(renderBar("p", Number.NaN, "", 4)).toBe("p [----]   0%");
    // 99.6 % is not shown as done.
    expect(renderBar("p", 0.996, "", 4)).toMatch(/ 99%$/);
  });

  it("on a TTY rewrites one line with \\r on every update", () => {
    const bar = barWriter("process", true);
    expect(bar.update(0.01, "queued")).toBe(`\r${renderBar("process", 0.01, "queued")}\x1b[K`);
    expect(bar.update(0.02, "processing")).toBe(`\r${renderBar("process", 0.02, "processing")}\x1b[K`);
    expect(bar.done("ready", 2.25)).toBe("\nprocess ready (2.3s)\n");
  });

  it("elsewhere prints a line per 10 % step only", () => {
    const bar = barWriter("process", false);
    const fractions = [0, 0.03, 0.09, 0.1, 0.15, 0.35, 0.36, 0.99, 1, 1];
    const out = fractions.map((f) => bar.update(f, "processing")).join("");
    expect(
      out
        .split("\n")
        .filter(Boolean)
        .map((l) => l.match(/(\d+)%/)?.[1]),
    ).toEqual(["0", "10", "35", "99", "100"]);
    expect(out).not.toContain("\r");
    expect(bar.done("failed: no video stream", 1)).toBe("process failed: no video stream (1.0s)\n");
  });
});
