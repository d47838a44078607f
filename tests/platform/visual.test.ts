// The key pages as people see them, without a platform: the built web app against fixture API
// answers (tests/platform/visual/), frozen time, Debian's Chromium. Screenshots of six pages at three
// widths in both themes are compared with committed baselines (a change is taken on purpose with
// UPDATE_SCREENSHOTS=1, which also refreshes the README's two screenshots); the comparer shows once
// that it catches a one-pixel token change; axe-core and a Tab walk check accessibility.
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "./lib";
import { checkKeyboard, KEYBOARD, seriousViolations } from "./visual/a11y";
import { BASELINES, compareWithBaseline, UPDATING } from "./visual/compare";
import {
  type Harness,
  newContext,
  openPage,
  PAGES,
  PagePool,
  type PageSpec,
  screenshot,
  settle,
  startHarness,
  THEMES,
  type Theme,
  WIDTHS,
} from "./visual/harness";

const SCREENSHOTS = join(ROOT, "docs/screenshots");
/** The token the comparer's own test changes by one pixel (apps/web/src/ui/tokens.css). */
const TOKEN = "--radius-md";
const A11Y_WIDTHS = [1440, 375];
const KEYBOARD_WIDTH = 1440;
const shotName = (page: string, width: number, theme: Theme) => `${page}-${width}-${theme}`;
const pageNamed = (name: string) => PAGES.find((p) => p.name === name) as PageSpec;

describe("key pages: visual regression and accessibility (fixture API, Chromium)", () => {
  let h: Harness;
  const contexts = new Map<string, Promise<BrowserContext>>();

  /** One context per width, theme and visitor, shared by the pages that use it. */
  function contextFor(width: number, theme: Theme, signedIn: boolean): Promise<BrowserContext> {
    const key = `${width}-${theme}-${signedIn}`;
    let ctx = contexts.get(key);
    if (!ctx) {
      ctx = newContext(h, width, theme, signedIn);
      contexts.set(key, ctx);
    }
    return ctx;
  }

  async function load(spec: PageSpec, width: number, theme: Theme): Promise<Page> {
    return openPage(h, await contextFor(width, theme, spec.signedIn), spec);
  }

  const pool = new PagePool((key) => {
    const [name = "", width, theme] = key.split("|");
    return load(pageNamed(name), Number(width), theme as Theme);
  });
  const poolKey = (spec: PageSpec, width: number, theme: Theme) => `${spec.name}|${width}|${theme}`;
  for (const theme of THEMES)
    for (const width of WIDTHS)
      for (const spec of PAGES) {
        pool.plan(poolKey(spec, width, theme));
        if (A11Y_WIDTHS.includes(width)) pool.plan(poolKey(spec, width, theme));
        if (width === KEYBOARD_WIDTH) pool.plan(poolKey(spec, width, theme));
      }

  beforeAll(async () => {
    h = await startHarness();
  });

  afterAll(async () => {
    await h?.close();
  });

  describe.concurrent("screenshots match the baselines", () => {
    for (const theme of THEMES)
      for (const width of WIDTHS)
        for (const spec of PAGES)
          it(`${spec.name} at ${width} px, ${theme}`, ({ expect }) =>
            pool.use(poolKey(spec, width, theme), async (page) => {
              const name = shotName(spec.name, width, theme);
              const result = compareWithBaseline(name, await screenshot(page));
              console.log(result.message);
              if (UPDATING) await refreshReadmeScreenshot(name, page);
              expect(result.pass, result.message).toBe(true);
            }));
  });

  /** The README's screenshots: the dark watch page (unmasked: its poster) and the studio. */
  async function refreshReadmeScreenshot(name: string, page: Page) {
    mkdirSync(SCREENSHOTS, { recursive: true });
    if (name === "watch-1440-dark") {
      writeFileSync(
        join(SCREENSHOTS, "watch-dark.png"),
        await page.screenshot({ fullPage: true, animations: "disabled", caret: "hide" }),
      );
      console.log("UPDATE_SCREENSHOTS=1: wrote docs/screenshots/watch-dark.png");
    }
    if (name === "studio-1440-light") {
      copyFileSync(join(BASELINES, `${name}.png`), join(SCREENSHOTS, "studio.png"));
      console.log("UPDATE_SCREENSHOTS=1: wrote docs/screenshots/studio.png");
    }
  }

  it(`the comparer fails on a 1 px change of ${TOKEN} and passes without it`, async () => {
    const name = shotName("sign-in", 1440, "light");
    const page = await load(pageNamed("sign-in"), 1440, "light");
    try {
      // Judged against the committed baseline, never rewriting it; failures go to their own folder.
      const options = { update: false, artifacts: join(ROOT, "artifacts/visual/comparer-test") };
      const unchanged = compareWithBaseline(name, await screenshot(page), options);
      expect(unchanged.pass, unchanged.message).toBe(true);

      const before = (await page.evaluate(
        `getComputedStyle(document.documentElement).getPropertyValue("${TOKEN}").trim()`,
      )) as string;
      expect(before, `${TOKEN} is a px token in ui/tokens.css`).toMatch(/^\d+(\.\d+)?px$/);
      const after = `${Number.parseFloat(before) + 1}px`;
      await page.evaluate(`document.documentElement.style.setProperty("${TOKEN}", "${after}")`);
      await settle(page);
      const changed = compareWithBaseline(name, await screenshot(page), options);
      console.log(`${TOKEN} ${before} → ${after}: ${changed.message}`);
      expect(changed.pass, `a 1 px change of ${TOKEN} went unnoticed: ${changed.message}`).toBe(false);
      // Failing by a margin, not by a stray pixel: the allowance is far below what a token moves.
      expect(changed.diffPixels).toBeGreaterThan(4 * (changed.allowed ?? 0));
    } finally {
      await page.close();
    }
  });

  describe.concurrent("no serious or critical axe violation", () => {
    for (const theme of THEMES)
      for (const width of A11Y_WIDTHS)
        for (const spec of PAGES)
          it(`${spec.name} at ${width} px, ${theme}`, ({ expect }) =>
            pool.use(poolKey(spec, width, theme), async (page) => {
              const violations = await seriousViolations(page);
              if (violations.length)
                console.log(`axe, ${spec.name} ${width} ${theme}:\n  ${violations.join("\n  ")}`);
              expect(violations).toEqual([]);
            }));
  });

  describe.concurrent("Tab reaches the main controls, with a visible focus", () => {
    for (const theme of THEMES)
      for (const spec of PAGES)
        it(`${spec.name} at ${KEYBOARD_WIDTH} px, ${theme}`, ({ expect }) =>
          pool.use(poolKey(spec, KEYBOARD_WIDTH, theme), async (page) => {
            const result = await checkKeyboard(page, KEYBOARD[spec.name] ?? {});
            if (result.missing.length + result.unreached.length + result.invisible.length)
              console.log(`keyboard, ${spec.name} ${theme}: ${JSON.stringify(result)}`);
            expect(result).toEqual({ unreached: [], invisible: [], missing: [] });
          }));
  });

  it("every API request of the pages was answered from the fixtures", () => {
    expect([...h.unanswered].sort()).toEqual([]);
  });
});
