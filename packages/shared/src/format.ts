/**
 * Display formatting shared by the web app and the edge's first screen (apps/edge/src/web), so a
 * card the edge paints reads exactly as the one React draws over it. Pure and free of zod, so the
 * web bundle can import it without the rest of this package (`@marquee/shared/format`).
 */

/** 75_000 → "1:15", 3_725_000 → "1:02:05" (the same digits in every language we speak). */
export function formatDuration(ms: number | null | undefined): string {
  if (ms == null || !Number.isFinite(ms) || ms < 0) return "";
  const total = Math.floor(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];

/** An ISO date as "3 days ago" / "vor 3 Tagen" (or "now" / "jetzt" under a minute), through `relative`. */
export function relativeTime(
  relative: Intl.RelativeTimeFormat,
  iso: string | null | undefined,
  now = Date.now(),
): string {
  if (!iso) return "";
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  if (!Number.isFinite(seconds)) return "";
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return relative.format(Math.round(seconds / size), unit);
  }
  return relative.format(0, "second");
}

/** The options of a compact count: 1520 → "1.5K" (en), 1_520_000 → "1,5 Mio." (de). */
export const COMPACT_NUMBER: Intl.NumberFormatOptions = { notation: "compact", maximumFractionDigits: 1 };

/** The one relative-time style: "yesterday", "3 days ago". */
export const RELATIVE_TIME: Intl.RelativeTimeFormatOptions = { numeric: "auto" };

/** The number of avatar colours (`ui-avatar--c0` … `--c7`). */
export const AVATAR_COLOURS = 8;

/** A stable colour index (0–7) for an id: the same channel always gets the same colour. */
export function avatarColour(id: string): number {
  let hash = 0;
  for (let i = 0; i < id.length; i++) hash = (hash * 31 + id.charCodeAt(i)) | 0;
  return Math.abs(hash) % AVATAR_COLOURS;
}

/** Up to two initials of a name: "Web E2E" → "WE", "marquee" → "M". */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : [words[0]];
  return letters
    .map((w) => Array.from(w ?? "")[0] ?? "")
    .join("")
    .toUpperCase();
}
