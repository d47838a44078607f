import { describe, expect, it } from "vitest";
import { parseRange } from "./range";

describe("parseRange", () => {
  it("reads single byte ranges and clamps them to the object", () => {
    expect(parseRange("bytes=0-9", 100)).toEqual({ offset: 0, length: 10 });
    expect(parseRange("bytes=90-", 100)).toEqual({ offset: 90, length: 10 });
    expect(parseRange("bytes=90-500", 100)).toEqual({ offset: 90, length: 10 });
    expect(parseRange("bytes=-10", 100)).toEqual({ offset: 90, length: 10 });
    expect(parseRange("bytes=-500", 100)).toEqual({ offset: 0, length: 100 });
    expect(parseRange(" bytes=5-5 ", 100)).toEqual({ offset: 5, length: 1 });
  });

  it("says unsatisfiable for ranges wholly past the end", () => {
    expect(parseRange("bytes=100-", 100)).toBe("unsatisfiable");
    expect(parseRange("bytes=100-200", 100)).toBe("unsatisfiable");
    expect(parseRange("bytes=-0", 100)).toBe("unsatisfiable");
    expect(parseRange("bytes=0-", 0)).toBe("unsatisfiable");
  });

  it("ignores what it does not support or what is invalid (the whole object is served)", () => {
    for (const header of [
      undefined,
      "",
      "bytes=-",
      "bytes=9-3",
      "bytes=0-1,5-6",
      "items=0-1",
      "bytes=a-b",
      "bytes=1e3-",
      `bytes=${"9".repeat(30)}-`,
    ]) {
      expect(parseRange(header, 100), String(header)).toBeNull();
    }
  });
});
