// The comparer's rules on small made-up images (no browser): a missing baseline and a size change
// fail, one changed pixel fails, an update writes on purpose. visual.test.ts shows it on a real page
// (a 1 px token change).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PNG } from "pngjs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { allowedDiffPixels, compareWithBaseline } from "./compare";

function image(
  width: number,
  height: number,
  paint?: (x: number, y: number) => number[] | undefined,
): Buffer {
  const png = new PNG({ width, height });
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const [r, g, b] = paint?.(x, y) ?? [240, 240, 245];
      png.data.set([r ?? 0, g ?? 0, b ?? 0, 255], (y * width + x) * 4);
    }
  return PNG.sync.write(png);
}

describe("the screenshot comparer", () => {
  let dir: string;
  let options: { baselines: string; artifacts: string; update: boolean };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "marquee-compare-"));
    options = { baselines: join(dir, "baselines"), artifacts: join(dir, "artifacts"), update: false };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("fails without a baseline and keeps the screenshot for a look", () => {
    const result = compareWithBaseline("page", image(40, 30), options);
    expect(result.pass).toBe(false);
    expect(result.message).toMatch(/no baseline.*UPDATE_SCREENSHOTS=1/);
    expect(existsSync(join(options.artifacts, "page.actual.png"))).toBe(true);
  });

  it("writes the baseline only when updating, and says so", () => {
    const written = compareWithBaseline("page", image(40, 30), { ...options, update: true });
    expect(written).toMatchObject({ pass: true });
    expect(written.message).toMatch(/UPDATE_SCREENSHOTS=1: wrote baseline/);
    expect(compareWithBaseline("page", image(40, 30), { ...options, update: true }).message).toMatch(
      /overwrote/,
    );
    expect(compareWithBaseline("page", image(40, 30), options)).toMatchObject({ pass: true, diffPixels: 0 });
  });

  it("fails on a size change", () => {
    compareWithBaseline("page", image(40, 30), { ...options, update: true });
    const result = compareWithBaseline("page", image(40, 31), options);
    expect(result.pass).toBe(false);
    expect(result.message).toMatch(/size 40×31 differs from the baseline's 40×30/);
  });

  it("fails on one changed pixel of a page-sized image, writing actual and diff", () => {
    const [width, height] = [375, 900];
    expect(allowedDiffPixels(width, height)).toBe(0);
    compareWithBaseline("page", image(width, height), { ...options, update: true });
    // A rounded corner one pixel larger: one edge pixel a little darker.
    const changed = image(width, height, (x, y) => (x === 10 && y === 10 ? [200, 200, 210] : undefined));
    const result = compareWithBaseline("page", changed, options);
    expect(result).toMatchObject({ pass: false, diffPixels: 1 });
    expect(result.message).toContain("page.diff.png");
    expect(PNG.sync.read(readFileSync(join(options.artifacts, "page.diff.png"))).width).toBe(width);
    expect(readFileSync(join(options.artifacts, "page.actual.png"))).toEqual(changed);
  });

  it("ignores only colour shifts below the threshold", () => {
    compareWithBaseline("page", image(40, 30), { ...options, update: true });
    const tinted = image(40, 30, () => [241, 240, 245]);
    expect(compareWithBaseline("page", tinted, options)).toMatchObject({ pass: true, diffPixels: 0 });
    writeFileSync(
      join(options.baselines, "other.png"),
      image(40, 30, () => [20, 20, 25]),
    );
    expect(compareWithBaseline("other", image(40, 30), options).diffPixels).toBe(40 * 30);
    // A colour token moved by a clear step (70 levels of grey) fails on every pixel it paints.
    const darker = image(40, 30, () => [170, 170, 175]);
    expect(compareWithBaseline("page", darker, options)).toMatchObject({ pass: false, diffPixels: 40 * 30 });
  });
});
