/**
 * Unique viewers as a HyperLogLog sketch (Flajolet et al. 2007, with linear counting for small
 * sets): 2^10 one-byte registers, standard error 1.04/√1024 ≈ 3.25 %. Like HLL++'s sparse mode, a
 * sketch also keeps the exact set of its members' 32-bit hashes while it has at most EXACT_MAX of
 * them, so a small video's hour or day counts its viewers exactly. Sketches of the same hash merge
 * (union of the exact sets while small, register-wise max always), so a day is the merge of its
 * hours, a channel the merge of its videos and a range the merge of its buckets: unique viewers over
 * any range without reading the raw beacons again.
 *
 * Serialised as text (analytics_periods.viewers_hll): "" empty; "x" + the hashes in base 36, comma
 * separated, while exact; otherwise "d" + base64 of the registers.
 */
const P = 10;
export const HLL_REGISTERS = 1 << P;
/** Up to this many members the sketch counts exactly (about 7 bytes each serialised). */
export const EXACT_MAX = 256;

export interface Sketch {
  registers: Uint8Array;
  /** The members' hashes while there are at most EXACT_MAX; null once past it. */
  exact: Set<number> | null;
}

export const emptySketch = (): Sketch => ({ registers: new Uint8Array(HLL_REGISTERS), exact: new Set() });

/** 32-bit FNV-1a of the UTF-16 code units, then murmur3's fmix32 so every bit avalanches. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function addHash(sketch: Sketch, h: number): void {
  const index = h >>> (32 - P);
  const rest = (h << P) >>> 0;
  // Rank: the position of the first 1 bit in the remaining 32 - P bits (all zero: 32 - P + 1).
  const rank = rest === 0 ? 32 - P + 1 : Math.clz32(rest) + 1;
  if (rank > (sketch.registers[index] as number)) sketch.registers[index] = rank;
  if (sketch.exact) {
    sketch.exact.add(h);
    if (sketch.exact.size > EXACT_MAX) sketch.exact = null;
  }
}

/** Adds one member (a profile id). */
export function addToSketch(sketch: Sketch, member: string): void {
  addHash(sketch, hash32(member));
}

/** The union of `from` into `into`. */
export function mergeInto(into: Sketch, from: Sketch): void {
  const a = into.registers;
  const b = from.registers;
  for (let i = 0; i < HLL_REGISTERS; i++) if ((b[i] as number) > (a[i] as number)) a[i] = b[i] as number;
  if (into.exact && from.exact) {
    for (const h of from.exact) into.exact.add(h);
    if (into.exact.size > EXACT_MAX) into.exact = null;
  } else into.exact = null;
}

/** The estimated number of distinct members, rounded. */
export function estimate(sketch: Sketch): number {
  if (sketch.exact) return sketch.exact.size;
  const m = HLL_REGISTERS;
  let sum = 0;
  let zeros = 0;
  for (let i = 0; i < m; i++) {
    const r = sketch.registers[i] as number;
    sum += 2 ** -r;
    if (r === 0) zeros++;
  }
  const alpha = 0.7213 / (1 + 1.079 / m);
  const raw = (alpha * m * m) / sum;
  // Small range: linear counting, near exact while most registers are empty.
  if (raw <= 2.5 * m && zeros > 0) return Math.round(m * Math.log(m / zeros));
  // Large range: the 32-bit hash space saturates.
  const two32 = 2 ** 32;
  if (raw > two32 / 30) return Math.round(-two32 * Math.log(1 - raw / two32));
  return Math.round(raw);
}

export function serialiseSketch(sketch: Sketch): string {
  if (sketch.exact)
    return sketch.exact.size === 0 ? "" : `x${[...sketch.exact].map((h) => h.toString(36)).join(",")}`;
  let binary = "";
  for (let i = 0; i < HLL_REGISTERS; i++) binary += String.fromCharCode(sketch.registers[i] as number);
  return `d${btoa(binary)}`;
}

/** Reads a serialised sketch; anything unreadable counts as empty (a rollup never throws on it). */
export function parseSketch(text: string | null | undefined): Sketch {
  const sketch = emptySketch();
  if (!text) return sketch;
  try {
    if (text[0] === "x") {
      for (const part of text.slice(1).split(",")) {
        const h = Number.parseInt(part, 36);
        if (Number.isInteger(h) && h >= 0 && h < 2 ** 32) addHash(sketch, h);
      }
    } else if (text[0] === "d") {
      const binary = atob(text.slice(1));
      sketch.exact = null;
      for (let i = 0; i < Math.min(HLL_REGISTERS, binary.length); i++)
        sketch.registers[i] = Math.min(binary.charCodeAt(i), 32 - P + 1);
    }
  } catch {
    return emptySketch();
  }
  return sketch;
}
