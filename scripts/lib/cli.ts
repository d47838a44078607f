/**
 * The scripts' side of the command-line convention (packages/shared/src/cli.ts): parse this process's
 * arguments, print the usage and exit 0 for `--help`, print `<cmd>: <reason>` and the usage to stderr
 * and exit 2 for a bad argument. The convention itself lives in the shared package because the
 * origin's payouts CLI (part of the origin service's import graph) follows it too.
 */
import {
  type CommandSpec,
  type OptionSpec,
  parseCommand,
  usageError,
  type Values,
} from "../../packages/shared/src/cli";

export { defineCommand, integerBetween } from "../../packages/shared/src/cli";

export interface ParsedCommand<O extends Record<string, OptionSpec>> {
  values: Values<O>;
  positionals: string[];
  /** For an argument found bad after parsing: its reason line and the usage on stderr, exit 2. */
  usageError(reason: string): never;
}

export function parseOrExit<const O extends Record<string, OptionSpec>>(
  spec: CommandSpec<O>,
  argv: readonly string[] = process.argv.slice(2),
  env: Record<string, string | undefined> = process.env,
): ParsedCommand<O> {
  const refuse = (message: string): never => {
    process.stderr.write(message);
    process.exit(2);
  };
  const parsed = parseCommand(spec, argv, env);
  if (parsed.kind === "help") {
    process.stdout.write(parsed.text);
    process.exit(0);
  }
  if (parsed.kind === "error") return refuse(parsed.message);
  return {
    values: parsed.values,
    positionals: parsed.positionals,
    usageError: (reason) => refuse(usageError(spec, reason)),
  };
}
