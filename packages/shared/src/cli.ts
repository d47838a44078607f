/**
 * The one argument convention of Marquee's command-line tools (`upload`, `admin:create`, `seed:scale`,
 * `payouts:run`, ...): a command declares its options (node:util parseArgs style) and positionals;
 * `--help`/`-h` gives the usage (exit 0, stdout); an unknown option, a missing value, a missing
 * required option or a bad value gives ONE line `<cmd>: <reason>` and then the usage (exit 2, stderr).
 *
 * Pure (no process, no Bun, no Node): the origin's payouts CLI ships inside the origin service's import
 * graph, so this lives in the shared package rather than in scripts/; scripts/lib/cli.ts binds it to
 * the process (print, exit) for the Bun scripts.
 */

export interface OptionSpec {
  type: "string" | "boolean";
  description: string;
  /** One letter: `-t` for `--title`. */
  short?: string;
  required?: boolean;
  /** Used when neither the option nor its `env` variable is given. Shown in the usage. */
  default?: string;
  /** An environment variable read when the option is absent (its value is never shown in the usage). */
  env?: string;
  /** Placeholder in the usage: `--videos <N>`. */
  valueName?: string;
  /** The accepted values (a bad value is refused with them listed). */
  choices?: readonly string[];
  /** Says what is wrong with a value ("must be ..."), or undefined when it is fine. */
  check?: (value: string) => string | undefined;
  /** A password and the like: a refused value is not echoed back. */
  secret?: boolean;
}

export interface PositionalSpec {
  name: string;
  description: string;
  required?: boolean;
}

export interface CommandSpec<O extends Record<string, OptionSpec> = Record<string, OptionSpec>> {
  /** As it is named in messages: `upload`, `payouts:run`. */
  name: string;
  /** How it is invoked, without options: `bun run upload`. */
  invocation: string;
  summary: string;
  options: O;
  positionals?: readonly PositionalSpec[];
  /** Extra lines at the end of the usage (environment, exit codes). */
  notes?: readonly string[];
}

type ValueOf<S extends OptionSpec> = S["type"] extends "boolean"
  ? boolean
  : S extends { required: true } | { default: string }
    ? string
    : string | undefined;

export type Values<O extends Record<string, OptionSpec>> = { [K in keyof O]: ValueOf<O[K]> };

export type ParseResult<O extends Record<string, OptionSpec>> =
  | { kind: "ok"; values: Values<O>; positionals: string[] }
  | { kind: "help"; text: string }
  /** `message` is the reason line and the usage, ready for stderr. */
  | { kind: "error"; reason: string; message: string };

/** Declares a command, keeping its options' literal types (so `values.title` is typed by its spec). */
export function defineCommand<const O extends Record<string, OptionSpec>>(
  spec: CommandSpec<O>,
): CommandSpec<O> {
  return spec;
}

/** A `check` for whole numbers in [min, max]. */
export const integerBetween =
  (min: number, max: number) =>
  (value: string): string | undefined => {
    const n = Number(value);
    return value.trim() !== "" && Number.isInteger(n) && n >= min && n <= max
      ? undefined
      : `must be an integer from ${min} to ${max}`;
  };

const HELP: OptionSpec = { type: "boolean", short: "h", description: "show this help" };

function optionsWithHelp(spec: CommandSpec): Record<string, OptionSpec> {
  return "help" in spec.options ? spec.options : { ...spec.options, help: HELP };
}

/** The usage text: synopsis, summary, arguments, options, notes (ends with a newline). */
export function usage(spec: CommandSpec): string {
  const options = optionsWithHelp(spec);
  const synopsis = [
    spec.invocation,
    ...(spec.positionals ?? []).map((p) => (p.required ? `<${p.name}>` : `[<${p.name}>]`)),
    ...Object.entries(options)
      .filter(([, o]) => o.required)
      .map(([name, o]) => `--${name} <${o.valueName ?? "value"}>`),
    "[options]",
  ].join(" ");
  const rows: [string, string][] = [];
  const lines = [`usage: ${synopsis}`, "", spec.summary];
  const table = (title: string, entries: [string, string][]) => {
    if (entries.length === 0) return;
    const width = Math.min(30, Math.max(...entries.map(([left]) => left.length)));
    lines.push("", `${title}:`);
    for (const [left, right] of entries)
      lines.push(
        left.length > width
          ? `  ${left}\n  ${" ".repeat(width + 2)}${right}`
          : `  ${left.padEnd(width)}  ${right}`,
      );
  };
  table(
    "arguments",
    (spec.positionals ?? []).map((p) => [`<${p.name}>`, p.description]),
  );
  for (const [name, o] of Object.entries(options)) {
    const flag = `${o.short ? `-${o.short}, ` : "    "}--${name}${o.type === "string" ? ` <${o.valueName ?? "value"}>` : ""}`;
    const extras = [
      o.required ? "required" : "",
      o.choices ? `one of ${o.choices.join(", ")}` : "",
      o.env ? `env ${o.env}` : "",
      o.default !== undefined && !o.secret ? `default ${o.default}` : "",
    ].filter(Boolean);
    rows.push([flag, extras.length ? `${o.description} (${extras.join("; ")})` : o.description]);
  }
  table("options", rows);
  if (spec.notes?.length) lines.push("", ...spec.notes);
  return `${lines.join("\n")}\n`;
}

