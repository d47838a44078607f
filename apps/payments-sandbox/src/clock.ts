/**
 * The sandbox's test clock: real time plus an offset that only ever grows (`/__control/clock/advance`).
 * Every object time (periods, invoices, events' `created`) reads it; webhook signature timestamps do
 * not, because receivers check those against their own real clock.
 */
export class SandboxClock {
  private offsetSeconds = 0;

  /** Unix seconds on the sandbox clock. */
  now(): number {
    return Math.floor(Date.now() / 1000) + this.offsetSeconds;
  }

  advance(seconds: number): number {
    this.offsetSeconds += seconds;
    return this.now();
  }

  get offset(): number {
    return this.offsetSeconds;
  }
}

/** Adds calendar months in UTC (Jan 31 + 1 month clamps to the last day of February, like Stripe). */
export function addMonths(unixSeconds: number, months: number): number {
  const d = new Date(unixSeconds * 1000);
  const day = d.getUTCDate();
  const target = new Date(d.getTime());
  target.setUTCDate(1);
  target.setUTCMonth(target.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return Math.floor(target.getTime() / 1000);
}

export function addInterval(unixSeconds: number, interval: "month" | "year"): number {
  return addMonths(unixSeconds, interval === "year" ? 12 : 1);
}

export const isoTime = (unixSeconds: number): string =>
  new Date(unixSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
