import {
  AVATAR_COLOURS,
  avatarColour,
  initials,
  RELATIVE_TIME,
  relativeTime,
  formatDuration as sharedFormatDuration,
} from "@marquee/shared/format";
import i18next from "i18next";
import { describe, expect, it } from "vitest";
import {
  compactNumber,
  durationLabel,
  formatCount,
  formatDate,
  formatDateTime,
  formatDuration,
  formatFileSize,
  formatMoney,
  formatNumber,
  formatPercent,
  timeAgo,
} from "./format";

/** Intl uses no-break and narrow no-break spaces; compare with plain ones. */
const plain = (s: string) => s.replace(/\s/gu, " ");
const NOW = Date.parse("2025-01-04T12:00:00Z");

describe("format in English", () => {
  const en = "en";
  it("durations as a clock, and in words for screen readers", () => {
    expect(formatDuration(75_000)).toBe("1:15");
    expect(formatDuration(3_725_000)).toBe("1:02:05");
    expect(formatDuration(null)).toBe("");
    expect(durationLabel(3_725_000, en)).toBe("1 hour, 2 minutes, 5 seconds");
    expect(durationLabel(65_000, en)).toBe("1 minute, 5 seconds");
  });
  it("integers under 1000 skip the formatter and read exactly as Intl would write them", () => {
    for (const lang of ["en", "de"]) {
      for (const n of [0, 1, 7, 42, 999, -1, -999]) {
        expect(compactNumber(n, lang)).toBe(
          new Intl.NumberFormat(lang, { notation: "compact", maximumFractionDigits: 1 }).format(n),
        );
        expect(formatNumber(n, lang)).toBe(new Intl.NumberFormat(lang).format(n));
      }
    }
    // At 1000 and for fractions the formatter is used again.
    expect(compactNumber(1000, "en")).toBe("1K");
    expect(formatNumber(999.5, "de")).toBe("999,5");
  });
  it("numbers, compact counts with plural words, percents and sizes", () => {
    expect(compactNumber(1520, en)).toBe("1.5K");
    expect(compactNumber(1_520_000, en)).toBe("1.5M");
    expect(formatNumber(12345.5, en)).toBe("12,345.5");
    expect(formatCount(1, "view", "views", en)).toBe("1 view");
    expect(formatCount(1520, "view", "views", en)).toBe("1.5K views");
    expect(formatPercent(0.42, en)).toBe("42%");
    expect(plain(formatFileSize(1_572_864, en))).toBe("1.5 MB");
  });
  it("relative times and dates", () => {
    expect(timeAgo("2025-01-01T12:00:00Z", NOW, en)).toBe("3 days ago");
    expect(timeAgo("2025-01-03T12:00:00Z", NOW, en)).toBe("yesterday");
    expect(timeAgo("2025-01-04T11:59:40Z", NOW, en)).toBe("now");
    expect(timeAgo("not a date", NOW, en)).toBe("");
    expect(formatDate("2025-03-05T12:00:00Z", en)).toBe("Mar 5, 2025");
    expect(plain(formatDateTime("2025-03-05T12:00:00Z", en))).toMatch(/^Mar 5, 2025, \d{1,2}:\d{2} (AM|PM)$/);
  });
});

describe("money from integer cents", () => {
  it("prices in the UI's language, cents exact, whole amounts with their cents", () => {
    expect(formatMoney(1799, "usd", "en")).toBe("$17.99");
    expect(formatMoney(17990, "usd", "en")).toBe("$179.90");
    expect(formatMoney(1000, "USD", "en")).toBe("$10.00");
    expect(formatMoney(5, "usd", "en")).toBe("$0.05");
    expect(plain(formatMoney(1799, "usd", "de"))).toBe("17,99 $");
    expect(plain(formatMoney(999, "eur", "de"))).toBe("9,99 €");
    // A currency without minor units: the amount is already whole.
    expect(formatMoney(1500, "jpy", "en")).toBe("¥1,500");
  });
});

