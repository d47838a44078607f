import { describe, expect, it, vi } from "vitest";

// lib/ads.ts imports the API client, which needs a window; only its pure helpers are tested here.
vi.mock("../api/client", () => ({
  ApiProblem: class ApiProblem extends Error {
    constructor(
      readonly problem: { title: string; status: number; errors?: { path?: string; message: string }[] },
    ) {
      super(problem.title);
    }
  },
  api: {},
  must: () => Promise.reject(new Error("no API in unit tests")),
}));

const { ApiProblem } = await import("../api/client");
const { centsToDollars, dollarsToCents, fieldErrors, listOf, nextActions } = await import("./ads");

describe("dollars typed as text become integer cents exactly", () => {
  it("reads whole dollars, one and two decimals", () => {
    expect(dollarsToCents("12")).toBe(1200);
    expect(dollarsToCents("12.5")).toBe(1250);
    expect(dollarsToCents("12.50")).toBe(1250);
    expect(dollarsToCents("0.07")).toBe(7);
    expect(dollarsToCents(" $3.10 ")).toBe(310);
    expect(dollarsToCents("12.")).toBe(1200);
  });

  it("does not round through floats where binary fractions would (0.29 × 100 = 28.999…)", () => {
    expect(0.29 * 100).not.toBe(29);
    expect(dollarsToCents("0.29")).toBe(29);
    expect(dollarsToCents("1.15")).toBe(115);
    expect(dollarsToCents("4.35")).toBe(435);
    expect(dollarsToCents("90071992547409.91")).toBe(9007199254740991);
  });

  it("accepts grouping commas and a German decimal comma", () => {
    expect(dollarsToCents("1,234.56")).toBe(123456);
    expect(dollarsToCents("12,50")).toBe(1250);
    expect(dollarsToCents("12,5")).toBe(1250);
  });

  it("refuses anything that is not an amount of dollars and cents", () => {
    for (const bad of ["", "abc", "-5", "1.234", "1e3", "0x10", "1.2.3", "12,345,6", "90071992547409.92"])
      expect(dollarsToCents(bad), bad).toBeNull();
  });

  it("writes cents back as the same text", () => {
    expect(centsToDollars(1250)).toBe("12.50");
    expect(centsToDollars(7)).toBe("0.07");
    expect(centsToDollars(0)).toBe("0.00");
    for (const c of [1, 99, 100, 123456, 9007199254740991]) expect(dollarsToCents(centsToDollars(c))).toBe(c);
  });
});

describe("form helpers", () => {
  it("splits typed lists on commas and spaces, without repeats", () => {
    expect(listOf("de, at  FR,de", (s) => s.toUpperCase())).toEqual(["DE", "AT", "FR"]);
    expect(listOf("  ")).toEqual([]);
  });

  it("puts the API's field errors on the form's fields", () => {
    const problem = new ApiProblem({
      title: "Invalid request",
      status: 400,
      errors: [
        { path: "body.dailyBudgetCents", message: "must be at most the total budget" },
        { path: "body.targeting.countries.1", message: "two letters" },
        { path: "body.dailyBudgetCents", message: "second message" },
        { message: "no path" },
      ],
    });
    expect(fieldErrors(problem)).toEqual({
      dailyBudgetCents: "must be at most the total budget",
      "targeting.countries": "two letters",
    });
    expect(fieldErrors(new Error("network"))).toEqual({});
  });

  it("offers the transitions the API allows from each state", () => {
    const ready = { videoId: "v", status: "ready" as const, progress: 100, durationMs: 1, posterUrl: null };
    expect(nextActions({ status: "draft", creative: ready })).toEqual(["submit", "end"]);
    expect(nextActions({ status: "draft", creative: null })).toEqual(["end"]);
    expect(nextActions({ status: "rejected", creative: ready })).toEqual(["submit", "end"]);
    expect(nextActions({ status: "active", creative: ready })).toEqual(["pause", "end"]);
    expect(nextActions({ status: "paused", creative: ready })).toEqual(["resume", "end"]);
    expect(nextActions({ status: "ended", creative: ready })).toEqual([]);
  });
});
