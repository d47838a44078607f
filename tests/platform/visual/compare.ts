// Screenshots against committed baselines (pixelmatch over pngjs). A missing baseline fails; only
// UPDATE_SCREENSHOTS=1 writes one, and says so. A failure leaves <name>.actual.png and <name>.diff.png
// in artifacts/visual/ and names them in its message.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import pixelmatch from "pixelmatch";
import { PNG } from "pngjs";
import { ROOT } from "../lib";

export const BASELINES = join(import.meta.dirname, "baselines");
export const ARTIFACTS = join(ROOT, "artifacts/visual");
export const UPDATING = process.env.UPDATE_SCREENSHOTS === "1";

/**
 * Per-pixel colour tolerance (pixelmatch's colour distance, 0–1, where black to white is 1). The
 * anti-aliased edges of round things (avatars, badges, icons) come out 10–20 levels apart between
 * two renders of the same page, so a tighter tolerance fails at random; 0.1 lets those through and
 * catches every moved edge and any colour token moved by a clear step (a grey 70 levels darker is
 * well past it), but not a token nudged by a few levels: this comparer guards layout and look, the
 * tokens' exact values are reviewed in tokens.css itself.
 */
export const THRESHOLD = 0.1;
/**
 * Differing pixels allowed: one in a million (a 1440 × 1500 page: 2 px; a 375 × 900 one: none).
 * The same Chromium on the same machine renders these pages pixel-identically (a second run of all
 * 36 differs by 0 px each), so this is only headroom for a stray glyph-edge pixel, far below what any
 * real change moves: a 1 px larger --radius-md changes 38 px of the sign-in page alone (the
 * comparer's own test, which also asserts a wide margin), a 1 px spacing change shifts everything
 * below it.
 */
export const ALLOWED_SHARE = 1e-6;

export interface Comparison {
  pass: boolean;
  message: string;
  /** Differing pixels (null when the sizes differ or there was nothing to compare with). */
  diffPixels: number | null;
  /** Differing pixels allowed for this image (null when not compared). */
  allowed: number | null;
}

export interface CompareOptions {
  baselines?: string;
  artifacts?: string;
  update?: boolean;
}

export function allowedDiffPixels(width: number, height: number): number {
  return Math.floor(width * height * ALLOWED_SHARE);
}

/** Differing pixels of two decoded images of the same size, with the diff image. */
export function diffImages(actual: PNG, expected: PNG): { diffPixels: number; diff: PNG } {
  const { width, height } = actual;
  const diff = new PNG({ width, height });
  // Anti-aliased pixels count: a changed radius moves mostly anti-aliased corner pixels, which
  // pixelmatch would otherwise ignore.
  const diffPixels = pixelmatch(expected.data, actual.data, diff.data, width, height, {
    threshold: THRESHOLD,
    includeAA: true,
  });
  return { diffPixels, diff };
}

const shown = (path: string) => relative(ROOT, path);

/** Compares a screenshot with baselines/<name>.png (or writes it there when updating). */
export function compareWithBaseline(
  name: string,
  screenshot: Buffer,
  options: CompareOptions = {},
): Comparison {
  const baselines = options.baselines ?? BASELINES;
  const artifacts = options.artifacts ?? ARTIFACTS;
  const update = options.update ?? UPDATING;
  const baselinePath = join(baselines, `${name}.png`);
  const actualPath = join(artifacts, `${name}.actual.png`);
  const diffPath = join(artifacts, `${name}.diff.png`);

  if (update) {
    mkdirSync(baselines, { recursive: true });
    const existed = existsSync(baselinePath);
    writeFileSync(baselinePath, screenshot);
    return {
      pass: true,
      diffPixels: null,
      allowed: null,
      message: `UPDATE_SCREENSHOTS=1: ${existed ? "overwrote" : "wrote"} baseline ${shown(baselinePath)}`,
    };
  }

  const keepActual = () => {
    mkdirSync(artifacts, { recursive: true });
    writeFileSync(actualPath, screenshot);
  };
  if (!existsSync(baselinePath)) {
    keepActual();
    return {
      pass: false,
      diffPixels: null,
      allowed: null,
      message:
        `${name}: no baseline at ${shown(baselinePath)} (the screenshot is in ${shown(actualPath)}). ` +
        "Take baselines on purpose with UPDATE_SCREENSHOTS=1.",
    };
  }

  const actual = PNG.sync.read(screenshot);
  const expected = PNG.sync.read(readFileSync(baselinePath));
  if (actual.width !== expected.width || actual.height !== expected.height) {
    keepActual();
    return {
      pass: false,
      diffPixels: null,
      allowed: null,
      message:
        `${name}: size ${actual.width}×${actual.height} differs from the baseline's ` +
        `${expected.width}×${expected.height}; see ${shown(actualPath)} and ${shown(baselinePath)}.`,
    };
  }

  const { diffPixels, diff } = diffImages(actual, expected);
  const allowed = allowedDiffPixels(actual.width, actual.height);
  if (diffPixels <= allowed)
    return {
      pass: true,
      diffPixels,
      allowed,
      message: `${name}: ${diffPixels} px differ (≤ ${allowed} allowed)`,
    };
  keepActual();
  writeFileSync(diffPath, PNG.sync.write(diff));
  return {
    pass: false,
    diffPixels,
    allowed,
    message:
      `${name}: ${diffPixels} px differ from ${shown(baselinePath)} (at most ${allowed} allowed); ` +
      `see ${shown(actualPath)} and ${shown(diffPath)}. If the change is meant, re-take with UPDATE_SCREENSHOTS=1.`,
  };
}
