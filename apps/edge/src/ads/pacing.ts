/**
 * Daily pacing (docs/ads.md, "Pacing"), pure: how much of today's budget an `even` campaign may
 * have spent (billed plus reserved) at a moment, so its spend spreads over the day instead of
 * burning out in the first hour. `asap` campaigns are not paced (only the daily budget holds).
 *
 *   window    = [max(UTC midnight, startsAt), min(next UTC midnight, endsAt))
 *   allowance = daily × (elapsed since the window's start + 1 h) ÷ (the window's length), ≤ daily
 *
 * The hour of head start lets a campaign serve at all right after midnight (or its start) and keeps
 * the first impression of the day from being refused for want of a millicent. Everything is
 * integer millicents, floored (BigInt: daily × 1000 × ms passes 2^53 for large budgets).
 */
import type { Pacing } from "./types";

export const DAY_MS = 86_400_000;
/** The head start of the even line (the issue: spread over the day, "not in the first hour"). */
export const PACING_HEAD_START_MS = 3_600_000;

/** The UTC midnight at or before `t` (ms since the epoch). */
export const utcMidnight = (t: number): number => Math.floor(t / DAY_MS) * DAY_MS;

/** `t`'s UTC day, YYYY-MM-DD. */
export const utcDay = (t: number): string => new Date(utcMidnight(t)).toISOString().slice(0, 10);

export interface PacingInput {
  pacing: Pacing;
  dailyBudgetCents: number;
  /** ms since the epoch. */
  startsAt: number;
  endsAt: number | null;
}

/**
 * Millicents the campaign may have spent and reserved today by `now`: the even line above for
 * `even`, the whole daily budget for `asap`. Zero outside the campaign's window for today.
 */
export function pacingAllowanceMillicents(c: PacingInput, now: number): number {
  const daily = Math.max(0, Math.floor(c.dailyBudgetCents)) * 1000;
  if (c.pacing === "asap") return daily;
  const midnight = utcMidnight(now);
  const from = Math.max(midnight, c.startsAt);
  const to = Math.min(midnight + DAY_MS, c.endsAt ?? Number.POSITIVE_INFINITY);
  if (now < from || now >= to || to <= from) return 0;
  const elapsed = now - from + PACING_HEAD_START_MS;
  const span = to - from;
  if (elapsed >= span) return daily;
  return Number((BigInt(daily) * BigInt(elapsed)) / BigInt(span));
}