/** The reason line and the usage, as printed for any argument error. */
export function usageError(spec: CommandSpec, reason: string): string {
  return `${spec.name}: ${reason}\n${usage(spec)}`;
}

class Refusal {
  constructor(readonly reason: string) {}
}

const looksLikeOption = (arg: string) => arg.length > 1 && arg.startsWith("-") && !/^-\d/.test(arg);

/**
 * Parses `argv` (without the runtime and script) against `spec`. `--help`/`-h` anywhere before `--`
 * wins over any error. Forms: `--name value`, `--name=value`, `-n value`, `--flag`, `-f`, `--` (the rest
 * are positionals). An option given twice keeps the last value. `env` supplies the options' `env`.
 */
export function parseCommand<const O extends Record<string, OptionSpec>>(
  spec: CommandSpec<O>,
  argv: readonly string[],
  env: Record<string, string | undefined> = {},
): ParseResult<O> {
  const options = optionsWithHelp(spec);
  const end = argv.indexOf("--");
  const flags = end === -1 ? argv : argv.slice(0, end);
  if (flags.includes("--help") || (options.help?.short === "h" && flags.includes("-h")))
    return { kind: "help", text: usage(spec) };
  try {
    const { given, positionals } = scan(options, argv);
    const values: Record<string, string | boolean | undefined> = {};
    for (const [name, o] of Object.entries(options)) {
      if (name === "help" && o === HELP) continue;
      if (o.type === "boolean") {
        values[name] = given.get(name) === true;
        continue;
      }
      const fromEnv = o.env ? env[o.env] || undefined : undefined;
      const value = (given.get(name) as string | undefined) ?? fromEnv ?? o.default;
      if (value === undefined && o.required)
        throw new Refusal(`--${name}${o.env ? ` (or ${o.env})` : ""} is required`);
      // A default is the command's own; what the user gave (flag or environment) is checked.
      if (value !== undefined && value !== o.default) checkValue(name, o, value);
      values[name] = value;
    }
    const declared = spec.positionals ?? [];
    const missing = declared.slice(positionals.length).find((p) => p.required);
    if (missing) throw new Refusal(`<${missing.name}> is required (${missing.description})`);
    const extra = positionals[declared.length];
    // Not echoed: a stray word may be a password given without its flag.
    if (extra !== undefined)
      throw new Refusal(
        `unexpected argument #${declared.length + 1} (this command takes ${declared.length})`,
      );
    return { kind: "ok", values: values as Values<O>, positionals };
  } catch (err) {
    if (!(err instanceof Refusal)) throw err;
    return { kind: "error", reason: err.reason, message: usageError(spec, err.reason) };
  }
}

function checkValue(name: string, o: OptionSpec, value: string): void {
  if (o.choices && !o.choices.includes(value))
    throw new Refusal(
      `--${name} must be one of ${o.choices.join(", ")}${o.secret ? "" : `, got ${JSON.stringify(value)}`}`,
    );
  const problem = o.check?.(value);
  if (problem) throw new Refusal(`--${name} ${problem}${o.secret ? "" : `, got ${JSON.stringify(value)}`}`);
}

function scan(options: Record<string, OptionSpec>, argv: readonly string[]) {
  const byShort = new Map(
    Object.entries(options).flatMap(([name, o]) => (o.short ? [[o.short, name] as const] : [])),
  );
  const given = new Map<string, string | boolean>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!looksLikeOption(arg)) {
      positionals.push(arg);
      continue;
    }
    const long = arg.startsWith("--");
    const eq = long ? arg.indexOf("=") : -1;
    const key = long ? arg.slice(2, eq === -1 ? undefined : eq) : arg.slice(1);
    const name = long ? key : byShort.get(key);
    const o = name === undefined ? undefined : options[name];
    // Only the flag's name: `--pasword=hunter2` must not print the password.
    if (name === undefined || !o) throw new Refusal(`unknown argument ${long ? `--${key}` : arg}`);
    const shown = long ? `--${name}` : arg;
    if (o.type === "boolean") {
      if (eq !== -1) throw new Refusal(`${shown} takes no value`);
      given.set(name, true);
      continue;
    }
    const inline = eq === -1 ? undefined : arg.slice(eq + 1);
    const next = argv[i + 1];
    const value = inline ?? (next === undefined || next === "--" || looksLikeOption(next) ? undefined : next);
    if (value === undefined || value === "") throw new Refusal(`${shown} needs a value`);
    if (inline === undefined) i++;
    given.set(name, value);
  }
  return { given, positionals };
}
