// Entry point: `bun apps/origin-transcoder/src/main.ts`. Reads config, serves health, runs the job
// loops (when ORIGIN_TOKEN is set) and the monthly payout schedule (PAYOUTS_SCHEDULE=monthly) until
// SIGTERM/SIGINT, then kills ffmpeg, releases every lease, waits for a payout run, exits 0.
import { ConfigError, loadConfig } from "./config";
import { EdgeClient } from "./edge-client";
import { log } from "./log";
import { createServer } from "./server";
import { Worker } from "./worker";

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
}

const worker = config.ORIGIN_TOKEN
  ? new Worker({
      client: new EdgeClient({ baseUrl: config.EDGE_URL, token: config.ORIGIN_TOKEN }),
      concurrency: config.ORIGIN_CONCURRENCY,
      workDir: config.ORIGIN_WORK_DIR,
      publishIntervalMs: config.ORIGIN_PUBLISH_INTERVAL_MS,
      log,
    })
  : null;

const server = createServer(config, () => ({
  worker: worker?.status() ?? { accepting: false, concurrency: 0, jobs: [] },
}));
log("info", "listening", {
  url: `http://${config.ORIGIN_HOST}:${server.port}`,
  port: server.port,
  env: config.APP_ENV,
  edgeUrl: config.EDGE_URL,
  concurrency: config.ORIGIN_CONCURRENCY,
  originToken: config.ORIGIN_TOKEN ? "set" : "missing",
});

// Handlers first: a SIGTERM once the loops may hold a lease must release it (shutdown), even while
// the payout code is still loading.
let payoutSchedule: Awaited<ReturnType<typeof startMonthlyPayouts>> | null = null;
let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log("info", "shutting down", { signal, activeJobs: worker?.status().jobs.length ?? 0 });
  // Kill ffmpeg and release leases, let in-flight requests finish, but never hang for more than 15 s.
  const forced = setTimeout(() => process.exit(0), 15_000);
  await Promise.all([worker?.stop(), payoutSchedule?.stop()]);
  await server.stop();
  clearTimeout(forced);
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));

if (worker) {
  worker.start();
  log("info", "leasing jobs", { edgeUrl: config.EDGE_URL, concurrency: config.ORIGIN_CONCURRENCY });
} else {
  log("warn", "ORIGIN_TOKEN is not set: not leasing transcode jobs");
}

// Pays the previous month once it is closed (payouts/schedule.ts); the ledger is opened per look.
// Imported only when the schedule runs, after the job loops have started: the ledger's libSQL and
// the payout code cost ~0.12 s of start-up, which every origin start (a container woken for a job)
// would otherwise add to that job's time to playable.
async function startMonthlyPayouts() {
  const [{ runFromConfig }, { openLedger }, { periodSettled, startPayoutSchedule }] = await Promise.all([
    import("./payouts/cli"),
    import("./payouts/db"),
    import("./payouts/schedule"),
  ]);
  return startPayoutSchedule({
    isSettled: async (period) => {
      const ledger = await openLedger(config.DATABASE_URL, { authToken: config.DATABASE_AUTH_TOKEN });
      try {
        return await periodSettled(ledger, period);
      } finally {
        ledger.close();
      }
    },
    run: (period) => runFromConfig(config, period, log),
    log,
  });
}
// A failure to load it is logged, and leaves the job loops running: transcoding needs none of it.
payoutSchedule =
  config.PAYOUTS_SCHEDULE === "monthly"
    ? await startMonthlyPayouts().catch((err: unknown) => {
        log("error", "payout schedule could not start", { error: String(err) });
        return null;
      })
    : null;
log("info", payoutSchedule ? "payout schedule: monthly" : "payout schedule: off", {
  databaseUrl: config.DATABASE_URL.startsWith("file:") ? config.DATABASE_URL : "(server)",
});
