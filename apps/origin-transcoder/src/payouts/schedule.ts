/**
 * The monthly payout schedule (PAYOUTS_SCHEDULE=monthly, started by main.ts): a timer in the origin
 * process that looks every `intervalMs` (15 min) at the previous month and runs it while it is not
 * settled. "Settled" is a finished run and no payout of the month still pending or submitting, so
 * a run cut short (a crash, Stripe down, a lost answer) is simply run again at the next look, and
 * recovery does the rest. Until the edge says the month is closed (its 409: the month ended less
 * than the close delay ago) a look does nothing. Two origins with the schedule on are kept apart by
 * the period lease (the second's look is `held` and it tries again later).
 *
 * No state of its own: everything it decides comes from the ledger, so a restart loses nothing.
 */
import { type PayoutRun, type Period, previousMonthOf } from "@marquee/shared";
import { and, eq, inArray } from "drizzle-orm";
import { errorMessage, type Logger } from "../log";
import type { Ledger } from "./db";
import { PeriodNotClosed } from "./edge";
import { LeaseHeld } from "./lease";
import { hasFinishedRun } from "./run";
import { payouts } from "./schema";

export const SCHEDULE_INTERVAL_MS = 15 * 60_000;

export type TickResult = "settled" | "ran" | "not_closed" | "held" | "failed" | "busy" | "stopped";

export interface ScheduleOptions {
  /** Whether the period needs no run (see `periodSettled`). */
  isSettled(period: string): Promise<boolean>;
  run(period: Period): Promise<PayoutRun>;
  log: Logger;
  now?: () => number;
  intervalMs?: number;
  /** Delay before the first look (default 30 s: the origin's other work starts first). */
  firstDelayMs?: number;
}

export interface PayoutSchedule {
  /** One look now (the timer calls it; tests call it with their own clock). */
  tick(): Promise<TickResult>;
  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void>;
}

export async function periodSettled(l: Ledger, period: string): Promise<boolean> {
  if (!(await hasFinishedRun(l, period))) return false;
  const open = await l.db
    .select({ id: payouts.id })
    .from(payouts)
    .where(and(eq(payouts.period, period), inArray(payouts.state, ["pending", "submitting"])))
    .limit(1);
  return open.length === 0;
}

export function startPayoutSchedule(o: ScheduleOptions): PayoutSchedule {
  const now = o.now ?? Date.now;
  let running: Promise<TickResult> | null = null;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  async function look(): Promise<TickResult> {
    const period = previousMonthOf(now());
    try {
      if (await o.isSettled(period.id)) return "settled";
      o.log("info", "scheduled payout run", { period: period.id });
      const run = await o.run(period);
      return run.state === "finished" ? "ran" : "failed";
    } catch (err) {
      if (err instanceof PeriodNotClosed) return "not_closed";
      if (err instanceof LeaseHeld) {
        o.log("info", "scheduled payout run skipped: another run holds the period", { period: period.id });
        return "held";
      }
      o.log("error", "scheduled payout run failed; tried again at the next look", {
        period: period.id,
        error: errorMessage(err),
      });
      return "failed";
    }
  }

  function tick(): Promise<TickResult> {
    if (stopped) return Promise.resolve("stopped");
    if (running) return Promise.resolve("busy");
    const p = look().finally(() => {
      running = null;
    });
    running = p;
    return p;
  }

  function arm(ms: number): void {
    if (stopped) return;
    timer = setTimeout(() => {
      void tick().finally(() => arm(o.intervalMs ?? SCHEDULE_INTERVAL_MS));
    }, ms);
  }
  arm(o.firstDelayMs ?? 30_000);

  return {
    tick,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running?.catch(() => {});
    },
  };
}
