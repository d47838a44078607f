/**
 * Crash points for the payout run's kill tests (docs/payouts.md): with `PAYOUTS_CRASH_AT` set
 * (config.ts), the run SIGKILLs its own process at that point, the way a power cut or an OOM kill
 * would stop it: no `finally`, no lease release, no flush. The next run must pay everyone exactly once.
 *
 * - `after_claim`: a payout moved pending → submitting, nothing sent;
 * - `after_send`: the transfer request returned or threw, nothing recorded about its answer;
 * - `after_record`: the payout's outcome is recorded, the run not finished.
 */
export const CRASH_POINTS = ["after_claim", "after_send", "after_record"] as const;
export type CrashPoint = (typeof CRASH_POINTS)[number];

/** Called by the run at each point; a test in-process passes its own (e.g. one that throws). */
export type CrashHook = (point: CrashPoint) => void;

export const noCrash: CrashHook = () => {};

/** The hook for a real process: SIGKILL itself at `at` (the first time it is reached). */
export function killAt(at: CrashPoint | undefined): CrashHook {
  if (!at) return noCrash;
  return (point) => {
    if (point === at) process.kill(process.pid, "SIGKILL");
  };
}