describe("format in German", () => {
  const de = "de";
  it("durations in words", () => {
    expect(durationLabel(3_725_000, de)).toBe("1 Stunde, 2 Minuten und 5 Sekunden");
  });
  it("numbers with German separators and abbreviations", () => {
    expect(plain(compactNumber(1_520_000, de))).toBe("1,5 Mio.");
    expect(formatNumber(12345.5, de)).toBe("12.345,5");
    expect(plain(formatPercent(0.42, de))).toBe("42 %");
    expect(plain(formatFileSize(1_572_864, de))).toBe("1,5 MB");
    expect(plain(formatCount(1_520_000, "Aufruf", "Aufrufe", de))).toBe("1,5 Mio. Aufrufe");
  });
  it("relative times and dates", () => {
    expect(timeAgo("2025-01-01T12:00:00Z", NOW, de)).toBe("vor 3 Tagen");
    expect(timeAgo("2025-01-03T12:00:00Z", NOW, de)).toBe("gestern");
    expect(timeAgo("2025-01-04T11:59:40Z", NOW, de)).toBe("jetzt");
    expect(formatDate("2025-03-05T12:00:00Z", de)).toBe("05.03.2025");
    expect(plain(formatDateTime("2025-03-05T12:00:00Z", de))).toMatch(/^05\.03\.2025, \d{2}:\d{2}$/);
  });
});

describe("format follows the UI language", () => {
  it("uses i18next's current language when none is given", async () => {
    await i18next.init({ lng: "de", resources: {}, initAsync: false });
    expect(formatNumber(1234.5)).toBe("1.234,5");
    await i18next.changeLanguage("en");
    expect(formatNumber(1234.5)).toBe("1,234.5");
  });
});

// @marquee/shared/format (the edge's first screen paints with it too): packages/shared has no vitest
// project, so its functions are checked here. timeAgo above covers relativeTime's past days and "now".
describe("shared formatting: relativeTime, initials, avatarColour", () => {
  const en = new Intl.RelativeTimeFormat("en", RELATIVE_TIME);
  const de = new Intl.RelativeTimeFormat("de", RELATIVE_TIME);

  it("relativeTime against a fixed now: unit boundaries, the future, and nothing for no date", () => {
    expect(relativeTime(en, "2025-01-04T11:59:01Z", NOW)).toBe("now");
    expect(relativeTime(en, "2025-01-04T11:59:00Z", NOW)).toBe("1 minute ago");
    expect(relativeTime(en, "2025-01-04T14:00:00Z", NOW)).toBe("in 2 hours");
    expect(plain(relativeTime(de, "2025-01-04T14:00:00Z", NOW))).toBe("in 2 Stunden");
    expect(relativeTime(en, "2025-01-05T12:00:00Z", NOW)).toBe("tomorrow");
    expect(relativeTime(en, "2024-12-04T12:00:00Z", NOW)).toBe("last month");
    expect(relativeTime(en, "2024-01-04T12:00:00Z", NOW)).toBe("last year");
    expect(relativeTime(en, null, NOW)).toBe("");
    expect(relativeTime(en, undefined, NOW)).toBe("");
    expect(relativeTime(en, "", NOW)).toBe("");
    expect(relativeTime(en, "not a date", NOW)).toBe("");
  });

  it("initials: the first letters of the first and last words, upper case", () => {
    expect(initials("Web E2E")).toBe("WE");
    expect(initials("marquee")).toBe("M");
    expect(initials("  ada   lovelace  ")).toBe("AL");
    expect(initials("a b c")).toBe("AC");
    expect(initials("Jean-Luc Picard")).toBe("JP");
    expect(initials("émile zola")).toBe("ÉZ");
    // A letter outside the BMP stays whole (not half a surrogate pair).
    expect(initials("𝒜lpha beta")).toBe("𝒜B");
    expect(initials("")).toBe("");
    expect(initials("   ")).toBe("");
  });

  it("avatarColour: the same id always gets the same colour, one of AVATAR_COLOURS", () => {
    const ids = Array.from({ length: 200 }, (_, i) => `channel-${i}-${"x".repeat(i % 40)}`);
    const colours = ids.map(avatarColour);
    expect(ids.map(avatarColour)).toEqual(colours);
    for (const c of colours) {
      expect(Number.isInteger(c)).toBe(true);
      expect(c).toBeGreaterThanOrEqual(0);
      expect(c).toBeLessThan(AVATAR_COLOURS);
    }
    // Spread over every colour, including for ids whose hash overflows to a negative number.
    expect(new Set(colours).size).toBe(AVATAR_COLOURS);
    // Pinned: changing the hash would recolour every avatar (and split the edge's from React's).
    expect(avatarColour("")).toBe(0);
    expect(avatarColour("a")).toBe(1);
    expect(avatarColour("ab")).toBe(1);
    expect(avatarColour("01HZY3K9Q7")).toBe(7);
  });

  it("the web app's formatDuration is the shared one", () => {
    expect(formatDuration).toBe(sharedFormatDuration);
  });
});
