/**
 * `bun run payouts:run --period 2026-11 [--json]` (docs/payouts.md; `--help` prints the usage): one
 * payout run of a closed period with the origin's configuration (config.ts: DATABASE_URL, EDGE_URL,
 * PAYOUTS_TOKEN, STRIPE_SECRET_KEY, STRIPE_API_URL, PAYOUT_MINIMUM_CENTS).
 *
 * The last line on stdout is the run's summary (a PayoutRun, JSON). `--json` sends the log lines
 * to stderr so stdout holds that line only. Exit codes: 0 finished; 1 error (one line on stderr,
 * also a run that finished with a non-zero trial balance); 2 bad arguments or a period that is not
 * closed; 75 the period is held by another run.
 *
 * No Bun APIs: `runFromConfig` is what the monthly schedule (main.ts) calls too, under Bun, and the
 * argument handling is tested under Node.
 */
import { type PayoutRun, type Period, parsePeriod } from "@marquee/shared";
import { defineCommand, parseCommand, usageError } from "../../../../packages/shared/src/cli";
import { type Config, ConfigError, loadConfig } from "../config";
import { log as defaultLog, errorMessage, type Logger } from "../log";
import { killAt } from "./crash";
import { openLedger } from "./db";
import { EdgePayouts, PeriodNotClosed } from "./edge";
import { LeaseHeld, stripeTimeoutFor } from "./lease";
import { runPayouts } from "./run";
import { stripeClient, stripeTransfers } from "./transfers";

export const EXIT = { ok: 0, error: 1, usage: 2, held: 75 } as const;

// The shared CLI convention (packages/shared/src/cli.ts, pure): `--help` prints this; a bad argument
// prints `payouts:run: <reason>` and this, exit 2.
export const PAYOUTS_RUN = defineCommand({
  name: "payouts:run",
  invocation: "bun run payouts:run",
  summary: "One payout run of a closed period with the origin's configuration (docs/payouts.md).",
  options: {
    period: {
      type: "string",
      required: true,
      valueName: "YYYY-MM[-DD]",
      check: (id) => (parsePeriod(id) ? undefined : "must be a UTC month (2026-11) or day (2026-11-15)"),
      description: "the period to pay: a UTC month (2026-11) or day (2026-11-15) that has closed",
    },
    json: { type: "boolean", description: "log lines to stderr, so stdout is the run's summary (JSON) only" },
  },
  notes: [
    "Exit codes: 0 finished; 1 error (also a run with a non-zero trial balance); 2 bad arguments or a",
    "period that is not closed; 75 the period is held by another run.",
  ],
});

/** `error` is the reason line and the usage (exit 2); `help` the usage (exit 0, stdout). */
export type Args = { period: Period; json: boolean } | { error: string } | { help: string };

export function parseArgs(argv: readonly string[], now = Date.now()): Args {
  const parsed = parseCommand(PAYOUTS_RUN, argv);
  if (parsed.kind === "help") return { help: parsed.text };
  if (parsed.kind === "error") return { error: parsed.message.trimEnd() };
  const period = parsePeriod(parsed.values.period) as Period; // the option's check parsed it
  // The edge refuses an open period too (409); saying so here needs no edge and no database.
  if (period.end > now)
    return { error: usageError(PAYOUTS_RUN, new PeriodNotClosed(period.id).message).trimEnd() };
  return { period, json: parsed.values.json };
}

/** One run with the origin's settings; throws what runPayouts throws. */
export async function runFromConfig(
  cfg: Config,
  period: Period,
  log: Logger = defaultLog,
): Promise<PayoutRun> {
  if (!cfg.PAYOUTS_TOKEN)
    throw new Error("PAYOUTS_TOKEN is not set: the run needs the edge's facts and accounts");
  if (!cfg.STRIPE_SECRET_KEY) throw new Error("STRIPE_SECRET_KEY is not set: the run cannot pay anyone");
  const ledger = await openLedger(cfg.DATABASE_URL, { authToken: cfg.DATABASE_AUTH_TOKEN });
  const ttlMs = cfg.PAYOUTS_LEASE_TTL_MS;
  // A Stripe request lasts at most a third of the lease (20 s with the default 60 s): every send
  // starts right after a renewal, so the lease outlives it (lease.ts).
  const sendMs = stripeTimeoutFor(ttlMs);
  try {
    return await runPayouts({
      ledger,
      edge: new EdgePayouts({ baseUrl: cfg.EDGE_URL, token: cfg.PAYOUTS_TOKEN }),
      transfers: stripeTransfers(
        stripeClient({ apiUrl: cfg.STRIPE_API_URL, secretKey: cfg.STRIPE_SECRET_KEY, timeoutMs: sendMs }),
      ),
      period,
      minimumCents: cfg.PAYOUT_MINIMUM_CENTS,
      log,
      crash: killAt(cfg.PAYOUTS_CRASH_AT),
      lease: { ttlMs, renewMs: Math.floor(ttlMs / 6), sendMs },
    });
  } finally {
    ledger.close();
  }
}

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** log.ts's lines, every level on stderr. */
const stderrLog: Logger = (level, msg, fields = {}) => {
  const line = { time: new Date().toISOString(), level, service: "origin-transcoder", msg, ...fields };
  process.stderr.write(`${JSON.stringify(line)}\n`);
};

/** The whole CLI; resolves to the exit code. */
export async function main(
  argv: readonly string[],
  env: Record<string, string | undefined> = process.env,
  io: CliIo = processIo,
): Promise<number> {
  const args = parseArgs(argv);
  if ("help" in args) {
    io.out(args.help.trimEnd());
    return EXIT.ok;
  }
  if ("error" in args) {
    io.err(args.error);
    return EXIT.usage;
  }
  let cfg: Config;
  try {
    cfg = loadConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    io.err(err.message);
    return EXIT.error;
  }
  // With --json the log lines go to stderr: stdout is the summary only.
  const log: Logger = args.json ? stderrLog : defaultLog;
  try {
    const summary = await runFromConfig(cfg, args.period, log);
    io.out(JSON.stringify(summary));
    if (summary.state !== "finished") {
      io.err(`payout run of ${summary.period} failed: ${summary.error ?? "unknown error"}`);
      return EXIT.error;
    }
    return EXIT.ok;
  } catch (err) {
    if (err instanceof LeaseHeld) {
      io.err(err.message);
      return EXIT.held;
    }
    if (err instanceof PeriodNotClosed) {
      io.err(err.message);
      return EXIT.usage;
    }
    io.err(`payout run of ${args.period.id} failed: ${errorMessage(err).split("\n")[0]}`);
    return EXIT.error;
  }
}

if (import.meta.main) {
  process.exit(await main(process.argv.slice(2)));
}
