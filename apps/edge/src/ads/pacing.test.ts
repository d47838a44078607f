import { describe, expect, it } from "vitest";
import { DAY_MS, pacingAllowanceMillicents, utcDay, utcMidnight } from "./pacing";

const HOUR = 3_600_000;
const MIDNIGHT = Date.UTC(2026, 11, 6);
const even = (dailyBudgetCents: number, startsAt = MIDNIGHT - 30 * DAY_MS, endsAt: number | null = null) => ({
  pacing: "even" as const,
  dailyBudgetCents,
  startsAt,
  endsAt,
});

describe("even pacing allowance", () => {
  it("at midnight a day-long campaign may have spent one hour's share (the head start)", () => {
    // 2,400 cents a day = 2,400,000 millicents; one hour of 24 = 100,000.
    expect(pacingAllowanceMillicents(even(2_400), MIDNIGHT)).toBe(100_000);
  });

  it("grows linearly through the day: at 06:00 seven hours' share, at 11:30 twelve and a half", () => {
    expect(pacingAllowanceMillicents(even(2_400), MIDNIGHT + 6 * HOUR)).toBe(700_000);
    expect(pacingAllowanceMillicents(even(2_400), MIDNIGHT + 11.5 * HOUR)).toBe(1_250_000);
  });

  it("reaches the whole daily budget in the last hour and never passes it", () => {
    expect(pacingAllowanceMillicents(even(2_400), MIDNIGHT + 23 * HOUR)).toBe(2_400_000);
    expect(pacingAllowanceMillicents(even(2_400), MIDNIGHT + 23.99 * HOUR)).toBe(2_400_000);
  });

  it("a campaign starting mid-day spreads its budget over what is left of the day", () => {
    const start = MIDNIGHT + 12 * HOUR;
    // 12 h left: the first hour's head start is 1/12 of the budget.
    expect(pacingAllowanceMillicents(even(1_200, start), start)).toBe(100_000);
    expect(pacingAllowanceMillicents(even(1_200, start), start + 5 * HOUR)).toBe(600_000);
  });

  it("a campaign ending mid-day spreads its budget up to its end", () => {
    const end = MIDNIGHT + 4 * HOUR;
    expect(pacingAllowanceMillicents(even(400, MIDNIGHT - DAY_MS, end), MIDNIGHT)).toBe(100_000);
    expect(pacingAllowanceMillicents(even(400, MIDNIGHT - DAY_MS, end), MIDNIGHT + 3 * HOUR)).toBe(400_000);
    // A window shorter than the head start: the whole budget at once.
    expect(pacingAllowanceMillicents(even(400, end - HOUR / 2, end), end - HOUR / 2)).toBe(400_000);
  });

  it("zero outside the campaign's window; asap is the whole daily budget at any hour", () => {
    expect(pacingAllowanceMillicents(even(1_000, MIDNIGHT + HOUR), MIDNIGHT)).toBe(0);
    expect(pacingAllowanceMillicents(even(1_000, MIDNIGHT - DAY_MS, MIDNIGHT), MIDNIGHT + HOUR)).toBe(0);
    const asap = { ...even(1_000), pacing: "asap" as const };
    expect(pacingAllowanceMillicents(asap, MIDNIGHT)).toBe(1_000_000);
  });

  it("is exact (floored integer millicents) for budgets whose products pass 2^53", () => {
    const daily = 9_000_000_000; // 90 million in cents: daily × 1000 × ms overflows a double's integers
    const at = MIDNIGHT + 7 * HOUR + 1234;
    const expected = (BigInt(daily) * 1000n * BigInt(8 * HOUR + 1234)) / BigInt(DAY_MS);
    expect(pacingAllowanceMillicents(even(daily), at)).toBe(Number(expected));
  });

  it("UTC days", () => {
    expect(utcDay(MIDNIGHT + DAY_MS - 1)).toBe("2026-12-06");
    expect(utcDay(MIDNIGHT + DAY_MS)).toBe("2026-12-07");
    expect(utcMidnight(MIDNIGHT + 5 * HOUR)).toBe(MIDNIGHT);
  });
});
